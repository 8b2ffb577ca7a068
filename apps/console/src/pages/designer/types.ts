/*
 * The designer API's answers the OpenAPI document leaves untyped (apps/api/src/rules/rules.dto.ts, what-if*.ts,
 * migration.service.ts): the console's reading of them.
 */
import type { DefinitionProblem } from '../../components/designer/schema-form-model';

export interface ValidationView {
  ok: boolean;
  errors: DefinitionProblem[];
}

export interface DraftView {
  id: string;
  name: string;
  basedOn: string | null;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  document?: unknown;
  validation?: ValidationView;
}

export interface VersionView {
  label: string;
  definitionId: string;
  version: number;
  name: string;
  scope: { cityId: string; districtId?: string | null };
  draftId: string | null;
  published: { by: string; byName: string; at: string; reason: string };
  archived: { by: string | null; at: string; reason: string | null } | null;
  document?: unknown;
}

export interface Change {
  path: string;
  label: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface DiffView {
  from: string;
  to: string;
  changes: Change[];
  text: string;
}

type RouteSummary = { mode: string; leadUnitId: string; coUnitIds: string[] } | { error: string };

export interface CaseComparison {
  caseNo: string;
  rulesVersion: string;
  differs: boolean;
  routing?: { before: RouteSummary; after: RouteSummary };
  deadlines: {
    deadline: string;
    before: { duration: string; due: string };
    after: { duration: string; due: string };
    shiftMs: number;
  }[];
  escalation?: { stage: string; verdict: 'sooner' | 'later' | 'newly'; byMs: number };
  response?: { before: string; after: string };
}

interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

export interface UnitScoreChange {
  unitId: string;
  unitKind: string;
  response?: { before: Rate; after: Rate };
  resolution?: { before: Rate; after: Rate };
  satisfaction?: { before: Rate; after: Rate };
  score?: { before: number | null; after: number | null };
  rank?: { before: number | null; after: number | null };
}

export interface WhatIfReport {
  subject: string;
  totals: {
    cases: number;
    dispatched: number;
    differing: number;
    routingChanged: number;
    deadlinesChanged: number;
    escalateSooner: number;
    escalateLater: number;
    escalateNewly: number;
    responseOnTime: { before: number; after: number };
    errors: number;
  };
  cases: CaseComparison[];
  errors: { caseNo: string; reason: string }[];
  scores: {
    cases: number;
    unitsChanged: number;
    months: { month: string; cases: number; units: UnitScoreChange[] }[];
  };
}

export interface WhatIfJob {
  jobId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number | null };
  report: WhatIfReport | null;
  error: string | null;
}

export interface MigrationReport {
  id: string;
  toVersion: string;
  reason: string;
  status: 'running' | 'finished' | 'failed';
  matched: number | null;
  moved: number | null;
  skipped: { caseNo: string; code: string; reason: string }[] | null;
}

/** Open statuses and phases a migration filter can name (apps/api/src/rules/rules-change.dto.ts). */
export const OPEN_STATES = [
  'registered',
  'open',
  'awaiting-dispatch',
  'awaiting-sign',
  'handling',
  'in-review',
  'awaiting-callback',
] as const;
