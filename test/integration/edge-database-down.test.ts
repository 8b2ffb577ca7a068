import { createServer, Server, Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { bearer, handlerOf } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * A TCP relay between the API and the tier's PostgreSQL: `down()` cuts every connection and closes the port (the
 * server gone: resets, then refused connections), `up()` listens again on the same port.
 */
class PostgresRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** PostgreSQL down is an outage: 503 DatabaseUnavailable with Retry-After, never 500; back up, the API answers again. */
describe('PostgreSQL down at the HTTP edge', () => {
  const databaseUrl = new URL(requiredTestEnv(TEST_ENV.databaseUrl));
  const relay = new PostgresRelay({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
  let stack: TestStack<'handler'>;

  beforeAll(async () => {
    await relay.up();
    const viaRelay = new URL(databaseUrl);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    stack = await startTestStack({
      label: 'it-edge-db-down',
      worker: false,
      users: { handler: handlerOf('s-hubin') },
      api: { databaseUrl: viaRelay.toString() },
    });
  });
  afterAll(async () => {
    await relay.up();
    await stack?.stop();
    await relay.down();
  });

  const inbox = () => stack.http().get('/api/v1/tasks').set(bearer(stack.tokens.handler));
  const unavailable = { error: 'DatabaseUnavailable', message: expect.any(String), details: [] };

  it('should answer 503 with Retry-After while PostgreSQL is down, and 200 once it is back', async () => {
    expect((await inbox()).status).toBe(200);
    await relay.down();

    // The pool's open connections are cut (reset) first, then new ones are refused: both are the outage.
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await inbox();
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toEqual(unavailable);
    }
    const login = await stack.http().post('/api/v1/auth/login').send({ username: 'operator', password: 'x' });
    expect(login.status).toBe(503);
    expect(login.body).toEqual(unavailable);

    await relay.up();
    expect((await inbox()).status).toBe(200);
  });
});
