import type { EntityManager } from 'typeorm';
import { auditHash, AuditRowContent, GENESIS_HASH } from './canonical';
import { AuditEntry, AuditRow, CASE_STATE_FIELDS } from './audit.types';

/** Where each chain stands before a batch is sealed. */
export interface ChainHeads {
  /** Hash of the newest row of the whole log ({@link GENESIS_HASH} when empty). */
  globalHash: string;
  /** Per case: the newest row's `case_seq` and `case_hash`. */
  cases: Map<string, { seq: number; hash: string }>;
  /** Per case: the newest recorded value of each {@link CASE_STATE_FIELDS} field (to fill `before`). */
  state: Map<string, Record<string, unknown>>;
}

/**
 * Turns entries into rows linked onto both chains: each row's `prev_hash` is the previous row's `hash` (the batch in
 * order, after `heads.globalHash`), and a case's rows continue its own chain with the next `case_seq`. `ids` are the
 * rows' ids in order (ascending); `recordedAt` is stored to the millisecond. Pure: `heads` is not changed.
 */
export function sealAuditEntries(
  entries: readonly AuditEntry[],
  ids: readonly string[],
  recordedAt: Date,
  heads: ChainHeads,
): AuditRow[] {
  if (ids.length !== entries.length)
    throw new Error(`sealAuditEntries: ${entries.length} entries but ${ids.length} ids`);
  let prevHash = heads.globalHash;
  const cases = new Map(heads.cases);
  const state = new Map([...heads.state].map(([caseNo, values]) => [caseNo, { ...values }]));
  return entries.map((entry, i) => {
    const caseNo = entry.caseNo ?? null;
    const caseHead = caseNo ? (cases.get(caseNo) ?? { seq: 0, hash: GENESIS_HASH }) : undefined;
    const known = caseNo ? (state.get(caseNo) ?? {}) : {};
    const { before, after } = changeOf(entry, caseNo ? known : undefined);
    const content: AuditRowContent = {
      id: ids[i],
      at: isoMillis(entry.at, 'at'),
      recordedAt: isoMillis(recordedAt, 'recordedAt'),
      actor: { userId: entry.actor.userId, role: entry.actor.role, unitId: entry.actor.unitId ?? null },
      action: entry.action,
      subjectKind: entry.subject.kind,
      subjectId: entry.subject.id,
      caseNo,
      caseSeq: caseHead ? caseHead.seq + 1 : null,
      before,
      after,
      reason: entry.reason ?? null,
      source: entry.source,
      eventRef: entry.eventRef ?? null,
      updateId: entry.updateId ?? null,
    };
    const hash = auditHash('global', prevHash, content);
    const row: AuditRow = { ...content, prevHash, hash, casePrevHash: null, caseHash: null };
    prevHash = hash;
    if (caseNo && caseHead) {
      row.casePrevHash = caseHead.hash;
      row.caseHash = auditHash('case', caseHead.hash, content);
      cases.set(caseNo, { seq: caseHead.seq + 1, hash: row.caseHash });
      for (const field of CASE_STATE_FIELDS) if (after && field in after) known[field] = after[field];
      state.set(caseNo, known);
    }
    return row;
  });
}

/**
 * Appends entries to the audit log inside the caller's transaction (`manager` of `DataSource.transaction`), so they
 * commit or roll back with whatever the caller writes. Entries whose `eventRef` is already in the log are skipped
 * (a retried activity appends nothing twice). Returns how many rows were appended.
 *
 * Appends are serialised by a row lock on the one-row `audit_chain_head` table, held until the caller's
 * transaction ends: concurrent writers queue, and the chains never fork. Keep the transaction short after calling.
 * The append is one statement, `audit_append` (migration 17), which seals the rows as {@link sealAuditEntries} does;
 * entries holding what that function cannot write as JavaScript does ({@link sqlSealable}) take the TypeScript path.
 */
export async function appendAudit(manager: EntityManager, entries: readonly AuditEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(
      'appendAudit must run inside a transaction (DataSource.transaction): its chain lock lasts until commit',
    );
  }
  if (!entries.every(sqlSealable)) return (await appendAuditInTypeScript(manager, entries)).length;
  const payload = entries.map((entry) => ({ ...entry, at: isoMillis(entry.at, 'at') }));
  const rows = (await manager.query(`SELECT audit_append($1::jsonb, $2) AS id`, [
    JSON.stringify(payload),
    isoMillis(new Date(), 'recordedAt'),
  ])) as unknown[];
  return rows.length;
}

/**
 * Whether `audit_append` seals the entry exactly as {@link sealAuditEntries} would: its JSON holds no number that
 * JavaScript writes with an exponent (from 1e21 up, below 1e-6) and no object key with a character from U+D800 up
 * (JavaScript orders those by UTF-16 code unit, PostgreSQL by code point).
 */
export function sqlSealable(entry: AuditEntry): boolean {
  const plain = (value: unknown): boolean => {
    if (typeof value === 'number') return value === 0 || (Math.abs(value) >= 1e-6 && Math.abs(value) < 1e21);
    if (Array.isArray(value)) return value.every(plain);
    if (value === null || typeof value !== 'object' || value instanceof Date) return true;
    return Object.entries(value).every(
      ([key, member]) => ![...key].some((char) => char.codePointAt(0)! >= 0xd800) && plain(member),
    );
  };
  return plain(entry.before ?? null) && plain(entry.after ?? null);
}

/**
 * The append computed in TypeScript ({@link sealAuditEntries}), seven statements under the chain lock: for entries
 * `audit_append` cannot seal. Returns the rows appended.
 */
export async function appendAuditInTypeScript(
  manager: EntityManager,
  entries: readonly AuditEntry[],
): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  const [head] = (await manager.query(`SELECT last_hash FROM audit_chain_head FOR UPDATE`)) as { last_hash: string }[];
  if (!head) throw new Error('audit_chain_head has no row: run the migrations');

  const refs = entries.map((entry) => entry.eventRef).filter((ref): ref is string => ref !== undefined);
  const known = new Set(
    refs.length === 0
      ? []
      : (
          (await manager.query(`SELECT event_ref FROM audit_log WHERE event_ref = ANY($1::text[])`, [refs])) as {
            event_ref: string;
          }[]
        ).map((row) => row.event_ref),
  );
  const batch = new Set<string>();
  const fresh = entries.filter((entry) => {
    if (entry.eventRef === undefined) return true;
    if (known.has(entry.eventRef) || batch.has(entry.eventRef)) return false;
    batch.add(entry.eventRef);
    return true;
  });
  if (fresh.length === 0) return [];

  const caseNos = [...new Set(fresh.map((entry) => entry.caseNo).filter((no): no is string => no !== undefined))];
  const heads: ChainHeads = { globalHash: head.last_hash, cases: new Map(), state: new Map() };
  if (caseNos.length > 0) {
    const caseHeads = (await manager.query(
      `SELECT DISTINCT ON (case_no) case_no, case_seq, case_hash FROM audit_log
        WHERE case_no = ANY($1::text[]) ORDER BY case_no, case_seq DESC`,
      [caseNos],
    )) as { case_no: string; case_seq: number; case_hash: string }[];
    for (const row of caseHeads) heads.cases.set(row.case_no, { seq: row.case_seq, hash: row.case_hash });
    const fields = [...new Set(fresh.flatMap((entry) => Object.keys(entry.after ?? {})))].filter((field) =>
      CASE_STATE_FIELDS.includes(field),
    );
    if (fields.length > 0 && caseHeads.length > 0) {
      const values = (await manager.query(
        `SELECT c.case_no, f.field,
                (SELECT jsonb_build_array(a.after -> f.field) FROM audit_log a
                  WHERE a.case_no = c.case_no AND a.after ? f.field ORDER BY a.case_seq DESC LIMIT 1) AS value
           FROM unnest($1::text[]) AS c (case_no) CROSS JOIN unnest($2::text[]) AS f (field)`,
        [caseHeads.map((row) => row.case_no), fields],
      )) as { case_no: string; field: string; value: [unknown] | null }[];
      for (const row of values) {
        if (row.value === null) continue; // never recorded for this case
        heads.state.set(row.case_no, { ...heads.state.get(row.case_no), [row.field]: row.value[0] });
      }
    }
  }

  const ids = (
    (await manager.query(
      `SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id FROM generate_series(1, $1::int)`,
      [fresh.length],
    )) as { id: string }[]
  )
    .map((row) => BigInt(row.id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String);
  const rows = sealAuditEntries(fresh, ids, new Date(), heads);

  const COLUMNS = 19;
  const values: unknown[] = [];
  const tuples = rows.map((row, i) => {
    values.push(
      row.id,
      row.at,
      row.recordedAt,
      JSON.stringify(row.actor),
      row.action,
      row.subjectKind,
      row.subjectId,
      row.caseNo,
      row.caseSeq,
      row.before === null ? null : JSON.stringify(row.before),
      row.after === null ? null : JSON.stringify(row.after),
      row.reason,
      row.source,
      row.eventRef,
      row.updateId,
      row.prevHash,
      row.hash,
      row.casePrevHash,
      row.caseHash,
    );
    return `(${Array.from({ length: COLUMNS }, (_, j) => `$${i * COLUMNS + j + 1}`).join(', ')})`;
  });
  await manager.query(
    `INSERT INTO audit_log (id, at, recorded_at, actor, action, subject_kind, subject_id, case_no, case_seq, before,
                            after, reason, source, event_ref, update_id, prev_hash, hash, case_prev_hash, case_hash)
     VALUES ${tuples.join(', ')}`,
    values,
  );
  const last = rows[rows.length - 1];
  await manager.query(`UPDATE audit_chain_head SET last_id = $1, last_hash = $2, updated_at = now()`, [
    last.id,
    last.hash,
  ]);
  return rows;
}

/**
 * The entry's before → after as stored: JSON-normalised (what `jsonb` gives back), empty objects as null. For a case
 * entry without an explicit `before`, the {@link CASE_STATE_FIELDS} in `after` get their previous values from
 * `known`; fields that did not change are left out of both.
 */
function changeOf(
  entry: AuditEntry,
  known: Record<string, unknown> | undefined,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const after = jsonObject(entry.after);
  if (entry.before !== undefined || !known || !after) return { before: jsonObject(entry.before), after };
  const before: Record<string, unknown> = {};
  for (const field of CASE_STATE_FIELDS) {
    if (!(field in after) || !(field in known)) continue;
    if (JSON.stringify(known[field]) === JSON.stringify(after[field])) delete after[field];
    else before[field] = known[field];
  }
  return { before: jsonObject(before), after: jsonObject(after) };
}

/** A JSON round trip of an object (drops undefined members, as `jsonb` would); null when absent or empty. */
function jsonObject(value: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return Object.keys(copy).length === 0 ? null : copy;
}

function isoMillis(value: string | Date, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`audit entry: ${field} is not an instant: ${String(value)}`);
  return date.toISOString();
}
