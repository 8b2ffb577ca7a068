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
  /**
   * Only tasks claimed by this user id: the claimed ones (open tasks have no claimer); with `status: 'closed'`,
   * those closed while this user held them.
   */
  claimedBy?: string;
  /**
   * For an address search: the cases whose address matches, when there are at most {@link ADDRESS_MATCH_CAP}
   * (see {@link inboxPageSqlFor}); the page then looks only at their tasks instead of testing every task's address.
   */
  caseNos?: string[];
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
  /** Present where the query selects it: `<caseNo>:<step>:<unit>…` (whistle tasks end with the department). */
  task_key?: string;
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

/** Binds values to `$n` placeholders in order. */
function binder() {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, param };
}

/** The conditions of `filter` but its position (`after`) and text search. */
function conditions(filter: InboxFilter, param: (value: unknown) => string): string[] {
  const where = [`t.unit_id = ${param(filter.unitId)}`];
  // Literal, not a parameter, so the planner matches the partial indexes' predicates (the value is from a list).
  if (filter.status && !TASK_STATUSES.includes(filter.status)) throw new Error(`unknown status ${filter.status}`);
  // One's own claims without a status are the claimed tasks: spelled so, the claimer's index (tasks_claimed_idx)
  // serves them instead of a walk along the unit's whole inbox.
  const status = filter.status ?? (filter.claimedBy !== undefined ? 'claimed' : undefined);
  where.push(status ? `t.status = '${status}'` : `t.status <> 'closed'`);
  if (filter.claimedBy !== undefined) where.push(`t.claimed_by = ${param(filter.claimedBy)}`);
  if (filter.role) where.push(`t.candidate_role = ${param(filter.role)}`);
  if (filter.step) where.push(`t.step = ${param(filter.step)}`);
  if (filter.category) where.push(`t.category = ${param(filter.category)}`);
  if (filter.escalationLevel) where.push(`t.escalation_level = ${param(filter.escalationLevel)}`);
  if (filter.overdue !== undefined) where.push(`t.overdue = ${param(filter.overdue)}`);
  if (filter.dueBefore) {
    // On the sort key when sorting by due date, so the index range ends there; `infinity` is never before.
    const column = filter.sort === 'due_at' ? sortExpression('due_at') : 't.due_at';
    where.push(`${column} < ${param(filter.dueBefore)}::timestamptz`);
  }
  return where;
}

/**
 * One page of a unit's inbox, `limit + 1` rows in sort order. The status condition is spelled as the partial
 * indexes' predicate (`status <> 'closed'`) for the default open + claimed listing.
 *
 * `fenced` reads the matching rows first and sorts them after (a subquery the LIMIT cannot reach into), for a
 * search known to match few rows: otherwise the planner may walk the unit's whole inbox in sort order looking for
 * them, since it cannot estimate how few a case-number prefix or a list of cases matches.
 */
export function inboxPageSql(filter: InboxFilter, options: { fenced?: boolean } = {}): Sql {
  const { values, param } = binder();
  const key = sortExpression(filter.sort);
  const where = conditions(filter, param);
  if (filter.q && isCaseNoPrefix(filter.q)) where.push(`t.case_no LIKE ${param(`${filter.q}%`)}`);
  else if (filter.q && filter.caseNos) where.push(`t.case_no = ANY(${param(filter.caseNos)}::text[])`);
  else if (filter.q) {
    if (options.fenced) throw new Error('a fenced page reads no case: it cannot test addresses');
    where.push(`c.address ILIKE ${param(addressPattern(filter.q))}`);
  }
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
  if (filter.after) {
    const cmp = filter.order === 'asc' ? '>' : '<';
    where.push(`(${key}, t.id) ${cmp} (${param(filter.after.key)}::timestamptz, ${param(filter.after.id)}::uuid)`);
  }
  const columns = `t.id, t.task_key, t.case_no, t.step, t.unit_id, t.candidate_role, t.status, t.claimed_by, t.claimed_at,
           t.category, t.escalation_level, t.created_at, t.due_at, t.reminder_at, t.reminded, t.overdue, t.closed_at,
           t.version, ${key}::text AS sort_key`;
  const conditionsText = where.join('\n       AND ');
  const limit = param(filter.limit + 1);
  // Fenced: the matches of a search that has no address condition, sorted, then the page's cases joined.
  const text = options.fenced
    ? `
    SELECT p.*, c.kind, c.urgency, c.address
      FROM (SELECT * FROM (SELECT ${columns}, ${key} AS sort_at FROM tasks t
                            WHERE ${conditionsText} OFFSET 0) m
             ORDER BY m.sort_at ${direction}, m.id ${direction} LIMIT ${limit}) p
      JOIN cases c ON c.case_no = p.case_no
     ORDER BY p.sort_at ${direction}, p.id ${direction}`
    : `
    SELECT ${columns}, c.kind, c.urgency, c.address
      FROM tasks t JOIN cases c ON c.case_no = t.case_no
     WHERE ${conditionsText}
     ORDER BY ${key} ${direction}, t.id ${direction}
     LIMIT ${limit}`;
  return { text, values };
}

/**
 * Most rows a search reads by index and sorts itself: this many matching tasks of a case-number prefix, or this
 * many matching cases of an address. Beyond it the text is common, and testing rows along the unit's inbox in sort
 * order fills a page soon.
 */
export const SEARCH_FETCH_CAP = 2000;

const addressPattern = (q: string) => `%${escapeLike(q)}%`;

/** How many tasks of the filter match a case-number prefix, counted up to one past the cap (case-number index). */
export function prefixMatchCountSql(filter: InboxFilter & { q: string }): Sql {
  const { values, param } = binder();
  const where = conditions(filter, param);
  where.push(`t.case_no LIKE ${param(`${filter.q}%`)}`);
  return {
    text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM tasks t WHERE ${where.join(' AND ')} LIMIT ${param(SEARCH_FETCH_CAP + 1)}) m`,
    values,
  };
}

/** The cases whose address contains `q` (trigram index), one more than the cap to tell whether there are more. */
export function addressMatchesSql(q: string): Sql {
  return {
    text: `SELECT case_no FROM cases WHERE address ILIKE $1 LIMIT $2`,
    values: [addressPattern(q), SEARCH_FETCH_CAP + 1],
  };
}

/**
 * The page statement for `filter`, as the service issues it: a text search first asks an index how much it
 * matches. A case-number prefix counts its tasks; an address asks the trigram index which cases contain it. Up to
 * {@link SEARCH_FETCH_CAP}, the page reads just those and sorts them (fast however rare the text); beyond, the
 * page walks the inbox in sort order and tests each row.
 */
export async function inboxPageSqlFor(filter: InboxFilter, query: <T>(sql: Sql) => Promise<T[]>): Promise<Sql> {
  const q = filter.q;
  if (!q) return inboxPageSql(filter);
  if (isCaseNoPrefix(q)) {
    const [{ n }] = await query<{ n: number }>(prefixMatchCountSql({ ...filter, q }));
    return inboxPageSql(filter, { fenced: n <= SEARCH_FETCH_CAP });
  }
  const matches = await query<{ case_no: string }>(addressMatchesSql(q));
  if (matches.length > SEARCH_FETCH_CAP) return inboxPageSql({ ...filter, caseNos: undefined });
  return inboxPageSql({ ...filter, caseNos: matches.map((match) => match.case_no) }, { fenced: true });
}

/**
 * Badge counts of a unit's inbox: open, claimed, and overdue among them. Three index-only range counts over a
 * narrow index (tasks_inbox_counts_idx), cheaper than one pass that filters every entry three ways.
 */
export function inboxCountsSql(unitId: string): Sql {
  return {
    text: `
      SELECT (SELECT count(*) FROM tasks WHERE unit_id = $1 AND status = 'open')::int AS open,
             (SELECT count(*) FROM tasks WHERE unit_id = $1 AND status = 'claimed')::int AS claimed,
             (SELECT count(*) FROM tasks WHERE unit_id = $1 AND status <> 'closed' AND overdue)::int AS overdue`,
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
