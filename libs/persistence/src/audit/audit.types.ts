import type { AuditRowContent } from './canonical';

/** Who an audit entry names: a person or integration (from the token), or `system` for the engine itself. */
export interface AuditActor {
  userId: string;
  role: string;
  unitId: string | null;
}

/** The engine as an actor: deadlines, reminders, escalation by the ladder, whistle-round bookkeeping. */
export const SYSTEM_ACTOR: AuditActor = { userId: 'system', role: 'system', unitId: null };

/** Where an entry came from: a domain event mirrored by the worker, or an action the API took itself. */
export type AuditSource = 'case-event' | 'api';

/** What a subject is: a case, a whistle round of a case, a calendar, a rules version, a user … */
export interface AuditSubject {
  kind: string;
  id: string;
}

/** One entry to append (see {@link appendAudit}). */
export interface AuditEntry {
  /** When it happened (workflow time for case events); stored to the millisecond. */
  at: string | Date;
  actor: AuditActor;
  /** What was done, e.g. `signed`, `escalated`, `whistle-round.reported`, `calendar.day-added`. */
  action: string;
  subject: AuditSubject;
  /** The case the entry belongs to; entries of a case form its own hash chain. */
  caseNo?: string;
  /**
   * Values before the change. For a case entry left undefined, the writer fills it for the {@link CASE_STATE_FIELDS}
   * in `after`, from the newest entry of the same case that recorded them.
   */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Why (a reason, instruction or note the actor gave). */
  reason?: string;
  source: AuditSource;
  /** The record the entry mirrors, unique in the log: `<caseNo>/<stream>/<seq>` for case events. */
  eventRef?: string;
  /** The Temporal Update that caused it, when known. */
  updateId?: string;
}

/** Fields of a case's state whose previous value the writer looks up to fill `before` (see {@link AuditEntry}). */
export const CASE_STATE_FIELDS: readonly string[] = [
  'phase',
  'leadUnitId',
  'responsibleUnitId',
  'escalationLevel',
  'supervision',
  'overdue',
  'suspended',
  'extensionPending',
  'rulesVersion',
  'priority',
  'repeatCount',
  'outcome',
  'contacted',
];

/** A stored audit row: its content and its four hashes. */
export interface AuditRow extends AuditRowContent {
  prevHash: string;
  hash: string;
  casePrevHash: string | null;
  caseHash: string | null;
}

/** The first link of a chain that does not hold, as {@link verifyAuditLog} reports it. */
export interface BrokenLink {
  /** Id of the row where the chain breaks (for `head`: the id the chain head names). */
  id: string;
  chain: 'global' | 'case';
  /** The case whose chain breaks (chain `case`). */
  caseNo?: string;
  /**
   * `hash`: the row's content no longer gives its stored hash (the row was changed);
   * `link`: the row does not point at the previous row's hash (a row before it was removed, inserted or changed);
   * `sequence`: a case's rows skip or repeat a number (a row was removed or inserted);
   * `head`: the log ends before the row the chain head names (rows at the end were removed).
   */
  problem: 'hash' | 'link' | 'sequence' | 'head';
  expected: string;
  found: string;
}

/** The outcome of a verification: how many rows were checked and, when a chain does not hold, the first break. */
export interface AuditVerification {
  ok: boolean;
  /** Rows checked (each counted once, though the full check walks both chains). */
  checked: number;
  /** The global chain's head after the checked rows (note it: a later verification must reach it). */
  head?: { id: string; hash: string };
  firstBroken?: BrokenLink;
}
