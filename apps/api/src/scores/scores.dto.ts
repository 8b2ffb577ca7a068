import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateBy } from 'class-validator';
import { isScoreMonth, monthOf } from '../../../../libs/domain/src/scores/month';
import type {
  DepartmentAssessment,
  Hotspot,
  ProblemCandidate,
  Rate,
  ScopeResult,
  ScoredUnitKind,
  ScoringPolicy,
  UnitCounts,
  UnitExplanation,
} from '../../../../libs/domain/src/scores/score.types';
import type { ScoreRunInputs } from '../../../../libs/domain/src/scores';

export const MONTH_MESSAGE = "$property must be a month 'YYYY-MM' (Asia/Shanghai), e.g. '2026-10'";
export const FUTURE_MESSAGE = '$property must not be after the current month (Asia/Shanghai)';

/** A month that has begun: not after the current Asia/Shanghai month (a month that has not started has no cases). */
export const isStartedMonth = (value: unknown, now = new Date()): boolean =>
  isScoreMonth(value) && value <= monthOf(now);

const IsMonth = () =>
  ValidateBy({ name: 'isMonth', validator: { validate: isScoreMonth, defaultMessage: () => MONTH_MESSAGE } });

const NotInFuture = () =>
  ValidateBy({
    name: 'notInFuture',
    // A malformed month is reported by isMonth alone.
    validator: {
      validate: (value) => !isScoreMonth(value) || isStartedMonth(value),
      defaultMessage: () => FUTURE_MESSAGE,
    },
  });

/** Body of `POST /api/v1/scores/runs`: compute a month now. */
export class CreateScoreRunDto {
  @ApiProperty({ example: '2026-10', description: "Calendar month in Asia/Shanghai, 'YYYY-MM'; not in the future" })
  @IsMonth()
  @NotInFuture()
  month: string;
}

/** Query of `GET /api/v1/scores/runs`. */
export class ListScoreRunsQueryDto {
  @ApiPropertyOptional({ example: '2026-10', description: 'Only runs of this month' })
  @IsOptional()
  @IsMonth()
  month?: string;
}

/** Query of `GET /api/v1/scores/:month` and `…/explain`: a given run instead of the month's latest. */
export class ScoreRunQueryDto {
  @ApiPropertyOptional({ description: 'A run of the month (default: its latest completed run)' })
  @IsOptional()
  @IsUUID()
  runId?: string;
}

/** The figures the drill-down lists the cases of. */
export const SCORE_FIGURES = ['response', 'resolution', 'satisfaction', 'assessment'] as const;
export type ScoreFigure = (typeof SCORE_FIGURES)[number];

/** Query of `GET /api/v1/scores/:month/units/:unitId/cases`. */
export class UnitCasesQueryDto extends ScoreRunQueryDto {
  @ApiProperty({
    enum: SCORE_FIGURES,
    description: "The figure whose cases are listed (assessment: departments, the whistlers' ratings)",
  })
  @IsIn(SCORE_FIGURES)
  figure: ScoreFigure;
}

/** A scope of a run and the definition version its policy came from (null: the built-in default). */
export class ScopeDefinitionView {
  @ApiProperty({ description: "'city', or the id of a district with a definition of its own" }) scope: string;
  @ApiProperty({ type: String, nullable: true, description: "The version label, e.g. 'suyu@1'" })
  definition: string | null;
}

/** One score run: when and why it ran, what it computed from, whether a later run superseded it. */
export class ScoreRunView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null only in a 202 answer, before the workflow recorded the run',
  })
  id: string | null;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty({ enum: ['schedule', 'on-demand'] }) trigger: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status: string;
  @ApiPropertyOptional({ type: String, nullable: true }) requestedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The instant the figures are as of' })
  computedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) finishedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Cases, windows and the SHA-256 of the stored facts' })
  inputs: ScoreRunInputs | null;
  @ApiPropertyOptional({ type: String, nullable: true }) error: string | null;
  @ApiPropertyOptional({
    type: [ScopeDefinitionView],
    nullable: true,
    description: 'Once completed: the definition version each scope scored with (null for runs before scopes)',
  })
  definitions: ScopeDefinitionView[] | null;
  @ApiProperty({ description: "The month's published run: its latest completed run" }) published: boolean;
  @ApiProperty({ description: 'A completed run a later completed run of the same month replaced' })
  superseded: boolean;
}

/** One unit's figures (without the case lists: see `…/explain`). */
export class UnitScoreView {
  @ApiProperty() unitId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'From the org tree, when it knows the unit' })
  unitName: string | null;
  @ApiProperty({ enum: ['street', 'department', 'district'] }) unitKind: ScoredUnitKind;
  @ApiProperty() counts: UnitCounts;
  @ApiProperty() rates: { response: Rate; resolution: Rate; satisfaction: Rate };
  @ApiProperty({ type: Number, nullable: true, description: '0–100' }) score: number | null;
  @ApiProperty() eligible: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Among the eligible units of its kind in its scope' })
  rank: number | null;
  @ApiProperty() bottom: boolean;
  @ApiProperty({ type: String, nullable: true, description: "The scope it is ranked in: 'city' or a district id" })
  scope: string | null;
}

/** A month's published scores (or a given run's). */
export class MonthScoresView {
  @ApiProperty({ type: ScoreRunView }) run: ScoreRunView & { policy: ScoringPolicy };
  @ApiProperty({ type: [UnitScoreView] }) units: UnitScoreView[];
  @ApiProperty({ description: 'Eligible units per kind in scope, then rank order (ranks never cross scopes)' })
  rankings: Record<
    ScoredUnitKind,
    { rank: number; unitId: string; unitName: string | null; score: number | null; scope: string | null }[]
  >;
  @ApiProperty({ description: "Unit ids of the city scope's bottom N per kind, worst first" })
  bottom: Record<ScoredUnitKind, string[]>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Every scope, the city first: the definition version, its policy, its units (districts) and its bottom N per kind',
  })
  scopes: ScopeResult[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  doubleAssessment: DepartmentAssessment[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) hotspots: Hotspot[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) candidates: ProblemCandidate[];
}

/** Everything behind one unit's figures: the formulas with numbers, the case lists, and each case's facts. */
export class UnitExplanationView extends UnitScoreView {
  @ApiProperty({ description: "The run, and the policy of the unit's scope" })
  run: { id: string; month: string; computedAt: string; policy: ScoringPolicy; definition: string | null };
  @ApiProperty() formulas: { response: string; resolution: string; satisfaction: string; score: string };
  @ApiProperty() explanation: UnitExplanation;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The stored facts of each case of the unit, by case number (no personal data)',
  })
  cases: Record<string, unknown>[];
  @ApiPropertyOptional({ description: 'Departments: how the units that whistled it rated it (双考核)' })
  doubleAssessment?: DepartmentAssessment;
}

/** The cases behind one figure of a unit: the denominator's, the numerator's, the rest, and the ones left out. */
export class UnitFigureCasesView {
  @ApiProperty() run: { id: string; month: string; computedAt: string; scope: string; definition: string | null };
  @ApiProperty() unitId: string;
  @ApiProperty({ enum: SCORE_FIGURES }) figure: ScoreFigure;
  @ApiProperty({ type: String, description: 'The figure with its numbers, e.g. solved / rated = 9 / 10 = 0.9' })
  formula: string;
  @ApiProperty({ type: [String], description: 'The denominator: the cases the figure counts' }) counted: string[];
  @ApiProperty({ type: [String], description: 'The numerator: on time, solved, satisfied; assessment: no veto' })
  met: string[];
  @ApiProperty({ type: [String], description: 'Counted but not met (late, unsolved, dissatisfied, vetoed)' })
  missed: string[];
  @ApiProperty({ description: "The unit's cases the figure leaves out, by reason" })
  excluded: Record<string, string[]>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The stored facts of every case listed, by case number (no personal data)',
  })
  cases: Record<string, unknown>[];
}

/** One department's double assessment over a year: every month's published ratings and vetoes, rolled up. */
export class DepartmentYearView {
  @ApiProperty() departmentId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) unitName: string | null;
  @ApiProperty({ description: 'Ratings in the year' }) count: number;
  @ApiProperty({ description: 'Mean of every rating in the year, rounded to 0.01' }) average: number;
  @ApiProperty({ description: 'Ratings that carried a veto' }) vetoes: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Per month: ratings, mean and vetoes (months without ratings left out)',
  })
  months: { month: string; count: number; average: number; vetoes: number }[];
}

/** The double assessment of a year, from each month's published run. */
export class YearAssessmentView {
  @ApiProperty({ example: '2026' }) year: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The published run of each month of the year that has one',
  })
  runs: { month: string; runId: string }[];
  @ApiProperty({ type: [DepartmentYearView] }) departments: DepartmentYearView[];
}
