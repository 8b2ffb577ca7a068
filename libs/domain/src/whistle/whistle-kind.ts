import type { WhistleRules } from '../lifecycle/lifecycle.types';
import { WHISTLE_TRIGGERS, type WhistleTrigger, type WhistleType } from '../rules/process-definition';

/** A whistle's trigger and type as given, before the rules complete them. */
export interface WhistleKindInput {
  grade: string;
  trigger?: string;
  whistleType?: string;
}

/** One problem with a whistle's trigger or type: the field it concerns and why. */
export interface WhistleKindProblem {
  field: 'trigger' | 'whistleType';
  message: string;
}

/** A whistle's trigger and type as recorded, or every problem with them. */
export interface WhistleKind {
  trigger?: WhistleTrigger;
  whistleType?: WhistleType;
  problems: WhistleKindProblem[];
}

/** Every whistle trigger the product knows, for rules pinned before triggers were read. */
const ANY_TRIGGER: readonly string[] = WHISTLE_TRIGGERS;

/**
 * The trigger and type a whistle carries, checked against the whistle rules pinned to its case:
 * - `trigger` must be one the rules allow and, where its grade names triggers, one of the grade's (a red whistle of
 *   `pinggu` is for joint enforcement or emergency response only). Absent, it is the grade's only trigger, else
 *   `citizen-demand` where the grade allows it (every case is a citizen's request), else the whistle must name it.
 *   Rules pinned before triggers were read allow any trigger and complete none.
 * - `whistleType` must be one of the rules' types and, where its grade names types, one of the grade's. Absent, it
 *   is the only type the grade (or the rules) allow, else the whistle must name it. Rules that list no types refuse
 *   a type.
 * An unknown grade yields no problem here (the grade's own check names it) and completes nothing.
 */
export function resolveWhistleKind(rules: WhistleRules, input: WhistleKindInput): WhistleKind {
  const problems: WhistleKindProblem[] = [];
  const grade = Object.prototype.hasOwnProperty.call(rules.grades, input.grade) ? rules.grades[input.grade] : undefined;
  const gradeName = JSON.stringify(input.grade);

  let trigger: WhistleTrigger | undefined;
  const allowedTriggers: readonly string[] = rules.triggers ?? ANY_TRIGGER;
  const gradeTriggers: readonly string[] = grade?.triggers ?? allowedTriggers;
  if (input.trigger !== undefined) {
    if (!allowedTriggers.includes(input.trigger)) {
      problems.push({
        field: 'trigger',
        message: `trigger must be one of ${allowedTriggers.join(', ')}, not ${JSON.stringify(input.trigger)}`,
      });
    } else if (!gradeTriggers.includes(input.trigger)) {
      problems.push({
        field: 'trigger',
        message: `trigger: the ${gradeName} grade is for ${gradeTriggers.join(', ')}, not ${input.trigger}`,
      });
    } else trigger = input.trigger as WhistleTrigger;
  } else if (grade && rules.triggers) {
    const fallback = gradeTriggers.length === 1 ? gradeTriggers[0] : 'citizen-demand';
    if (gradeTriggers.includes(fallback)) trigger = fallback as WhistleTrigger;
    else {
      problems.push({
        field: 'trigger',
        message: `trigger is required: the ${gradeName} grade is for ${gradeTriggers.join(', ')}`,
      });
    }
  }

  let whistleType: WhistleType | undefined;
  const allowedTypes: readonly string[] = rules.types ?? [];
  const gradeTypes: readonly string[] = grade?.types ?? allowedTypes;
  if (input.whistleType !== undefined) {
    if (allowedTypes.length === 0) {
      problems.push({ field: 'whistleType', message: 'whistleType: these rules tell no whistle types apart' });
    } else if (!allowedTypes.includes(input.whistleType)) {
      problems.push({
        field: 'whistleType',
        message: `whistleType must be one of ${allowedTypes.join(', ')}, not ${JSON.stringify(input.whistleType)}`,
      });
    } else if (!gradeTypes.includes(input.whistleType)) {
      problems.push({
        field: 'whistleType',
        message: `whistleType: the ${gradeName} grade is for ${gradeTypes.join(', ')}, not ${input.whistleType}`,
      });
    } else whistleType = input.whistleType as WhistleType;
  } else if (grade && allowedTypes.length > 0) {
    if (gradeTypes.length === 1) whistleType = gradeTypes[0] as WhistleType;
    else {
      problems.push({
        field: 'whistleType',
        message: `whistleType is required: the ${gradeName} grade is for ${gradeTypes.join(', ')}`,
      });
    }
  }
  return { trigger, whistleType, problems };
}
