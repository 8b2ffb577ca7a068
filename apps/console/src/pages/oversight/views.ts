/*
 * The oversight answers the console reads whose shapes the OpenAPI document leaves open (plain objects): from
 * apps/api/src/audit (search, verification, consistency, timeline) and libs/domain/src/scores/score.types.ts.
 */

export const SCORED_KINDS = ['street', 'department', 'district'] as const;
export type ScoredKind = (typeof SCORED_KINDS)[number];
export const RATES = ['response', 'resolution', 'satisfaction'] as const;
export type RateName = (typeof RATES)[number];

export interface AuditCaseRow {
  caseNo: string;
  kind: string;
  category: string;
  urgency: string;
  channel: string;
  status: string;
  stage: string;
  phase: string | null;
  outcome: string | null;
  leadUnitId: string | null;
  responsibleUnitId: string | null;
  streetId: string | null;
  districtId: string | null;
  escalationLevel: string;
  supervision: string;
  overdue: boolean;
  overdueDeadlines: string[];
  rulesVersion: string;
  receivedAt: string;
  closedAt: string | null;
  nextDeadline: string | null;
}

export interface AuditCasePage {
  items: AuditCaseRow[];
  nextCursor?: string;
}

export interface BrokenLink {
  id: string;
  chain: 'global' | 'case';
  caseNo?: string;
  problem: 'hash' | 'link' | 'sequence' | 'head';
  expected: string;
  found: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  head?: { id: string; hash: string };
  firstBroken?: BrokenLink;
}

export interface CaseDrift {
  caseNo?: string;
  workflowId: string;
  kind: 'missing-workflow' | 'missing-projection' | 'fields';
  fields?: { field: string; attribute?: string; projection: unknown; visibility: unknown }[];
}

export interface ConsistencyReport {
  ok: boolean;
  checkedAt: string;
  since: string;
  checkedCases: number;
  checkedWorkflows: number;
  drift: CaseDrift[];
}

export interface AuditTimelineRow {
  time: string;
  actor: string | null;
  role: string | null;
  unit: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  change: string | null;
  reason: string | null;
  temporalEventId: number | null;
  temporalEventType: string | null;
  workflowId: string | null;
  source: 'audit-log' | 'temporal';
  auditId?: string;
  eventRef?: string;
  updateId?: string;
}

export interface CaseTimeline {
  caseNo: string;
  workflowId: string;
  namespace: string;
  temporalUiUrl: string;
  historySource: 'temporal+audit-log' | 'audit-log-only';
  note?: string;
  workflows: { workflowId: string; temporalUiUrl: string; historyFound: boolean; error?: string }[];
  rows: AuditTimelineRow[];
}

export interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

export interface UnitScore {
  unitId: string;
  unitName: string | null;
  unitKind: ScoredKind;
  counts: { cases: number; dispatched: number; rated: number; satisfactionRated: number } & Record<string, unknown>;
  rates: Record<RateName, Rate>;
  score: number | null;
  eligible: boolean;
  rank: number | null;
  bottom: boolean;
  /** The scope the unit is ranked in: 'city' or a district with a definition of its own. */
  scope?: string | null;
}

export interface DepartmentAssessment {
  departmentId: string;
  count: number;
  average: number;
  byWhistler: { whistlerUnitId: string; count: number; average: number }[];
  ratings: { round: number; whistlerUnitId: string; departmentId: string; score: number; at: string; caseNo: string }[];
}

export interface Hotspot {
  month: string;
  category: string;
  districtId: string | null;
  streetId: string | null;
  cases: number;
  repeatContacts: number;
  duplicates: number;
  caseNos: string[];
}

export interface ProblemCandidate {
  category: string;
  cases: number;
  previousCases: number;
  growth: number;
  repeatContacts: number;
  areas: string[];
  caseNos: string[];
  reason: string;
}

export interface ScoreRun {
  id: string | null;
  month: string;
  trigger: string;
  status: string;
  computedAt: string | null;
  published: boolean;
  superseded: boolean;
  error: string | null;
  policy?: { weights: Record<RateName, number>; minSample: number; bottomN: number };
}

export interface MonthScores {
  run: ScoreRun;
  units: UnitScore[];
  rankings: Record<ScoredKind, { rank: number; unitId: string; unitName: string | null; score: number | null }[]>;
  bottom: Record<ScoredKind, string[]>;
  doubleAssessment: DepartmentAssessment[];
  hotspots: Hotspot[];
  candidates: ProblemCandidate[];
}

/** The case lists behind a unit's counts (`…/explain`). */
export interface UnitExplanation extends UnitScore {
  run: { id: string; month: string; computedAt: string };
  formulas: Record<RateName | 'score', string>;
  explanation: {
    cases: string[];
    dispatched: string[];
    respondedOnTime: string[];
    respondedLate: string[];
    rated: string[];
    solved: string[];
    satisfactionRated: string[];
    satisfied: string[];
    excluded: Record<string, string[]>;
    eligibility: string;
  };
}

/** The cases behind one figure of a unit (`…/units/{unitId}/cases?figure=`). */
export interface FigureCases {
  run: { id: string; month: string; computedAt: string; scope: string; definition: string | null };
  unitId: string;
  figure: string;
  formula: string;
  counted: string[];
  met: string[];
  missed: string[];
  excluded: Record<string, string[]>;
}
