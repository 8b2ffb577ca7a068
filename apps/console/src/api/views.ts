/*
 * Answers the OpenAPI document does not describe yet (the case, public and timeline routes return plain objects):
 * the console's reading of them, from apps/api/src/cases/case.response.ts and apps/api/src/audit/timeline.ts.
 */

export interface Me {
  userId: string;
  username: string;
  displayName: string;
  role: 'operator' | 'handler' | 'coordinator' | 'designer' | 'auditor' | 'admin';
  unitId: string;
  unitKind: string;
  expiresAt?: string;
}

export interface LoginAnswer {
  accessToken: string;
  expiresAt: string;
  user: Me;
}

export interface WhistleRoundState {
  round: number;
  whistlerUnitId: string;
  departmentIds: string[];
  grade: string;
  reason: string;
  /** Why it was blown and its type, where the rules read them. */
  trigger?: string;
  whistleType?: string;
  startedAt: string;
  status: string;
  finishedAt?: string;
  summary?: {
    departments: {
      departmentId: string;
      reported: boolean;
      lateReport: boolean;
      escalated: boolean;
      resulted: boolean;
      overdue: boolean;
      score?: number;
      /** The whistler vetoed the department's assessment. */
      veto?: boolean;
    }[];
  };
}

export interface CaseState {
  caseNo: string;
  status: string;
  stage: string;
  rulesVersion: string;
  stages: { stage: string; status: string; at: string }[];
  lifecycle?: {
    phase: string;
    escalationLevel: string;
    supervision: string;
    overdue: boolean;
    whistleRounds: WhistleRoundState[];
    timestamps: Record<string, string>;
    deadlines: Record<string, { due: string } | string>;
    plan?: { leadUnitId: string; ladderUnits?: Record<string, string> };
    escalationUnitId?: string;
    reply?: { result: string; summary: string };
    outcome?: string;
  };
}

export interface CaseResponse {
  caseNo: string;
  workflowId: string;
  intakeStatus: string;
  receivedAt: string;
  case: null | {
    kind: string;
    category: string;
    urgency: string;
    channel: string;
    status: string;
    stage: string;
    description: string;
    address: string | null;
    citizen: { name: string | null; phone: string | null };
    place: { gridId: string | null; communityId: string | null; streetId: string | null; districtId: string | null };
    rulesVersion: string | null;
    phase: string | null;
    leadUnitId: string | null;
    coUnitIds: string[];
    copyUnitIds: string[];
    responsibleUnitId: string | null;
    escalationLevel: string;
    supervision: string;
    overdue: boolean;
    outcome: string | null;
    deadlines: Record<string, string | { due: string }>;
    priority: string;
    repeatCount: number;
    whistleRounds: { round: number; grade: string; status: string; startedAt: string; departmentIds: string[] }[];
  };
  workflow: { status: string; state: CaseState | null };
}

export interface TimelineRow {
  time: string;
  actor: string | null;
  role: string | null;
  unit: string | null;
  action: string;
  change: string | null;
  reason: string | null;
  workflowId: string;
}

export interface Timeline {
  caseNo: string;
  temporalUiUrl: string;
  rows: TimelineRow[];
}

export interface PublicCase {
  caseNo: string;
  status: string;
  stage: string;
  category: string;
  dates: Record<string, string | null>;
}

export interface CreatedCase {
  caseNo: string;
  status: string;
  duplicateOf?: { caseNo: string; repeatCount: number };
}
