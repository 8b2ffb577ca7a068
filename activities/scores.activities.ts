import { ApplicationFailure } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { CaseKind } from '../libs/domain/src/case/case.types';
import type { CaseOutcome } from '../libs/domain/src/lifecycle/case-lifecycle';
import type { Satisfaction } from '../libs/domain/src/lifecycle/lifecycle.types';
import { childrenOf, findUnit } from '../libs/domain/src/org/org-tree';
import type { OrgTree, OrgUnitKind } from '../libs/domain/src/org/org.types';
import type { RoutingCatalogue } from '../libs/domain/src/routing/routing.types';
import type { ProcessDefinition } from '../libs/domain/src/rules/process-definition';
import {
  CaseScoreFacts,
  computeScores,
  DEFAULT_SCORING_POLICY,
  HotspotCaseFacts,
  isScoreMonth,
  monthWindow,
  previousMonthOf,
  ScoreError,
  ScoreReport,
  ScoreRunInputs,
  ScoreTrigger,
  ScoringPolicy,
  ScoringScope,
  scoringPolicyOfDefinition,
  withCatalogueExclusions,
} from '../libs/domain/src/scores';

export type { ScoreRunInputs } from '../libs/domain/src/scores';

export interface ScoreActivityDeps {
  dataSource: DataSource;
  /**
   * The city policy runs use, and no district scopes (tests). Default: the `scoring` section of the newest
   * non-archived version published for the stored tree's city (`process_versions`), each district with a version of
   * its own scored under that one's; without a city version, {@link DEFAULT_SCORING_POLICY} with the
   * enforcement/mediation categories of `catalogue` excluded from satisfaction.
   */
  policy?: ScoringPolicy;
  /**
   * The routing catalogue whose marked categories the default policy excludes, asked once per run (the worker: the
   * catalogue of the version published for the city). Without it, or when it answers none, the default policy as is.
   */
  catalogue?: () => Promise<RoutingCatalogue | undefined>;
  /** Where a lead unit's kind is found when the case row's join does not give it, asked once per month loaded. */
  trees?: () => Promise<OrgTree>;
  /** The clock runs are computed "as of"; tests pass a fixed one. */
  now?: () => Date;
}

/** Arguments of {@link ScoreActivities.openScoreRun}. */
export interface OpenScoreRunInput {
  /** The computing workflow's id: the run's idempotency key. */
  workflowId: string;
  month: string;
  trigger: ScoreTrigger;
  /** User id of whoever asked for an on-demand run. */
  requestedBy?: string;
}

/** A score run as the workflow reports it. */
export interface ScoreRunSummary {
  runId: string;
  workflowId: string;
  month: string;
  trigger: ScoreTrigger;
  status: 'running' | 'completed' | 'failed';
  /** ISO instant the figures are as of, once completed. */
  computedAt?: string;
  /** Cases of the month the run computed from, once completed. */
  cases?: number;
  units?: number;
  /** Once completed: each scope (`city`, or a district id) and the definition version it scored with (null: default). */
  definitions?: { scope: string; definition: string | null }[];
  error?: string;
}

/** The facts a month's scores are computed from, as loaded from PostgreSQL. */
export interface MonthFacts {
  month: string;
  /** The month's instants, `[from, to)` (Asia/Shanghai midnights). */
  window: { from: string; to: string };
  /** One record per case of the month, by case number. */
  cases: CaseScoreFacts[];
  /** The month before, for hotspot growth. */
  baseline: { month: string; window: { from: string; to: string }; cases: HotspotCaseFacts[] };
}

/**
 * JSON with object keys sorted at every level (and `undefined` fields dropped), so the same facts hash the same
 * whether they come from the loader or back out of a jsonb column (which reorders keys).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash recorded in `score_runs.inputs.sha256`; recompute it from `score_run_facts` to verify a run. */
export function inputsHash(month: string, cases: readonly unknown[], baseline: readonly unknown[]): string {
  return createHash('sha256').update(canonicalJson({ month, cases, baseline })).digest('hex');
}

/** Cases of a month: first dispatched in the window, or closed at intake (never dispatched) and received in it. */
const MONTH_CASES = `
  WITH first_dispatch AS (
    SELECT e.case_no, min(e.at) AS at
      FROM case_events e
     WHERE e.stream = 'case' AND e.type = 'dispatched'
       AND e.case_no IN (SELECT d.case_no FROM case_events d
                          WHERE d.stream = 'case' AND d.type = 'dispatched' AND d.at >= $1 AND d.at < $2)
     GROUP BY e.case_no
    HAVING min(e.at) >= $1
  ), month_cases AS (
    SELECT case_no, at AS first_dispatched_at FROM first_dispatch
    UNION ALL
    SELECT c.case_no, NULL FROM cases c
     WHERE c.dispatched_at IS NULL AND c.outcome IS NOT NULL AND c.received_at >= $1 AND c.received_at < $2
       AND c.case_no NOT IN (SELECT case_no FROM first_dispatch)
  )`;

const CASE_FACTS_SQL = `${MONTH_CASES}
  SELECT c.case_no, c.kind, c.category, c.rules_version, c.received_at, m.first_dispatched_at, c.lead_unit_id,
         u.kind AS lead_unit_kind, c.street_id, c.district_id, c.outcome, c.linked_case_no, c.repeat_count,
         ld.at AS last_dispatched_at, r.signed_at, r.contacted_at, r.sign_due, r.contact_due,
         cb.at AS called_back_at, cb.detail AS callback, COALESCE(w.ratings, '[]'::jsonb) AS ratings
    FROM month_cases m
    JOIN cases c ON c.case_no = m.case_no
    LEFT JOIN org_units u ON u.id = c.lead_unit_id
    -- The response is the last dispatch's: its unit's first sign and contact against the deadlines it stamped.
    LEFT JOIN LATERAL (
      SELECT e.seq, e.at FROM case_events e
       WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.type = 'dispatched'
       ORDER BY e.seq DESC LIMIT 1) ld ON true
    LEFT JOIN LATERAL (
      SELECT min(e.at) FILTER (WHERE e.type = 'signed') AS signed_at,
             min(e.at) FILTER (WHERE e.type = 'contacted') AS contacted_at,
             (array_agg(e.detail->>'due' ORDER BY e.seq)
               FILTER (WHERE e.type = 'deadline-set' AND e.detail->>'kind' = 'sign'))[1] AS sign_due,
             (array_agg(e.detail->>'due' ORDER BY e.seq)
               FILTER (WHERE e.type = 'deadline-set' AND e.detail->>'kind' = 'contact'))[1] AS contact_due
        FROM case_events e
       WHERE e.case_no = c.case_no AND e.stream = 'case' AND e.seq > ld.seq
         AND e.type IN ('signed', 'contacted', 'deadline-set')) r ON ld.seq IS NOT NULL
    -- Only the final call-back that reached the citizen counts; an audit call-back that contradicted the unit, where
    -- the definition's flagEffect is audit-answer (audit-flagged with what to count, 'scored'), counts instead.
    LEFT JOIN LATERAL (
      SELECT e.at, COALESCE(e.detail->'scored', e.detail) AS detail FROM case_events e
       WHERE e.case_no = c.case_no AND e.stream = 'case'
         AND (e.type = 'called-back' OR (e.type = 'audit-flagged' AND e.detail->'scored' IS NOT NULL))
       ORDER BY e.seq DESC LIMIT 1) cb ON true
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object('stream', e.stream, 'departmentId', e.detail->>'departmentId',
               'score', e.detail->'score', 'at', e.at, 'whistlerUnitId', e.actor->>'unitId',
               'veto', e.detail->'veto') ORDER BY e.stream, e.seq)
             AS ratings
        FROM case_events e
       WHERE e.case_no = c.case_no AND e.stream LIKE 'whistle-%' AND e.type = 'rated') w ON true
   ORDER BY c.case_no`;

const BASELINE_SQL = `${MONTH_CASES}
  SELECT c.case_no, c.category, c.street_id, c.district_id, c.repeat_count, c.linked_case_no
    FROM month_cases m JOIN cases c ON c.case_no = m.case_no
   ORDER BY c.case_no`;

interface CaseFactsRow {
  case_no: string;
  kind: CaseKind;
  category: string;
  rules_version: string;
  received_at: Date;
  first_dispatched_at: Date | null;
  lead_unit_id: string | null;
  lead_unit_kind: OrgUnitKind | null;
  street_id: string | null;
  district_id: string | null;
  outcome: CaseOutcome | null;
  linked_case_no: string | null;
  repeat_count: number;
  last_dispatched_at: Date | null;
  signed_at: Date | null;
  contacted_at: Date | null;
  sign_due: string | null;
  contact_due: string | null;
  called_back_at: Date | null;
  callback: { solved?: unknown; satisfaction?: unknown } | null;
  ratings: {
    stream: string;
    departmentId: string;
    score: number;
    at: string;
    whistlerUnitId: string | null;
    veto: boolean | null;
  }[];
}

const SATISFACTIONS: readonly Satisfaction[] = [
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
];

const iso = (value: Date | string | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : new Date(value).toISOString();

/** Drops undefined fields, so facts look the same before and after a round trip through jsonb. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function toFacts(row: CaseFactsRow, tree: OrgTree | undefined): CaseScoreFacts {
  const leadUnitId = row.lead_unit_id ?? undefined;
  const satisfaction = row.callback?.satisfaction as Satisfaction;
  const reached = row.callback && typeof row.callback.solved === 'boolean' && SATISFACTIONS.includes(satisfaction);
  return compact({
    caseNo: row.case_no,
    kind: row.kind,
    category: row.category,
    rulesVersion: row.rules_version,
    receivedAt: iso(row.received_at) as string,
    firstDispatchedAt: iso(row.first_dispatched_at),
    leadUnitId,
    leadUnitKind: row.lead_unit_kind ?? (leadUnitId && tree ? findUnit(tree, leadUnitId)?.kind : undefined),
    streetId: row.street_id ?? undefined,
    districtId: row.district_id ?? undefined,
    response: row.last_dispatched_at
      ? compact({
          dispatchedAt: iso(row.last_dispatched_at) as string,
          signDue: iso(row.sign_due),
          signedAt: iso(row.signed_at),
          contactDue: iso(row.contact_due),
          contactedAt: iso(row.contacted_at),
        })
      : undefined,
    callback: reached
      ? { solved: row.callback?.solved as boolean, satisfaction, at: iso(row.called_back_at) as string }
      : undefined,
    outcome: row.outcome ?? undefined,
    linkedCaseNo: row.linked_case_no ?? undefined,
    repeatCount: row.repeat_count,
    whistleRatings: row.ratings.map((rating) => ({
      round: Number(rating.stream.slice('whistle-'.length)),
      whistlerUnitId: rating.whistlerUnitId ?? 'unknown',
      departmentId: rating.departmentId,
      score: Number(rating.score),
      at: iso(rating.at) as string,
      // Only a veto is recorded on the fact: facts of ratings without one hash as they did before vetoes existed.
      ...(rating.veto === true ? { veto: true } : {}),
    })),
  });
}

/** Inserts rows as one `jsonb_to_recordset` statement per chunk (a month can hold hundreds of thousands of cases). */
async function insertRecords(
  manager: EntityManager,
  table: string,
  columns: string,
  records: Record<string, unknown>[],
  chunk = 1000,
): Promise<void> {
  for (let i = 0; i < records.length; i += chunk) {
    const names = columns
      .split(',')
      .map((column) => column.trim().split(/\s+/)[0])
      .join(', ');
    await manager.query(
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${columns})`,
      [JSON.stringify(records.slice(i, i + chunk))],
    );
  }
}

interface RunRow {
  id: string;
  workflow_id: string;
  month: string;
  trigger: ScoreTrigger;
  status: ScoreRunSummary['status'];
  computed_at: Date | null;
  inputs: ScoreRunInputs | null;
  error: string | null;
  units: number;
  scopes: { id: string; definition: string | null }[] | null;
}

function summaryOf(row: RunRow): ScoreRunSummary {
  return compact({
    runId: row.id,
    workflowId: row.workflow_id,
    month: row.month,
    trigger: row.trigger,
    status: row.status,
    computedAt: iso(row.computed_at),
    cases: row.inputs?.cases,
    units: row.status === 'completed' ? Number(row.units) : undefined,
    definitions: row.scopes?.map((scope) => ({ scope: scope.id, definition: scope.definition })),
    error: row.error ?? undefined,
  });
}

const RUN_SQL = `SELECT r.id, r.workflow_id, r.month, r.trigger, r.status, r.computed_at, r.inputs, r.error, r.scopes,
  (SELECT count(*) FROM unit_scores s WHERE s.run_id = r.id) AS units FROM score_runs r WHERE r.id = $1`;

/**
 * Activities of the monthly scores: open a run, load a month's facts (PostgreSQL only; operational facts, no
 * personal data), compute and store the figures with their inputs, or mark the run failed. All idempotent by run.
 * The workflow calls {@link openScoreRun}, {@link computeScoreRun} and, on failure, {@link failScoreRun}: a month's
 * facts can be far larger than a workflow history should hold, so they never leave the activity.
 */
export function createScoreActivities(deps: ScoreActivityDeps) {
  const { dataSource } = deps;
  /**
   * The scopes a run scores with: the newest non-archived version published for the stored tree's city (no
   * district) sets the city policy, and the newest of each district with versions of its own that district's
   * (the district and every unit under it). Read once per run.
   */
  const scopesOfRun = async (): Promise<RunScopes> => {
    if (deps.policy) return { policy: deps.policy, definition: null, districtScopes: [] };
    const tree = await deps.trees?.();
    const rows = tree
      ? ((await dataSource.query(
          `SELECT DISTINCT ON (scope_district_id) label, document, scope_district_id
             FROM process_versions
            WHERE archived_at IS NULL AND scope_city_id = $1
            ORDER BY scope_district_id NULLS FIRST, published_at DESC, version DESC`,
          [tree.rootId],
        )) as { label: string; document: ProcessDefinition | string; scope_district_id: string | null }[])
      : [];
    const definitionOf = (row: (typeof rows)[number]): ProcessDefinition =>
      typeof row.document === 'string' ? (JSON.parse(row.document) as ProcessDefinition) : row.document;
    const city = rows.find((row) => row.scope_district_id === null);
    let policy: ScoringPolicy;
    if (city) policy = scoringPolicyOfDefinition(definitionOf(city));
    else {
      const catalogue = await deps.catalogue?.();
      policy = catalogue ? withCatalogueExclusions(DEFAULT_SCORING_POLICY, catalogue) : DEFAULT_SCORING_POLICY;
    }
    const districtScopes = rows
      .filter((row) => row.scope_district_id !== null && tree && findUnit(tree, row.scope_district_id))
      .map(
        (row): ScoringScope => ({
          id: row.scope_district_id as string,
          definition: row.label,
          policy: scoringPolicyOfDefinition(definitionOf(row)),
          unitIds: descendantsOf(tree as OrgTree, row.scope_district_id as string),
        }),
      );
    return { policy, definition: city?.label ?? null, districtScopes };
  };
  const now = deps.now ?? (() => new Date());

  const checkMonth = (month: string) => {
    if (!isScoreMonth(month)) {
      throw ApplicationFailure.nonRetryable(`month must be 'YYYY-MM', got ${JSON.stringify(month)}`, 'InvalidMonth');
    }
  };

  const readRun = async (runner: Pick<EntityManager, 'query'>, runId: string): Promise<RunRow> => {
    const [row] = (await runner.query(RUN_SQL, [runId])) as RunRow[];
    if (!row) throw ApplicationFailure.nonRetryable(`no score run ${runId}`, 'ScoreRunNotFound');
    return row;
  };

  const activities = {
    /** Records a run as `running` (once per workflow id; a retry finds the same row). */
    async openScoreRun(input: OpenScoreRunInput): Promise<ScoreRunSummary> {
      checkMonth(input.month);
      await dataSource.query(
        `INSERT INTO score_runs (workflow_id, month, trigger, requested_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workflow_id) DO NOTHING`,
        [input.workflowId, input.month, input.trigger, input.requestedBy ?? null],
      );
      const [row] = (await dataSource.query(`SELECT id FROM score_runs WHERE workflow_id = $1`, [
        input.workflowId,
      ])) as { id: string }[];
      return summaryOf(await readRun(dataSource, row.id));
    },

    /**
     * The facts of a month's cases (see {@link CaseScoreFacts}; the month rule is `caseMonth`) and the few facts
     * of the month before that hotspots need. Reads `cases`, `case_events` and `org_units`.
     */
    async loadMonthFacts(month: string): Promise<MonthFacts> {
      checkMonth(month);
      const window = monthWindow(month);
      const previous = previousMonthOf(month);
      const baselineWindow = monthWindow(previous);
      const rows = (await dataSource.query(CASE_FACTS_SQL, [window.from, window.to])) as CaseFactsRow[];
      const tree = await deps.trees?.();
      const baseline = (await dataSource.query(BASELINE_SQL, [baselineWindow.from, baselineWindow.to])) as {
        case_no: string;
        category: string;
        street_id: string | null;
        district_id: string | null;
        repeat_count: number;
        linked_case_no: string | null;
      }[];
      return {
        month,
        window,
        cases: rows.map((row) => toFacts(row, tree)),
        baseline: {
          month: previous,
          window: baselineWindow,
          cases: baseline.map((row) =>
            compact({
              caseNo: row.case_no,
              category: row.category,
              streetId: row.street_id ?? undefined,
              districtId: row.district_id ?? undefined,
              repeatCount: row.repeat_count,
              linkedCaseNo: row.linked_case_no ?? undefined,
            }),
          ),
        },
      };
    },

    /**
     * Stores a computed report with the facts it came from, in one transaction, and marks the run `completed`. A
     * run that is no longer `running` is left as it is (a retry after the commit changes nothing).
     */
    async storeScoreRun(input: { runId: string; facts: MonthFacts; report: ScoreReport }): Promise<ScoreRunSummary> {
      const { runId, facts, report } = input;
      if (report.month !== facts.month) {
        throw ApplicationFailure.nonRetryable(`report of ${report.month}, facts of ${facts.month}`, 'InvalidScoreRun');
      }
      return dataSource.transaction(async (manager) => {
        const [run] = (await manager.query(`SELECT month, status FROM score_runs WHERE id = $1 FOR UPDATE`, [
          runId,
        ])) as { month: string; status: string }[];
        if (!run) throw ApplicationFailure.nonRetryable(`no score run ${runId}`, 'ScoreRunNotFound');
        if (run.status !== 'running') return summaryOf(await readRun(manager, runId));
        if (run.month !== facts.month) {
          throw ApplicationFailure.nonRetryable(
            `run ${runId} scores ${run.month}, not ${facts.month}`,
            'InvalidScoreRun',
          );
        }
        const inputs: ScoreRunInputs = {
          cases: facts.cases.length,
          baselineCases: facts.baseline.cases.length,
          window: facts.window,
          baselineWindow: facts.baseline.window,
          sha256: inputsHash(facts.month, facts.cases, facts.baseline.cases),
        };
        await insertRecords(manager, 'score_run_facts', 'run_id uuid, part text, case_no text, facts jsonb', [
          ...facts.cases.map((fact) => ({ run_id: runId, part: 'month', case_no: fact.caseNo, facts: fact })),
          ...facts.baseline.cases.map((fact) => ({
            run_id: runId,
            part: 'baseline',
            case_no: fact.caseNo,
            facts: fact,
          })),
        ]);
        await insertRecords(
          manager,
          'unit_scores',
          `run_id uuid, unit_id text, unit_kind text, counts jsonb, rates jsonb, response_rate double precision,
           resolution_rate double precision, satisfaction_rate double precision, score double precision,
           eligible boolean, rank integer, bottom boolean, explanation jsonb`,
          report.units.map((unit) => ({
            run_id: runId,
            unit_id: unit.unitId,
            unit_kind: unit.unitKind,
            counts: unit.counts,
            rates: unit.rates,
            response_rate: unit.rates.response.value,
            resolution_rate: unit.rates.resolution.value,
            satisfaction_rate: unit.rates.satisfaction.value,
            score: unit.score,
            eligible: unit.eligible,
            rank: unit.rank,
            bottom: unit.bottom,
            explanation: unit.explanation,
          })),
        );
        await insertRecords(
          manager,
          'hotspots',
          `run_id uuid, position integer, month text, category text, district_id text, street_id text, cases integer,
           repeat_contacts integer, duplicates integer, case_nos text[]`,
          report.hotspots.map((hotspot, position) => ({
            run_id: runId,
            position,
            month: hotspot.month,
            category: hotspot.category,
            district_id: hotspot.districtId,
            street_id: hotspot.streetId,
            cases: hotspot.cases,
            repeat_contacts: hotspot.repeatContacts,
            duplicates: hotspot.duplicates,
            case_nos: hotspot.caseNos,
          })),
        );
        await manager.query(
          `UPDATE score_runs SET status = 'completed', computed_at = $2, finished_at = now(), policy = $3, inputs = $4,
             double_assessment = $5, candidates = $6, bottom = $7, scopes = $8
           WHERE id = $1`,
          [
            runId,
            report.asOf,
            JSON.stringify(report.policy),
            JSON.stringify(inputs),
            JSON.stringify(report.doubleAssessment),
            JSON.stringify(report.candidates),
            JSON.stringify(report.bottom),
            JSON.stringify(report.scopes),
          ],
        );
        return summaryOf(await readRun(manager, runId));
      });
    },

    /** Loads the run's month, computes it with the worker's policy as of now, and stores it ({@link storeScoreRun}). */
    async computeScoreRun(input: { runId: string }): Promise<ScoreRunSummary> {
      const run = await readRun(dataSource, input.runId);
      if (run.status !== 'running') return summaryOf(run);
      const facts = await activities.loadMonthFacts(run.month);
      const scopes = await scopesOfRun();
      let report: ScoreReport;
      try {
        report = computeScores({
          month: run.month,
          asOf: now().toISOString(),
          cases: facts.cases,
          baseline: facts.baseline.cases,
          ...scopes,
        });
      } catch (error) {
        if (error instanceof ScoreError) throw ApplicationFailure.nonRetryable(error.message, `Score:${error.code}`);
        throw error;
      }
      return activities.storeScoreRun({ runId: input.runId, facts, report });
    },

    /** Marks a run that could not be computed `failed`, with why; a finished run is left as it is. */
    async failScoreRun(input: { runId: string; error: string }): Promise<ScoreRunSummary> {
      await dataSource.query(
        `UPDATE score_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status = 'running'`,
        [input.runId, input.error.slice(0, 2000) || 'unknown error'],
      );
      return summaryOf(await readRun(dataSource, input.runId));
    },
  };
  return activities;
}

/** What a run scores with: the city policy and the version it came from, and each district scope. */
interface RunScopes {
  policy: ScoringPolicy;
  definition: string | null;
  districtScopes: ScoringScope[];
}

/** Every unit under `unitId` in the tree (not the unit itself), depth first. */
function descendantsOf(tree: OrgTree, unitId: string): string[] {
  const ids: string[] = [];
  const visit = (id: string) => {
    for (const child of childrenOf(tree, id)) {
      ids.push(child.id);
      visit(child.id);
    }
  };
  visit(unitId);
  return ids;
}

/** The score activities, as the workflow proxies them. */
export type ScoreActivities = ReturnType<typeof createScoreActivities>;
