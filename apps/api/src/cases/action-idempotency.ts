import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiError, ApiErrorCode } from '../common/api-error';

/** What the `Idempotency-Key` header may hold: 1-200 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * The header's value, checked; `undefined` when absent.
 * @throws ApiError ValidationFailed (400) naming the header.
 */
export function checkIdempotencyKey(value: string | undefined): string | undefined {
  if (value !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
      { field: 'Idempotency-Key', rule: 'format', message: 'Idempotency-Key must be 1-200 visible ASCII characters' },
    ]);
  }
  return value;
}

/** The answer to an action: the state after it, and whether an earlier request with the same key applied it. */
export class ActionAnswer<T> {
  constructor(
    readonly state: T,
    readonly replayed: boolean,
  ) {}
}

/** 422 for a key retried with another request. */
export function idempotencyKeyReused(key: string, target: string): ApiError {
  return new ApiError(
    ApiErrorCode.IdempotencyKeyReused,
    `Idempotency-Key ${key} was already used for ${target} with a different request`,
    [{ field: 'Idempotency-Key', rule: 'sameBody', message: 'a retried request must repeat the same body' }],
  );
}

/** JSON with sorted keys, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical JSON of `value`. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Where a keyed action stands: new (this request sends it), or known (an earlier request with the key did). */
export type ActionClaim<T> = { fresh: true } | { fresh: false; response?: T };

/**
 * The `action_requests` rows of keyed actions (migration 15). A row is written before the Update is sent and holds
 * the answer once applied, so a retry answers the first answer even when the workflow has moved on or closed.
 */
export class ActionRequestStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the key for `workflowId`, or finds the earlier request with it.
   * @throws ApiError IdempotencyKeyReused (422) when the earlier request differs (another body, action or actor).
   */
  async claim<T>(
    workflowId: string,
    key: string,
    hash: string,
    action: string,
    actorUserId: string,
  ): Promise<ActionClaim<T>> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO action_requests (workflow_id, idempotency_key, request_hash, action, actor_user_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workflow_id, idempotency_key) DO NOTHING
       RETURNING 1`,
      [workflowId, key, hash, action, actorUserId],
    )) as unknown[];
    if (inserted.length > 0) return { fresh: true };
    // The row may be gone again (a concurrent refusal forgot it): then this request is the first.
    const earlier = await this.find<T>(workflowId, key, hash);
    return earlier ? { fresh: false, ...earlier } : { fresh: true };
  }

  /**
   * The earlier request with the key, if any, without recording one.
   * @throws ApiError IdempotencyKeyReused (422) when it differs.
   */
  async find<T>(workflowId: string, key: string, hash: string): Promise<{ response?: T } | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT request_hash, response FROM action_requests WHERE workflow_id = $1 AND idempotency_key = $2`,
      [workflowId, key],
    )) as { request_hash: string; response: T | null }[];
    if (!row) return undefined;
    if (row.request_hash !== hash) throw idempotencyKeyReused(key, workflowId);
    return row.response === null ? {} : { response: row.response };
  }

  /** Stores the answer of the applied action. */
  async applied(workflowId: string, key: string, response: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE action_requests SET response = $3, applied_at = now()
       WHERE workflow_id = $1 AND idempotency_key = $2 AND response IS NULL`,
      [workflowId, key, JSON.stringify(response)],
    );
  }

  /** Forgets a key whose action was refused (nothing applied): a retry with it is a new attempt. */
  async refused(workflowId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM action_requests WHERE workflow_id = $1 AND idempotency_key = $2 AND response IS NULL`,
      [workflowId, key],
    );
  }
}
