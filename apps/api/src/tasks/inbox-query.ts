/*
 * The SQL of the task inbox, as pure functions of a validated filter, so the service and the benchmark
 * (scripts/bench-inbox.ts) issue exactly the same statements. The indexes that serve them are in migration
 * 1700000000007-inbox-indexes.
 */

/** Where a task stands: open for anyone of its unit with its role, claimed by one person, or closed by the case. */
export const TASK_STATUSES = ['open', 'claimed', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Inbox sort keys: due date (tasks without a deadline last when ascending) or creation instant. */
export const INBOX_SORTS = ['due_at', 'created_at'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** A position in an inbox listing: the sort key of the last row shown (PostgreSQL text of a timestamptz) and its id. */
export interface InboxPosition {
  key: string;
  id: string;
}

/** A validated inbox filter; `unitId` is already decided by the access rules. */
export interface InboxFilter {
  unitId: string;
  /** Empty means open and claimed. */
  status?: TaskStatus;
  role?: string;
  step?: string;
  category?: string;
  /** ISO instant: only tasks due strictly before it (tasks without a deadline never match). */
  dueBefore?: string;
  overdue?: boolean;
  escalationLevel?: string;
  /** Digits only: a prefix of the case number; anything else: a substring of the case's address. */
  q?: string;
  sort: InboxSort;
  order: SortOrder;
  /** Rows after this position (keyset pagination). */
  after?: InboxPosition;
  /** Page size; the query fetches one more row to know whether a next page exists. */
  limit: number;
}

/** A statement and its parameters. */
export interface Sql {
  text: string;
  values: unknown[];
}

/** Columns of a task row as the inbox returns them, with the case fields a list shows (never the citizen). */
export interface InboxRow {
  id: string;
  case_no: string;
  step: string;
  unit_id: string;
  candidate_role: string;
  status: TaskStatus;
  claimed_by: string | null;
  claimed_at: Date | null;
  category: string;
  escalation_level: string;
  created_at: Date;
  due_at: Date | null;
  reminder_at: Date | null;
  reminded: boolean;
  overdue: boolean;
  closed_at: Date | null;
  version: number;
  /** The sort key as PostgreSQL text, exact to the microsecond (a JS Date would round it to the millisecond). */
  sort_key: string;
  kind: string;
  urgency: string;
  address: string | null;
}

/** The sort expression, spelled exactly as the index expression so the planner can use it. */
export function sortExpression(sort: InboxSort): string {
  return sort === 'due_at' ? `COALESCE(t.due_at, 'infinity'::timestamptz)` : 't.created_at';
}

/** Escapes LIKE wildcards so that user text matches literally (PostgreSQL's default escape is the backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** True when `q` is looked up as a case-number prefix rather than an address substring. */
export function isCaseNoPrefix(q: string): boolean {
  return /^\d+$/.test(q);
}

/**
 * One page of a unit's inbox, `limit + 1` rows in sort order. The status condition is spelled as the partial
 * indexes' predicate (`status <> 'closed'`) for the default open + claimed listing.
 */
export function inboxPageSql(filter: InboxFilter): Sql {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const key = sortExpression(filter.sort);
  const where = [`t.unit_id = ${param(filter.unitId)}`];
  // Literal, not a parameter, so the planner matches the partial indexes' predicates (the value is from a list).
  if (filter.status && !TASK_STATUSES.includes(filter.status)) throw new Error(`unknown status ${filter.status}`);
  where.push(filter.status ? `t.status = '${filter.status}'` : `t.status <> 'closed'`);
  if (filter.role) where.push(`t.candidate_role = ${param(filter.role)}`);
  if (filter.step) where.push(`t.step = ${param(filter.step)}`);
  if (filter.category) where.push(`t.category = ${param(filter.category)}`);
  if (filter.escalationLevel) where.push(`t.escalation_level = ${param(filter.escalationLevel)}`);
  if (filter.overdue !== undefined) where.push(`t.overdue = ${param(filter.overdue)}`);
  if (filter.dueBefore) {
    // On the sort key when sorting by due date, so the index range ends there; `infinity` is never before.
    where.push(`${filter.sort === 'due_at' ? key : 't.due_at'} < ${param(filter.dueBefore)}::timestamptz`);
  }
  if (filter.q) {
    where.push(
      isCaseNoPrefix(filter.q)
        ? `t.case_no LIKE ${param(`${filter.q}%`)}`
        : `c.address ILIKE ${param(`%${escapeLike(filter.q)}%`)}`,
    );
  }
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
  if (filter.after) {
    const cmp = filter.order === 'asc' ? '>' : '<';
    where.push(`(${key}, t.id) ${cmp} (${param(filter.after.key)}::timestamptz, ${param(filter.after.id)}::uuid)`);
  }
  const text = `
    SELECT t.id, t.case_no, t.step, t.unit_id, t.candidate_role, t.status, t.claimed_by, t.claimed_at, t.category,
           t.escalation_level, t.created_at, t.due_at, t.reminder_at, t.reminded, t.overdue, t.closed_at, t.version,
           ${key}::text AS sort_key, c.kind, c.urgency, c.address
      FROM tasks t JOIN cases c ON c.case_no = t.case_no
     WHERE ${where.join('\n       AND ')}
     ORDER BY ${key} ${direction}, t.id ${direction}
     LIMIT ${param(filter.limit + 1)}`;
  return { text, values };
}

/** Badge counts of a unit's inbox: open, claimed, and overdue among them (one index-only pass). */
export function inboxCountsSql(unitId: string): Sql {
  return {
    text: `
      SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
             count(*) FILTER (WHERE status = 'claimed')::int AS claimed,
             count(*) FILTER (WHERE overdue)::int AS overdue
        FROM tasks
       WHERE unit_id = $1 AND status <> 'closed'`,
    values: [unitId],
  };
}

/** The cursor of the next page: the sort and order it belongs to, and the position of the last row shown. */
export interface InboxCursor extends InboxPosition {
  sort: InboxSort;
  order: SortOrder;
}

/** Encodes a cursor as opaque URL-safe base64. */
export function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, o: cursor.order, k: cursor.key, i: cursor.id })).toString(
    'base64url',
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text of a timestamptz (any DateStyle ISO offset), or infinity.
const PG_TIMESTAMP = /^(infinity|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2}){0,2}|Z)?)$/;

/** Decodes a cursor; `undefined` when it is not one this API issued. */
export function decodeCursor(text: string): InboxCursor | undefined {
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { s, o, k, i } = raw ?? {};
    if (!INBOX_SORTS.includes(s as InboxSort) || (o !== 'asc' && o !== 'desc')) return undefined;
    if (typeof k !== 'string' || !PG_TIMESTAMP.test(k) || typeof i !== 'string' || !UUID.test(i)) return undefined;
    return { sort: s as InboxSort, order: o, key: k, id: i };
  } catch {
    return undefined;
  }
}
