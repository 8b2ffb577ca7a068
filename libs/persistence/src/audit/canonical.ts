import { createHash } from 'node:crypto';

/** The hash a chain starts from: the `prev_hash` of the first row of the log, and of each case's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the hashed serialisation; part of every hashed document, so a later format can never collide. */
export const AUDIT_HASH_VERSION = 1;

/**
 * A deterministic JSON text of `value`: object keys sorted by UTF-16 code unit (as `Array.prototype.sort`), no
 * whitespace, `undefined` object members dropped, strings and finite numbers exactly as `JSON.stringify` writes them.
 * The same data always gives the same text, whatever order its keys were built or stored in (PostgreSQL's `jsonb`
 * reorders keys), so a hash over it can be recomputed from what the database returns.
 *
 * Throws on what JSON cannot carry faithfully: non-finite numbers, `undefined` at the top or inside an array,
 * functions, symbols, bigints and objects other than plain objects, arrays and `Date` (written as its ISO string).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    return `[${value
      .map((item) => {
        if (item === undefined) throw new TypeError('canonicalJson: undefined inside an array has no JSON form');
        return canonicalJson(item);
      })
      .join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(
      `canonicalJson: a ${(value as object).constructor?.name ?? 'non-plain'} object has no JSON form`,
    );
  }
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
  return `{${members.join(',')}}`;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The content of one audit row that its hashes cover: every column except the hashes themselves. Values are in
 * the form the database returns them (id as a decimal string, instants as ISO strings with milliseconds, JSON as
 * parsed values, absent values as null), so the hash can be recomputed from a `SELECT`.
 */
export interface AuditRowContent {
  id: string;
  at: string;
  recordedAt: string;
  actor: { userId: string; role: string; unitId: string | null };
  action: string;
  subjectKind: string;
  subjectId: string;
  caseNo: string | null;
  caseSeq: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  source: string;
  eventRef: string | null;
  updateId: string | null;
}

/** Which chain a hash links: the whole log in id order, or one case's rows in `case_seq` order. */
export type AuditChain = 'global' | 'case';

/**
 * The hash of a row in a chain: SHA-256 over the canonical JSON of `{v, chain, prev, row}`, where `prev` is the
 * previous row's hash in that chain ({@link GENESIS_HASH} for the first) and `row` the row's content. Naming the
 * chain keeps a row's global and per-case hashes distinct even when both chains start at genesis.
 */
export function auditHash(chain: AuditChain, prev: string, row: AuditRowContent): string {
  return sha256Hex(canonicalJson({ v: AUDIT_HASH_VERSION, chain, prev, row }));
}
