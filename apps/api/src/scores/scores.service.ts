import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowFailedError, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { formulasOf, round2 } from '../../../../libs/domain/src/scores/compute-scores';
import {
  SCORED_UNIT_KINDS,
  type DepartmentAssessment,
  type Hotspot,
  type ProblemCandidate,
  type ScopeResult,
  type ScoredUnitKind,
  type ScoringPolicy,
  type UnitExplanation,
} from '../../../../libs/domain/src/scores/score.types';
import { appendAudit } from '../../../../libs/persistence/src/audit';
import type { ScoreRunInputs } from '../../../../libs/domain/src/scores';
import type { monthlyScores } from '../../../../workflows/monthly-scores/monthly-scores.workflow';
import { MONTHLY_SCORES_WORKFLOW, onDemandScoresWorkflowId } from '../../../../workflows/monthly-scores/messages';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { TemporalSettings } from '../temporal/temporal.module';
import {
  DepartmentYearView,
  MonthScoresView,
  ScoreFigure,
  ScoreRunView,
  UnitExplanationView,
  UnitFigureCasesView,
  UnitScoreView,
  YearAssessmentView,
} from './scores.dto';

/** Roles that read every unit's figures: the service centre's staff, auditors, admins and designers. */
export const CENTRE_SCORE_READERS = ['operator', 'auditor', 'admin', 'designer'] as const;
/** Roles that read only their own unit's figures: its handlers, and the coordinators of its committee. */
export const UNIT_SCORE_READERS = ['handler', 'coordinator'] as const;

/** Audit action of an on-demand run (docs/auditors.md, "Actions through the API"). */
export const SCORE_RUN_REQUESTED = 'scores.run-requested';

/** How long `POST /runs` waits for the run to finish before answering 202 (poll `GET /runs?month=` then). */
export const RUN_WAIT_MS = 25_000;

interface RunRow {
  id: string;
  workflow_id: string;
  month: string;
  trigger: string;
  status: string;
  requested_by: string | null;
  started_at: Date;
  computed_at: Date | null;
  finished_at: Date | null;
  policy: ScoringPolicy | null;
  inputs: ScoreRunInputs | null;
  double_assessment: DepartmentAssessment[] | null;
  candidates: ProblemCandidate[] | null;
  bottom: Record<ScoredUnitKind, string[]> | null;
  scopes: ScopeResult[] | null;
  error: string | null;
  published_id: string | null;
}

interface UnitRow {
  unit_id: string;
  unit_name: string | null;
  unit_kind: ScoredUnitKind;
  counts: UnitScoreView['counts'];
  rates: UnitScoreView['rates'];
  score: number | null;
  eligible: boolean;
  rank: number | null;
  bottom: boolean;
  scope: string | null;
  explanation?: UnitExplanation;
}

/** Each run with the id of its month's published run (the latest completed one). */
const RUNS_SQL = `
  SELECT r.*, p.id AS published_id
    FROM score_runs r
    LEFT JOIN LATERAL (
      SELECT q.id FROM score_runs q WHERE q.month = r.month AND q.status = 'completed'
       ORDER BY q.computed_at DESC, q.started_at DESC LIMIT 1) p ON true`;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function runView(row: RunRow): ScoreRunView {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    month: row.month,
    trigger: row.trigger,
    status: row.status,
    requestedBy: row.requested_by,
    startedAt: iso(row.started_at),
    computedAt: iso(row.computed_at),
    finishedAt: iso(row.finished_at),
    inputs: row.inputs,
    error: row.error,
    definitions: row.scopes?.map((scope) => ({ scope: scope.id, definition: scope.definition })) ?? null,
    published: row.published_id === row.id,
    superseded: row.status === 'completed' && row.published_id !== row.id,
  };
}

function unitView(row: UnitRow): UnitScoreView {
  return {
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitKind: row.unit_kind,
    counts: row.counts,
    rates: row.rates,
    score: row.score,
    eligible: row.eligible,
    rank: row.rank,
    bottom: row.bottom,
    scope: row.scope,
  };
}

/** The unit columns every read selects (`s`: unit_scores, `o`: org_units). */
const UNIT_COLUMNS = `s.unit_id, o.name AS unit_name, s.unit_kind, s.counts, s.rates, s.score, s.eligible, s.rank,
  s.bottom, s.explanation->'scope'->>'id' AS scope`;

/**
 * The monthly scores over HTTP: starts on-demand runs of the `monthlyScores` workflow, and reads what runs stored
 * (the published run of a month, any earlier run, the cases behind each unit's figures).
 */
@Injectable()
export class ScoresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly temporal: TemporalSettings,
  ) {}

  /**
   * Starts a run of `month` for `actor` and waits up to `waitMs` for it: `201` with the finished run (`completed`,
   * or `failed` with the reason), or `202` with the run as far as it got. The request is audited as
   * `scores.run-requested` (subject the run's workflow id) once Temporal has started the run; if the entry cannot be
   * written the run is terminated and the request fails, so no run goes unaudited and no entry names a run that
   * never started.
   * @throws ApiError EngineUnavailable (503) when Temporal does not start the workflow (nothing is audited).
   */
  async requestRun(
    month: string,
    actor: Actor,
    waitMs = RUN_WAIT_MS,
  ): Promise<{ status: HttpStatus; run: ScoreRunView }> {
    const workflowId = onDemandScoresWorkflowId(month, randomUUID());
    const requestedAt = new Date();
    let handle: WorkflowHandleWithFirstExecutionRunId<typeof monthlyScores>;
    try {
      handle = await this.client.workflow.start<typeof monthlyScores>(MONTHLY_SCORES_WORKFLOW, {
        workflowId,
        taskQueue: this.temporal.taskQueue,
        args: [{ month, trigger: 'on-demand', requestedBy: actor.userId }],
      });
    } catch (error) {
      throw new ApiError(ApiErrorCode.EngineUnavailable, `the score run was not started: ${(error as Error).message}`);
    }
    try {
      await this.dataSource.transaction((manager) =>
        appendAudit(manager, [
          {
            at: requestedAt,
            actor,
            action: SCORE_RUN_REQUESTED,
            subject: { kind: 'score-run', id: workflowId },
            after: { month, trigger: 'on-demand', workflowId },
            source: 'api',
          },
        ]),
      );
    } catch (error) {
      // Started but not audited: stop the run (best effort; one that already finished stays in `score_runs`).
      await handle.terminate('the audit entry of the request could not be written').catch(() => undefined);
      throw error;
    }
    const result: Promise<unknown> = handle.result();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      result.then(
        () => true,
        (error: unknown) => error instanceof WorkflowFailedError, // the run is marked failed; anything else: poll
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    clearTimeout(timer);
    const row = await this.runRow('r.workflow_id = $1', [workflowId]);
    if (!row) {
      const pending: ScoreRunView = {
        id: null,
        workflowId,
        month,
        trigger: 'on-demand',
        status: 'running',
        requestedBy: actor.userId,
        startedAt: null,
        computedAt: null,
        finishedAt: null,
        inputs: null,
        error: null,
        definitions: null,
        published: false,
        superseded: false,
      };
      return { status: HttpStatus.ACCEPTED, run: pending };
    }
    return { status: finished ? HttpStatus.CREATED : HttpStatus.ACCEPTED, run: runView(row) };
  }

  /** Runs of a month (or the latest 100 of every month), newest first. */
  async listRuns(month?: string): Promise<ScoreRunView[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `${RUNS_SQL} WHERE ($1::text IS NULL OR r.month = $1) ORDER BY r.started_at DESC, r.id LIMIT 100`,
      [month ?? null],
    );
    return rows.map(runView);
  }

  /**
   * A month's published scores (its latest completed run), or those of `runId`: per unit rates, score, rank and
   * eligibility, rankings and bottom lists per kind, the double assessment, hotspots and problem-of-the-month
   * candidates. @throws NotFoundException when the month has no completed run (or no such run).
   */
  async monthScores(month: string, runId?: string): Promise<MonthScoresView> {
    const run = await this.completedRun(month, runId);
    const units: UnitRow[] = await this.dataSource.query(
      `SELECT ${UNIT_COLUMNS}
         FROM unit_scores s LEFT JOIN org_units o ON o.id = s.unit_id
        WHERE s.run_id = $1
        ORDER BY array_position(ARRAY['street', 'department', 'district'], s.unit_kind),
                 (s.explanation->'scope'->>'id') <> 'city', s.explanation->'scope'->>'id', s.rank NULLS LAST, s.unit_id`,
      [run.id],
    );
    const hotspots: Hotspot[] = (
      await this.dataSource.query(
        `SELECT month, category, district_id, street_id, cases, repeat_contacts, duplicates, case_nos
           FROM hotspots WHERE run_id = $1 ORDER BY position`,
        [run.id],
      )
    ).map((row: Record<string, unknown>) => ({
      month: row.month,
      category: row.category,
      districtId: row.district_id,
      streetId: row.street_id,
      cases: row.cases,
      repeatContacts: row.repeat_contacts,
      duplicates: row.duplicates,
      caseNos: row.case_nos,
    }));
    const views = units.map(unitView);
    const rankings = {} as MonthScoresView['rankings'];
    for (const kind of SCORED_UNIT_KINDS) {
      rankings[kind] = views
        .filter((unit) => unit.unitKind === kind && unit.rank !== null)
        .map(({ rank, unitId, unitName, score, scope }) => ({ rank: rank as number, unitId, unitName, score, scope }));
    }
    return {
      run: { ...runView(run), policy: run.policy as ScoringPolicy },
      units: views,
      rankings,
      bottom: run.bottom as Record<ScoredUnitKind, string[]>,
      scopes: run.scopes ?? [],
      doubleAssessment: run.double_assessment ?? [],
      hotspots,
      candidates: run.candidates ?? [],
    };
  }

  /**
   * One unit's figures with everything behind them: each formula with its numbers, the case numbers behind each
   * count and exclusion, the stored facts of those cases, and, for a department, its whistle ratings.
   * @throws NotFoundException when the month has no completed run or the unit no figures in it.
   */
  async explain(month: string, unitId: string, actor: Actor, runId?: string): Promise<UnitExplanationView> {
    const { run, unit } = await this.unitOfRun(month, unitId, actor, runId);
    const explanation = unit.explanation as UnitExplanation;
    const facts = await this.factsOf(run.id, explanation.cases);
    const assessment = run.double_assessment?.find((entry) => entry.departmentId === unitId);
    const scope = this.scopeOf(run, unit);
    return {
      ...unitView(unit),
      run: {
        id: run.id,
        month: run.month,
        computedAt: iso(run.computed_at) as string,
        policy: scope?.policy ?? (run.policy as ScoringPolicy),
        definition: scope?.definition ?? null,
      },
      formulas: formulasOf({ rates: unit.rates, score: unit.score, explanation }),
      explanation,
      cases: facts,
      ...(assessment ? { doubleAssessment: assessment } : {}),
    };
  }

  /**
   * The cases behind one figure of a unit (see {@link UnitFigureCasesView}): for `response` the dispatched cases
   * (on time / late), `resolution` the rated ones (solved / not), `satisfaction` the satisfaction-rated ones
   * (satisfied / not), `assessment` a department's rated cases (no veto / vetoed); every other case of the unit
   * under the reason it is left out of that figure; and the stored facts of them all.
   * @throws NotFoundException as {@link explain}.
   */
  async figureCases(
    month: string,
    unitId: string,
    figure: ScoreFigure,
    actor: Actor,
    runId?: string,
  ): Promise<UnitFigureCasesView> {
    const { run, unit } = await this.unitOfRun(month, unitId, actor, runId);
    const explanation = unit.explanation as UnitExplanation;
    const formulas = formulasOf({ rates: unit.rates, score: unit.score, explanation });
    let counted: string[];
    let met: string[];
    let formula: string;
    if (figure === 'assessment') {
      const assessment = explanation.assessment;
      counted = assessment?.caseNos ?? [];
      met = counted.filter((caseNo) => !assessment?.vetoCaseNos.includes(caseNo));
      formula = assessment
        ? `assessment = ${assessment.vetoed ? '0 (vetoed)' : `(${assessment.average} − 1) / 4`} = ${round2(
            assessment.value,
          )}, weight ${assessment.weight}`
        : 'assessment = n/a (no ratings)';
    } else {
      const lists = {
        response: [explanation.dispatched, explanation.respondedOnTime],
        resolution: [explanation.rated, explanation.solved],
        satisfaction: [explanation.satisfactionRated, explanation.satisfied],
      } as const;
      [counted, met] = lists[figure].map((list) => [...list]);
      formula = formulas[figure];
    }
    const excluded: Record<string, string[]> = {};
    for (const [reason, caseNos] of Object.entries(explanation.excluded)) {
      // A response still pending says nothing of a case's rating; every other reason applies to the rates it names.
      if (figure === 'assessment' || (reason === 'response-pending' && figure !== 'response')) continue;
      const out = (caseNos ?? []).filter((caseNo) => !counted.includes(caseNo));
      if (out.length) excluded[reason] = out;
    }
    const listed = [...new Set([...counted, ...Object.values(excluded).flat()])].sort();
    const scope = this.scopeOf(run, unit);
    return {
      run: {
        id: run.id,
        month: run.month,
        computedAt: iso(run.computed_at) as string,
        scope: unit.scope ?? 'city',
        definition: scope?.definition ?? null,
      },
      unitId,
      figure,
      formula,
      counted,
      met,
      missed: counted.filter((caseNo) => !met.includes(caseNo)),
      excluded,
      cases: await this.factsOf(run.id, listed),
    };
  }

  /**
   * The double assessment of a year from each month's published run: per department its ratings, mean and vetoes,
   * in total and per month. A handler or coordinator gets only its own unit's row. @throws nothing: a year without
   * runs has no departments.
   */
  async yearAssessment(year: string, actor: Actor): Promise<YearAssessmentView> {
    const runs: RunRow[] = await this.dataSource.query(
      `${RUNS_SQL} WHERE r.month LIKE $1 || '-%' AND r.id = p.id ORDER BY r.month`,
      [year],
    );
    const own = await this.ownUnit(actor);
    const byDepartment = new Map<string, { months: DepartmentYearView['months']; sum: number; count: number }>();
    for (const run of runs) {
      for (const entry of run.double_assessment ?? []) {
        if (own !== undefined && entry.departmentId !== own) continue;
        const row = byDepartment.get(entry.departmentId) ?? { months: [], sum: 0, count: 0 };
        const vetoes = entry.ratings.filter((rating) => rating.veto).length;
        row.months.push({ month: run.month, count: entry.count, average: entry.average, vetoes });
        row.sum += entry.ratings.reduce((sum, rating) => sum + rating.score, 0);
        row.count += entry.ratings.length;
        byDepartment.set(entry.departmentId, row);
      }
    }
    const ids = [...byDepartment.keys()].sort();
    const names: { id: string; name: string }[] = ids.length
      ? await this.dataSource.query(`SELECT id, name FROM org_units WHERE id = ANY($1::text[])`, [ids])
      : [];
    return {
      year,
      runs: runs.map((run) => ({ month: run.month, runId: run.id })),
      departments: ids.map((departmentId) => {
        const row = byDepartment.get(departmentId)!;
        return {
          departmentId,
          unitName: names.find((unit) => unit.id === departmentId)?.name ?? null,
          count: row.count,
          average: row.count ? round2(row.sum / row.count) : 0,
          vetoes: row.months.reduce((sum, month) => sum + month.vetoes, 0),
          months: row.months,
        };
      }),
    };
  }

  /**
   * The unit whose figures `actor` may read, or undefined for the centre (every unit): a handler its own unit, a
   * coordinator the locality of its committee (the unit's leaders: the identity model has no leader role, ADR 8).
   */
  private async ownUnit(actor: Actor): Promise<string | undefined> {
    if ((CENTRE_SCORE_READERS as readonly string[]).includes(actor.role)) return undefined;
    if (actor.role === 'coordinator') {
      const [committee]: { parent_id: string | null }[] = await this.dataSource.query(
        `SELECT parent_id FROM org_units WHERE id = $1`,
        [actor.unitId],
      );
      return committee?.parent_id ?? actor.unitId;
    }
    return actor.unitId;
  }

  /**
   * A completed run of the month and one unit's row in it, when `actor` may read that unit. Another unit's figures
   * are answered as if they did not exist (404: scope before state, as for cases and tasks).
   */
  private async unitOfRun(
    month: string,
    unitId: string,
    actor: Actor,
    runId?: string,
  ): Promise<{ run: RunRow; unit: UnitRow }> {
    const own = await this.ownUnit(actor);
    const run = await this.completedRun(month, runId);
    const [unit]: UnitRow[] =
      own === undefined || own === unitId
        ? await this.dataSource.query(
            `SELECT ${UNIT_COLUMNS}, s.explanation
               FROM unit_scores s LEFT JOIN org_units o ON o.id = s.unit_id
              WHERE s.run_id = $1 AND s.unit_id = $2`,
            [run.id, unitId],
          )
        : [];
    if (!unit) throw new NotFoundException(`unit ${unitId} has no figures in score run ${run.id} of ${month}`);
    return { run, unit };
  }

  private scopeOf(run: RunRow, unit: UnitRow): ScopeResult | undefined {
    return run.scopes?.find((scope) => scope.id === (unit.scope ?? 'city'));
  }

  private async factsOf(runId: string, caseNos: readonly string[]): Promise<Record<string, unknown>[]> {
    const rows: { facts: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT facts FROM score_run_facts WHERE run_id = $1 AND part = 'month' AND case_no = ANY($2::text[])
        ORDER BY case_no`,
      [runId, caseNos],
    );
    return rows.map((row) => row.facts);
  }

  private async runRow(where: string, params: unknown[]): Promise<RunRow | undefined> {
    const [row]: RunRow[] = await this.dataSource.query(`${RUNS_SQL} WHERE ${where}`, params);
    return row;
  }

  private async completedRun(month: string, runId?: string): Promise<RunRow> {
    const row = runId
      ? await this.runRow(`r.id = $1 AND r.month = $2 AND r.status = 'completed'`, [runId, month])
      : await this.runRow(`r.month = $1 AND r.id = p.id`, [month]);
    if (!row) {
      throw new NotFoundException(
        runId ? `no completed score run ${runId} of ${month}` : `no completed score run of ${month} yet`,
      );
    }
    return row;
  }
}
