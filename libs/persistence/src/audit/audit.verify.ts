import type { DataSource, EntityManager } from 'typeorm';
import { auditHash, AuditRowContent, GENESIS_HASH } from './canonical';
import type { AuditRow, AuditVerification, BrokenLink } from './audit.types';

/** The content a row's hashes cover, taken from the row as stored (nothing normalised: a change must show). */
export function contentOf(row: AuditRow): AuditRowContent {
  return {
    id: row.id,
    at: row.at,
    recordedAt: row.recordedAt,
    actor: row.actor,
    action: row.action,
    subjectKind: row.subjectKind,
    subjectId: row.subjectId,
    caseNo: row.caseNo,
    caseSeq: row.caseSeq,
    before: row.before,
    after: row.after,
    reason: row.reason,
    source: row.source,
    eventRef: row.eventRef,
    updateId: row.updateId,
  };
}

/**
 * Walks the global chain: rows in id order, each pointing at the previous row's hash (the first at genesis) and
 * hashing to its stored `hash`. Feed rows with {@link push} until it reports a break, then {@link end} with the
 * chain head. Pure.
 */
export class GlobalChainCheck {
  private prev = GENESIS_HASH;
  private lastId?: string;
  checked = 0;

  /** Checks the next row; returns the break it finds (the walk should stop there). */
  push(row: AuditRow): BrokenLink | undefined {
    this.checked += 1;
    if (row.prevHash !== this.prev) {
      return { id: row.id, chain: 'global', problem: 'link', expected: this.prev, found: row.prevHash };
    }
    const hash = auditHash('global', row.prevHash, contentOf(row));
    if (hash !== row.hash) return { id: row.id, chain: 'global', problem: 'hash', expected: hash, found: row.hash };
    this.prev = row.hash;
    this.lastId = row.id;
    return undefined;
  }

  /** The chain head after the rows pushed so far. */
  get head(): { id: string; hash: string } | undefined {
    return this.lastId === undefined ? undefined : { id: this.lastId, hash: this.prev };
  }

  /**
   * Compares the end of the walk with the chain head the writers keep: rows removed from the end of the log leave
   * the head naming a row that is gone.
   */
  end(head: { lastId: string; lastHash: string }): BrokenLink | undefined {
    const lastId = this.lastId ?? '0';
    if (lastId === head.lastId && this.prev === head.lastHash) return undefined;
    const id = BigInt(head.lastId) > BigInt(lastId) ? head.lastId : lastId;
    return { id, chain: 'global', problem: 'head', expected: head.lastHash, found: this.prev };
  }
}

/**
 * Walks the per-case chains: rows ordered by case, then `case_seq`. Each case's rows count 1, 2, 3 … and each
 * points at the previous row's `case_hash` (the first at genesis). Remembers the first break of every case and
 * keeps going, so the break with the lowest row id can be reported. Pure.
 */
export class CaseChainCheck {
  private caseNo?: string;
  private seq = 0;
  private prev = GENESIS_HASH;
  private brokenCase = false;
  checked = 0;
  /** The first break of each broken case, in the order found. */
  readonly broken: BrokenLink[] = [];

  push(row: AuditRow): void {
    this.checked += 1;
    if (row.caseNo !== this.caseNo) {
      this.caseNo = row.caseNo ?? undefined;
      this.seq = 0;
      this.prev = GENESIS_HASH;
      this.brokenCase = false;
    }
    if (this.brokenCase) return;
    const fail = (problem: BrokenLink['problem'], expected: string, found: string) => {
      this.broken.push({ id: row.id, chain: 'case', caseNo: row.caseNo ?? undefined, problem, expected, found });
      this.brokenCase = true;
    };
    if (row.caseSeq !== this.seq + 1) return fail('sequence', `case_seq ${this.seq + 1}`, `case_seq ${row.caseSeq}`);
    if (row.casePrevHash !== this.prev) return fail('link', this.prev, String(row.casePrevHash));
    const hash = auditHash('case', this.prev, contentOf(row));
    if (hash !== row.caseHash) return fail('hash', hash, String(row.caseHash));
    this.seq += 1;
    this.prev = hash;
  }

  /** The break with the lowest row id, if any case broke. */
  get first(): BrokenLink | undefined {
    return this.broken.reduce<BrokenLink | undefined>(
      (first, link) => (first === undefined || BigInt(link.id) < BigInt(first.id) ? link : first),
      undefined,
    );
  }
}

/** Of two breaks, the one with the lower row id (the global chain's on a tie). */
export function earlierBreak(a: BrokenLink | undefined, b: BrokenLink | undefined): BrokenLink | undefined {
  if (!a || !b) return a ?? b;
  return BigInt(b.id) < BigInt(a.id) ? b : a;
}

const SELECT_ROW = `SELECT id::text AS id, at, recorded_at, actor, action, subject_kind, subject_id, case_no, case_seq,
  before, after, reason, source, event_ref, update_id, prev_hash, hash, case_prev_hash, case_hash FROM audit_log`;

interface StoredRow {
  id: string;
  at: Date;
  recorded_at: Date;
  actor: AuditRow['actor'];
  action: string;
  subject_kind: string;
  subject_id: string;
  case_no: string | null;
  case_seq: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  source: string;
  event_ref: string | null;
  update_id: string | null;
  prev_hash: string;
  hash: string;
  case_prev_hash: string | null;
  case_hash: string | null;
}

/** An `audit_log` row as node-postgres returns it, in the form its hashes were computed over. */
export function auditRowOf(row: StoredRow): AuditRow {
  return {
    id: row.id,
    at: row.at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor,
    action: row.action,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    caseNo: row.case_no,
    caseSeq: row.case_seq,
    before: row.before,
    after: row.after,
    reason: row.reason,
    source: row.source,
    eventRef: row.event_ref,
    updateId: row.update_id,
    prevHash: row.prev_hash,
    hash: row.hash,
    casePrevHash: row.case_prev_hash,
    caseHash: row.case_hash,
  };
}

/** Options of {@link verifyAuditLog}. */
export interface VerifyOptions {
  /** Check only this case's chain (its rows in `case_seq` order); otherwise the whole log, both chains. */
  caseNo?: string;
  /** Rows read per query. */
  pageSize?: number;
}

/**
 * Recomputes the audit log's hash chains and reports the first link that does not hold. The whole log: the global
 * chain in id order (ending at the chain head), then every case's chain; the reported break is the one with the
 * lowest row id. With `caseNo`: that case's chain only (rows removed from the end of a case show only in the
 * whole-log check). Reads one consistent snapshot (a repeatable-read transaction), so concurrent appends do not
 * disturb it.
 */
export async function verifyAuditLog(dataSource: DataSource, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1000;
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    if (options.caseNo !== undefined) {
      const cases = await walkCases(manager, pageSize, options.caseNo);
      const firstBroken = cases.first;
      return { ok: !firstBroken, checked: cases.checked, ...(firstBroken ? { firstBroken } : {}) };
    }
    const [head] = (await manager.query(`SELECT last_id::text AS last_id, last_hash FROM audit_chain_head`)) as {
      last_id: string;
      last_hash: string;
    }[];
    const global = new GlobalChainCheck();
    let globalBreak: BrokenLink | undefined;
    for (let after = '0'; globalBreak === undefined; ) {
      const rows = (await manager.query(`${SELECT_ROW} WHERE audit_log.id > $1 ORDER BY audit_log.id LIMIT $2`, [
        after,
        pageSize,
      ])) as StoredRow[];
      for (const row of rows) {
        globalBreak = global.push(auditRowOf(row));
        if (globalBreak) break;
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1].id;
    }
    if (!globalBreak) {
      globalBreak = head
        ? global.end({ lastId: head.last_id, lastHash: head.last_hash })
        : { id: '0', chain: 'global', problem: 'head', expected: 'an audit_chain_head row', found: 'none' };
    }
    const cases = await walkCases(manager, pageSize);
    const firstBroken = earlierBreak(globalBreak, cases.first);
    return {
      ok: !firstBroken,
      checked: Math.max(global.checked, cases.checked),
      ...(global.head ? { head: global.head } : {}),
      ...(firstBroken ? { firstBroken } : {}),
    };
  });
}

async function walkCases(manager: EntityManager, pageSize: number, caseNo?: string): Promise<CaseChainCheck> {
  const check = new CaseChainCheck();
  let cursor: [string, number] = [caseNo ?? '', 0];
  for (;;) {
    const rows = (await manager.query(
      caseNo === undefined
        ? `${SELECT_ROW} WHERE case_no IS NOT NULL AND (case_no, case_seq) > ($1, $2)
            ORDER BY case_no, case_seq LIMIT $3`
        : `${SELECT_ROW} WHERE case_no = $1 AND case_seq > $2 ORDER BY case_seq LIMIT $3`,
      [cursor[0], cursor[1], pageSize],
    )) as StoredRow[];
    for (const row of rows) check.push(auditRowOf(row));
    if (rows.length < pageSize) return check;
    const last = rows[rows.length - 1];
    cursor = [last.case_no as string, last.case_seq as number];
  }
}
