import type { AuditCaseRow, AuditWhistle, CaseSearchQueryDto } from './audit.dto';
import { ApiError, ApiErrorCode } from '../common/api-error';

/** Columns of a search row; the citizen's name, phone, address, description and coordinates are never selected. */
export const CASE_SEARCH_COLUMNS = `c.case_no, c.kind, c.category, c.urgency, c.channel, c.status, c.stage, c.phase,
  c.outcome, c.lead_unit_id, c.responsible_unit_id, c.co_unit_ids, c.copy_unit_ids, c.grid_id, c.community_id,
  c.street_id, c.district_id, c.escalation_level, c.supervision, c.overdue, c.priority, c.repeat_count,
  c.rules_version, c.received_at, c.dispatched_at, c.signed_at, c.contacted_at, c.replied_at, c.called_back_at,
  c.closed_at, c.next_deadline,
  ARRAY(SELECT DISTINCT e.detail ->> 'kind' FROM case_events e
         WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.type = 'overdue' AND e.detail ? 'kind'
         ORDER BY 1) AS overdue_deadlines,
  COALESCE((SELECT json_agg(json_build_object('round', (e.detail ->> 'round')::int, 'grade', e.detail ->> 'grade',
                    'trigger', e.detail ->> 'trigger', 'whistleType', e.detail ->> 'whistleType') ORDER BY e.seq)
              FROM case_events e WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.type = 'whistled'),
           '[]') AS whistles`;

/** A row as node-postgres returns {@link CASE_SEARCH_COLUMNS}. */
export interface StoredCaseRow {
  case_no: string;
  kind: string;
  category: string;
  urgency: string;
  channel: string;
  status: string;
  stage: string;
  phase: string | null;
  outcome: string | null;
  lead_unit_id: string | null;
  responsible_unit_id: string | null;
  co_unit_ids: string[];
  copy_unit_ids: string[];
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  escalation_level: string;
  supervision: string;
  overdue: boolean;
  priority: string;
  repeat_count: number;
  rules_version: string;
  received_at: Date;
  dispatched_at: Date | null;
  signed_at: Date | null;
  contacted_at: Date | null;
  replied_at: Date | null;
  called_back_at: Date | null;
  closed_at: Date | null;
  next_deadline: Date | null;
  overdue_deadlines: string[];
  whistles: AuditWhistle[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toAuditCaseRow(row: StoredCaseRow): AuditCaseRow {
  return {
    caseNo: row.case_no,
    kind: row.kind,
    category: row.category,
    urgency: row.urgency,
    channel: row.channel,
    status: row.status,
    stage: row.stage,
    phase: row.phase,
    outcome: row.outcome,
    leadUnitId: row.lead_unit_id,
    responsibleUnitId: row.responsible_unit_id,
    coUnitIds: row.co_unit_ids,
    copyUnitIds: row.copy_unit_ids,
    gridId: row.grid_id,
    communityId: row.community_id,
    streetId: row.street_id,
    districtId: row.district_id,
    escalationLevel: row.escalation_level,
    supervision: row.supervision,
    overdue: row.overdue,
    overdueDeadlines: row.overdue_deadlines,
    whistles: row.whistles,
    priority: row.priority,
    repeatCount: row.repeat_count,
    rulesVersion: row.rules_version,
    receivedAt: row.received_at.toISOString(),
    dispatchedAt: iso(row.dispatched_at),
    signedAt: iso(row.signed_at),
    contactedAt: iso(row.contacted_at),
    repliedAt: iso(row.replied_at),
    calledBackAt: iso(row.called_back_at),
    closedAt: iso(row.closed_at),
    nextDeadline: iso(row.next_deadline),
  };
}

/** A position in the search order (received_at, case_no), opaque to clients. */
export interface SearchCursor {
  receivedAt: string;
  caseNo: string;
}

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.receivedAt, cursor.caseNo])).toString('base64url');
}

export function decodeCursor(text: string): SearchCursor {
  try {
    const [receivedAt, caseNo] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof receivedAt === 'string' && !Number.isNaN(Date.parse(receivedAt)) && typeof caseNo === 'string') {
      return { receivedAt, caseNo };
    }
  } catch {
    // falls through to the refusal
  }
  throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
    { field: 'cursor', rule: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
  ]);
}

/**
 * The WHERE clause (over `cases c`) and parameters of the filters, plus the keyset condition after `cursor`. Every
 * value is a bound parameter. Pure.
 */
export function caseSearchWhere(
  query: CaseSearchQueryDto,
  cursor?: SearchCursor,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.from) conditions.push(`c.received_at >= ${bind(query.from)}`);
  if (query.to) conditions.push(`c.received_at < ${bind(query.to)}`);
  if (query.unitId) {
    const unit = bind(query.unitId);
    conditions.push(
      `(${unit} IN (c.lead_unit_id, c.responsible_unit_id, c.grid_id, c.community_id, c.street_id, c.district_id)` +
        ` OR ${unit} = ANY (c.co_unit_ids) OR ${unit} = ANY (c.copy_unit_ids))`,
    );
  }
  if (query.status) conditions.push(`c.status = ${bind(query.status)}`);
  if (query.category) conditions.push(`c.category = ${bind(query.category)}`);
  if (query.overdue !== undefined) conditions.push(`c.overdue = ${bind(query.overdue)}`);
  if (query.escalationLevel) conditions.push(`c.escalation_level = ${bind(query.escalationLevel)}`);
  if (query.supervision) conditions.push(`c.supervision = ${bind(query.supervision)}`);
  if (query.rulesVersion) conditions.push(`c.rules_version = ${bind(query.rulesVersion)}`);
  if (cursor) {
    conditions.push(`(c.received_at, c.case_no) > (${bind(cursor.receivedAt)}::timestamptz, ${bind(cursor.caseNo)})`);
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Columns of the lifecycle CSV, in order. */
export const LIFECYCLE_CSV_COLUMNS = [
  'case_no',
  'kind',
  'category',
  'urgency',
  'channel',
  'status',
  'outcome',
  'unit',
  'responsible_unit',
  'community',
  'street',
  'district',
  'created',
  'dispatched',
  'signed',
  'contacted',
  'replied',
  'called_back',
  'closed',
  'overdue_now',
  'sign_overdue',
  'contact_overdue',
  'handle_overdue',
  'escalation_overdue',
  'callback_overdue',
  'escalation_level',
  'supervision',
  'rules_version',
  'whistle_grades',
  'whistle_triggers',
  'whistle_types',
] as const;

/** A search row as lifecycle CSV cells, in {@link LIFECYCLE_CSV_COLUMNS} order. */
export function lifecycleCsvCells(row: AuditCaseRow): unknown[] {
  const ran = (kind: string) => row.overdueDeadlines.includes(kind);
  return [
    row.caseNo,
    row.kind,
    row.category,
    row.urgency,
    row.channel,
    row.status,
    row.outcome,
    row.leadUnitId,
    row.responsibleUnitId,
    row.communityId,
    row.streetId,
    row.districtId,
    row.receivedAt,
    row.dispatchedAt,
    row.signedAt,
    row.contactedAt,
    row.repliedAt,
    row.calledBackAt,
    row.closedAt,
    row.overdue,
    ran('sign'),
    ran('contact'),
    ran('handle'),
    ran('escalation'),
    ran('callback'),
    row.escalationLevel,
    row.supervision,
    row.rulesVersion,
    // One entry per whistle round, in order, separated by `;` (a type is empty under rules that tell none apart).
    row.whistles.map((whistle) => whistle.grade).join(';'),
    row.whistles.map((whistle) => whistle.trigger ?? '').join(';'),
    row.whistles.map((whistle) => whistle.whistleType ?? '').join(';'),
  ];
}
