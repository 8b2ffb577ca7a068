/**
 * How many requests one Open311 client (one api_key) may file per minute; `OPEN311_REQUESTS_PER_MINUTE`, default 30.
 * @throws Error at boot for a value that is not a whole number from 1 to 100000.
 */
export function open311RequestsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.OPEN311_REQUESTS_PER_MINUTE;
  if (raw === undefined || raw === '') return 30;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new Error(`OPEN311_REQUESTS_PER_MINUTE must be a whole number from 1 to 100000, not '${raw}'`);
  }
  return value;
}

/**
 * A fixed-window counter per client: at most `limit` attempts per `windowMs`. Kept in memory, per API process, like
 * the API's other rate limits. Every attempt counts, refused ones too, so a client cannot probe without limit.
 */
export class ClientRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts an attempt by `client` at `now` (ms); answers whether it is allowed and, if not, when to retry (s). */
  take(client: string, now: number = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (this.windows.size > 10_000) this.prune(now);
    const window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(client, { start: now, count: 1 });
      return { allowed: true };
    }
    window.count += 1;
    if (window.count <= this.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) };
  }

  private prune(now: number): void {
    for (const [client, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(client);
  }
}
