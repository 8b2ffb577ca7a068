import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { NotificationSettings } from './notification.settings';

/** Reconnection delays after a lost LISTEN connection: 1 s, doubled per failed try, at most 30 s. */
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_CAP_MS = 30_000;

/**
 * One dedicated PostgreSQL connection per API instance that LISTENs on the channels registered with
 * {@link listen} (outside the TypeORM pool: a LISTEN connection must stay checked out for its whole life, and a
 * transaction-pooling proxy such as PgBouncer in transaction mode cannot carry it). It connects at application
 * bootstrap and reconnects on its own with backoff; since NOTIFYs sent while it was away are lost, it calls the
 * {@link onReconnect} callbacks once it is back, so they can catch up.
 */
@Injectable()
export class PgListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PgListener.name);
  private readonly handlers = new Map<string, Array<(payload: string) => void>>();
  private readonly reconnectCallbacks: Array<() => void> = [];
  private client?: Client;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private connectedOnce = false;
  private stopped = false;

  constructor(private readonly settings: NotificationSettings) {}

  /** Calls `handler` with the payload of every NOTIFY on `channel` (register before bootstrap). */
  listen(channel: string, handler: (payload: string) => void): void {
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
  }

  /** Calls `callback` each time the connection is back after a loss (not on the first connection). */
  onReconnect(callback: () => void): void {
    this.reconnectCallbacks.push(callback);
  }

  /** Connects once before the API serves; if that fails, the API starts anyway and the listener keeps retrying. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.settings.databaseUrl, keepAlive: true });
    // Without a listener, an error on an idle client would be thrown as an uncaught exception.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.logger.error({ msg: 'NOTIFY handler failed', channel: message.channel, err: error });
        }
      }
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.retry(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    if (this.connectedOnce) {
      this.logger.log({ msg: 'LISTEN connection restored' });
      for (const callback of this.reconnectCallbacks) callback();
    }
    this.connectedOnce = true;
  }

  /** The connection broke (or ended): forget it and reconnect, unless the application is stopping. */
  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.retry(error ?? new Error('connection ended'));
  }

  private retry(error: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    const delay = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(this.failures - 1, 10));
    this.logger.warn({
      msg: 'LISTEN connection unavailable; retrying',
      retryInMs: delay,
      error: error instanceof Error ? error.message : String(error),
    });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}
