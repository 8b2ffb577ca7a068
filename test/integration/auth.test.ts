import { INestApplication } from '@nestjs/common';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { hashPassword } from '../../apps/api/src/auth/password';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { CaseWorker, createCaseWorker } from '../../apps/worker/src/case-worker';
import { bearer, DEMO_PASSWORD, DEMO_USERS, login, signTestToken, TEST_AUTH, tokenFor } from '../support/auth';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * Identity and access over HTTP, against the integration tier's PostgreSQL and Temporal dev server: login, the
 * global guard, roles, logout and revocation, API tokens, rate limits, and the public status lookup.
 */
describe('identity and access over HTTP', () => {
  const databaseUrl = requiredTestEnv(TEST_ENV.databaseUrl);
  const address = requiredTestEnv(TEST_ENV.temporalAddress);
  const taskQueue = `it-auth-${randomUUID()}`;
  const temporal = { address, namespace: 'default', taskQueue };
  const logger = pino({ level: 'silent' });
  let app: INestApplication;
  let workerConnection: NativeConnection;
  let caseWorker: CaseWorker;
  let pg: PgClient;

  beforeAll(async () => {
    quietTemporalRuntime();
    workerConnection = await NativeConnection.connect({ address });
    caseWorker = await createCaseWorker({ databaseUrl, connection: workerConnection, namespace: 'default', taskQueue });
    void caseWorker.run();
    app = await createApiApp({ databaseUrl, temporal, logger, auth: TEST_AUTH });
    await app.init();
    pg = new PgClient({ connectionString: databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await app?.close();
    await caseWorker?.shutdown();
    await workerConnection?.close();
    await pg?.end();
  });

  const http = () => request(app.getHttpServer());

  function caseBody() {
    return {
      kind: 'complaint',
      category: 'noise-nuisance',
      channel: 'web',
      description: `深夜装修噪声 ${randomUUID()}`,
      // A unique address, so that intake never links one of these to an open case as a duplicate.
      address: `示范市东湖区花园路${randomUUID().slice(0, 8)}号`,
      citizen: { name: '李秀英', phone: '13912345678' },
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    };
  }

  /** A user of this test only, straight into the table (the API has no user administration yet). */
  async function createUser(role = 'handler', unitId = 's-hubin'): Promise<{ id: string; username: string }> {
    const username = `it-${randomUUID().slice(0, 8)}`;
    const result = await pg.query(
      `INSERT INTO users (username, display_name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [username, 'Integration test user', await hashPassword('it-password-123'), role, unitId],
    );
    return { id: result.rows[0].id as string, username };
  }

  describe('login', () => {
    it('should log a seeded demo user in and say who the token belongs to', async () => {
      const response = await http()
        .post('/api/v1/auth/login')
        .send({ username: 'handler.s-hubin', password: DEMO_PASSWORD })
        .expect(200);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expiresIn: expect.any(Number),
        user: { username: 'handler.s-hubin', role: 'handler', unitId: 's-hubin', unitKind: 'street', tokenKind: 'jwt' },
      });
      expect(response.body.expiresIn).toBeGreaterThan(3500);
      expect(response.body.expiresIn).toBeLessThanOrEqual(3600);
      const me = await http().get('/api/v1/auth/me').set(bearer(response.body.accessToken)).expect(200);
      expect(me.body).toEqual(response.body.user);
    });

    it('should seed every demo user once, with a salted scrypt hash, whatever the number of API starts', async () => {
      const rows = await pg.query(
        `SELECT username, role, unit_id, password_hash FROM users WHERE username = ANY($1) ORDER BY username`,
        [DEMO_USERS.map((user) => user.username)],
      );
      expect(rows.rows).toHaveLength(DEMO_USERS.length);
      const hashes = rows.rows.map((row) => row.password_hash as string);
      for (const hash of hashes) {
        expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
        expect(hash).not.toContain(DEMO_PASSWORD);
      }
      expect(new Set(hashes).size).toBe(hashes.length);
    });

    it('should give a wrong password and an unknown user the same 401', async () => {
      const wrongPassword = await http()
        .post('/api/v1/auth/login')
        .send({ username: 'operator', password: 'not-the-password' })
        .expect(401);
      const unknownUser = await http()
        .post('/api/v1/auth/login')
        .send({ username: `nobody-${randomUUID()}`, password: DEMO_PASSWORD })
        .expect(401);
      expect(wrongPassword.body).toEqual({
        error: 'Unauthenticated',
        message: 'Invalid username or password',
        details: [],
      });
      expect(unknownUser.body).toEqual(wrongPassword.body);
    });

    it('should refuse a login body without a password with 400 naming the field', async () => {
      const refused = await http().post('/api/v1/auth/login').send({ username: 'operator' }).expect(400);
      expect(refused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    });
  });

  describe('the guard', () => {
    it('should answer 401 with a Bearer challenge to a guarded endpoint called without a token', async () => {
      const me = await http().get('/api/v1/auth/me').expect(401);
      expect(me.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(me.body.error).toBe('Unauthenticated');
      await http().get('/api/v1/cases/20261123000001').expect(401);
      await http().get('/api/v1/auth/api-tokens').expect(401);
      await http().get('/api/v1/cases/20261123000001').set('Authorization', 'Basic b3BlcmF0b3I6eA==').expect(401);
      await http().get('/api/v1/cases/20261123000001').set(bearer('garbage')).expect(401);
    });

    it('should refuse an expired token and accept the same token before it expires', async () => {
      const { id } = await createUser();
      const valid = signTestToken({ userId: id, expiresAt: new Date(Date.now() + 60_000) });
      await http().get('/api/v1/auth/me').set(bearer(valid)).expect(200);
      const expired = signTestToken({ userId: id, expiresAt: new Date(Date.now() - 1_000) });
      const refused = await http().get('/api/v1/auth/me').set(bearer(expired)).expect(401);
      expect(refused.body.message).toMatch(/invalid, expired or revoked/);
    });

    it('should refuse a token whose signature does not match', async () => {
      const { id } = await createUser();
      const forged = signTestToken({ userId: id, expiresAt: new Date(Date.now() + 60_000) }).replace(/.{4}$/, 'AAAA');
      await http().get('/api/v1/auth/me').set(bearer(forged)).expect(401);
    });

    it('should answer 403 to a role the endpoint does not allow', async () => {
      const designer = await tokenFor(app, 'designer');
      const refused = await http().get('/api/v1/cases/20261123000001').set(bearer(designer)).expect(403);
      expect(refused.body).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/operator/) });
      const handler = await tokenFor(app, 'handler.s-hubin');
      await http().get('/api/v1/auth/api-tokens').set(bearer(handler)).expect(403);
    });

    it('should stop a token working as soon as its user is deactivated', async () => {
      const user = await createUser();
      const token = await login(app, user.username, 'it-password-123');
      await http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
      await pg.query('UPDATE users SET active = false WHERE id = $1', [user.id]);
      await http().get('/api/v1/auth/me').set(bearer(token)).expect(401);
      await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'it-password-123' })
        .expect(401);
    });

    it('should check a token presented to a public endpoint', async () => {
      await http().post('/api/v1/cases').set(bearer('stale-or-forged')).send(caseBody()).expect(401);
    });
  });

  describe('logout', () => {
    it('should revoke the presented token and only that one', async () => {
      const first = await login(app, 'auditor');
      const second = await login(app, 'auditor');
      await http().get('/api/v1/auth/me').set(bearer(first)).expect(200);
      await http().post('/api/v1/auth/logout').set(bearer(first)).expect(204);
      await http().get('/api/v1/auth/me').set(bearer(first)).expect(401);
      await http().post('/api/v1/auth/logout').set(bearer(first)).expect(401);
      await http().get('/api/v1/auth/me').set(bearer(second)).expect(200);
      const revoked = await pg.query('SELECT count(*)::int AS n FROM revoked_tokens WHERE expires_at > now()');
      expect(revoked.rows[0].n).toBeGreaterThanOrEqual(1);
    });
  });

  describe('API tokens', () => {
    it('should create a token shown once, authenticate with it, list it without its secret, and revoke it', async () => {
      const admin = await tokenFor(app, 'admin');
      const name = `open311-${randomUUID().slice(0, 8)}`;
      const created = await http()
        .post('/api/v1/auth/api-tokens')
        .set(bearer(admin))
        .send({ name, role: 'operator', unitId: 'centre-12345', expiresInDays: 30 })
        .expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        name,
        role: 'operator',
        unitId: 'centre-12345',
        token: expect.stringMatching(/^shs_[\w-]{43}$/),
        revokedAt: null,
      });
      const secret = created.body.token as string;
      const stored = await pg.query('SELECT token_hash FROM api_tokens WHERE id = $1', [created.body.id]);
      expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0].token_hash).not.toContain(secret.slice(4));

      const me = await http().get('/api/v1/auth/me').set(bearer(secret)).expect(200);
      expect(me.body).toMatchObject({
        userId: `api-token:${created.body.id}`,
        role: 'operator',
        unitId: 'centre-12345',
        unitKind: 'service-centre',
        tokenKind: 'api-token',
      });
      await http().get('/api/v1/cases/19990101000001').set(bearer(secret)).expect(404);

      const listed = await http().get('/api/v1/auth/api-tokens').set(bearer(admin)).expect(200);
      const entry = (listed.body as { id: string }[]).find((token) => token.id === created.body.id);
      expect(entry).toEqual({ ...created.body, token: undefined });
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      await http().delete(`/api/v1/auth/api-tokens/${created.body.id}`).set(bearer(admin)).expect(204);
      await http().get('/api/v1/auth/me').set(bearer(secret)).expect(401);
      const after = await http().get('/api/v1/auth/api-tokens').set(bearer(admin)).expect(200);
      const revoked = (after.body as { id: string; revokedAt: string | null }[]).find((t) => t.id === created.body.id);
      expect(revoked?.revokedAt).toEqual(expect.any(String));
    });

    it('should refuse an admin API token, a unit outside the tree or unfit for the role, and a non-admin creator', async () => {
      const admin = await tokenFor(app, 'admin');
      const post = (token: string, body: object) =>
        http().post('/api/v1/auth/api-tokens').set(bearer(token)).send(body);
      const asAdmin = await post(admin, { name: 'x', role: 'admin', unitId: 'centre-12345' }).expect(400);
      expect(asAdmin.body.details).toEqual([expect.objectContaining({ field: 'role', rule: 'not-admin' })]);
      const nowhere = await post(admin, { name: 'x', role: 'handler', unitId: 's-nowhere' }).expect(400);
      expect(nowhere.body.details).toEqual([expect.objectContaining({ field: 'unitId', rule: 'org-unit' })]);
      await post(admin, { name: 'x', role: 'coordinator', unitId: 's-hubin' }).expect(400);
      const operator = await tokenFor(app, 'operator');
      await post(operator, { name: 'x', role: 'operator', unitId: 'centre-12345' }).expect(403);
      await http().delete(`/api/v1/auth/api-tokens/${randomUUID()}`).set(bearer(admin)).expect(404);
    });

    it('should let an API token revoke itself by logging out', async () => {
      const admin = await tokenFor(app, 'admin');
      const created = await http()
        .post('/api/v1/auth/api-tokens')
        .set(bearer(admin))
        .send({ name: 'grid-app', role: 'handler', unitId: 'c-xiyuan' })
        .expect(201);
      const secret = created.body.token as string;
      await http().post('/api/v1/auth/logout').set(bearer(secret)).expect(204);
      await http().get('/api/v1/auth/me').set(bearer(secret)).expect(401);
    });
  });

  describe('public endpoints', () => {
    it('should leave health, readiness, the API docs, intake and status lookup open', async () => {
      await http().get('/health').expect(200);
      await http()
        .get('/ready')
        .expect((response) => expect([200, 503]).toContain(response.status));
      const docs = await http().get('/api/docs-json').expect(200);
      expect(docs.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/public/cases/{caseNo}']),
      );
      const created = await http().post('/api/v1/cases').send(caseBody()).expect(201);
      await http().get(`/api/v1/public/cases/${created.body.caseNo}`).expect(200);
    });

    it('should show the public status of a case without any personal data', async () => {
      const body = caseBody();
      const created = await http().post('/api/v1/cases').send(body).expect(201);
      const caseNo = created.body.caseNo as string;
      const operator = await tokenFor(app, 'operator');
      // Wait until the workflow has written the case row, so the lookup shows a full record.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const view = await http().get(`/api/v1/cases/${caseNo}`).set(bearer(operator));
        if (view.body.case?.stage === 'awaiting-sign') break;
        if (Date.now() > deadline) throw new Error(`case ${caseNo} never reached awaiting-sign`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const lookup = await http().get(`/api/v1/public/cases/${caseNo}`).expect(200);
      expect(lookup.body).toEqual({
        caseNo,
        status: 'open',
        stage: 'awaiting-sign',
        category: 'noise-nuisance',
        dates: {
          receivedAt: expect.any(String),
          dispatchedAt: expect.any(String),
          signedAt: null,
          repliedAt: null,
          calledBackAt: null,
          closedAt: null,
        },
      });
      const text = JSON.stringify(lookup.body);
      for (const secret of [body.citizen.name, body.citizen.phone, '8000', '5678', body.description, body.address]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/李|花园|s-hubin|c-xiyuan/);
      await http().get('/api/v1/public/cases/19990101000001').expect(404);
      await http().get('/api/v1/public/cases/not-a-case').expect(400);
    });
  });

  describe('rate limits', () => {
    let limited: INestApplication;
    beforeAll(async () => {
      limited = await createApiApp({
        databaseUrl,
        temporal,
        logger,
        auth: {
          ...TEST_AUTH,
          loginRateLimit: { limit: 3, windowSeconds: 60 },
          intakeRateLimit: { limit: 2, windowSeconds: 60 },
        },
      });
      await limited.init();
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('should answer 429 with Retry-After once a username is tried too often from one address', async () => {
      const attempt = (username: string, password: string) =>
        request(limited.getHttpServer()).post('/api/v1/auth/login').send({ username, password });
      for (let i = 0; i < 3; i += 1) await attempt('coordinator.cc-s-hubin', 'guess').expect(401);
      const blocked = await attempt('coordinator.cc-s-hubin', DEMO_PASSWORD).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body.error).toBe('TooManyRequests');
      // Another account from the same address is not locked out by someone guessing this one.
      await attempt('coordinator.cc-d-donghu', DEMO_PASSWORD).expect(200);
    });

    it('should limit anonymous intake per address but not staff recording requests with a token', async () => {
      const server = limited.getHttpServer();
      await request(server).post('/api/v1/cases').send(caseBody()).expect(201);
      await request(server).post('/api/v1/cases').send(caseBody()).expect(201);
      const blocked = await request(server).post('/api/v1/cases').send(caseBody()).expect(429);
      expect(blocked.headers['retry-after']).toBeDefined();
      const operator = await tokenFor(limited, 'operator');
      await request(server).post('/api/v1/cases').set(bearer(operator)).send(caseBody()).expect(201);
      // Anonymous progress lookups have the same per-address limit: sequential case numbers cannot be walked.
      const lookup = () => request(server).get('/api/v1/public/cases/20261123000001');
      for (let i = 0; i < 2; i += 1) expect((await lookup()).status).not.toBe(429);
      await lookup().expect(429);
    });
  });
});
