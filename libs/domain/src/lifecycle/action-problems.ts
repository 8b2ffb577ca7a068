import { TEXT_CHARACTERS_RULE, textProblemsIn } from '../case/text';
import { WHISTLE_SCORE, type WhistleAction } from '../whistle/whistle.types';
import type { OrgUnitKind } from '../org/org.types';
import { resolveWhistleKind } from '../whistle/whistle-kind';
import type { CaseAction, LifecycleRules } from './lifecycle.types';

/** One problem with an action's arguments: the body field (a JSON path), the rule it broke, and a plain message. */
export interface ActionProblem {
  field: string;
  rule: string;
  message: string;
}

/** What the argument rules of a case action depend on besides the action itself. */
export interface ActionArgumentContext {
  /** The unit acting (a unit cannot whistle itself). */
  actorUnitId: string;
  /** Its kind (who answers a whistle depends on it); absent: not known to the caller. */
  actorUnitKind?: OrgUnitKind;
  /** The rules the case is pinned to; absent (not known to the caller): the checks they decide are skipped. */
  rules?: Pick<LifecycleRules, 'extension' | 'whistle'>;
}

/** Rule names of {@link caseActionProblems} and {@link whistleActionProblems}, as clients see them. */
export const ACTION_RULES = {
  notEmpty: 'notEmpty',
  range: 'range',
  oneOf: 'oneOf',
  count: 'count',
  distinct: 'distinct',
  notSelf: 'notSelf',
  whistleKind: 'whistleKind',
  requiredWhenNotDone: 'requiredWhenNotDone',
  requiredWhenReached: 'requiredWhenReached',
  text: TEXT_CHARACTERS_RULE,
} as const;

const blank = (value: unknown) => typeof value !== 'string' || value.trim().length === 0;

/**
 * Every problem with the arguments of a case action, all at once, each naming its field: text that PostgreSQL cannot
 * hold, required text left empty, numbers out of the rules' range, a whistle's grade, departments and count, a
 * call-back's answers. It says nothing of who may act or when (state, unit, role, deadlines): the case decides that.
 * Empty when the arguments are fine; `CaseLifecycle.validate` refuses the same arguments (InvalidArgument).
 */
export function caseActionProblems(action: CaseAction, context: ActionArgumentContext): ActionProblem[] {
  const problems: ActionProblem[] = textProblemsIn(action).map(({ path, message }) => ({
    field: path || 'body',
    rule: ACTION_RULES.text,
    message: `${path || 'body'} ${message}`,
  }));
  const unstorable = new Set(problems.map((problem) => problem.field));
  const add = (field: string, rule: string, message: string) => {
    if (!unstorable.has(field)) problems.push({ field, rule, message });
  };
  const required = (field: string, value: unknown) => {
    if (blank(value)) add(field, ACTION_RULES.notEmpty, `${field} must not be empty`);
  };
  const { rules } = context;
  switch (action.type) {
    case 'return':
    case 'escalate':
    case 'suspend':
    case 'resume':
    case 'decideExtension':
      required('reason', action.reason);
      break;
    case 'redispatch':
      required('leadUnitId', action.leadUnitId);
      required('reason', action.reason);
      break;
    case 'requestExtension': {
      required('reason', action.reason);
      const max = rules?.extension.maxWorkingDays ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(action.workingDays) || action.workingDays < 1 || action.workingDays > max) {
        add('workingDays', ACTION_RULES.range, `workingDays must be a whole number from 1 to ${max}`);
      }
      break;
    }
    case 'reply':
    case 'reportPart':
      required('summary', action.summary);
      break;
    case 'review':
      if (!action.accepted) required('reason', action.reason);
      break;
    case 'callback':
      for (const field of ['solved', 'satisfaction'] as const) {
        if (action.reached && action[field] === undefined) {
          add(field, ACTION_RULES.requiredWhenReached, `${field} is required when the citizen was reached`);
        }
      }
      break;
    case 'whistle':
      required('reason', action.reason);
      whistleProblems(action, context, add);
      break;
    case 'coordinate': {
      required('instruction', action.instruction);
      if (action.reassignTo !== undefined) required('reassignTo', action.reassignTo);
      const convene: unknown[] = Array.isArray(action.convene) ? action.convene : [];
      if (action.convene !== undefined && (convene.length === 0 || convene.some(blank))) {
        add('convene', ACTION_RULES.notEmpty, 'convene must name at least one unit, each a non-empty unit id');
      } else if (new Set(convene).size !== convene.length) {
        add('convene', ACTION_RULES.distinct, 'convene must name distinct units');
      }
      break;
    }
    case 'migrateRules':
      required('toVersion', action.toVersion);
      required('reason', action.reason);
      break;
    case 'recalendar':
      required('reason', action.reason);
      break;
  }
  return problems;
}

/** The grade, departments and count of a whistle against the case's whistle rules. */
function whistleProblems(
  action: Extract<CaseAction, { type: 'whistle' }>,
  { actorUnitId, actorUnitKind, rules }: ActionArgumentContext,
  add: (field: string, rule: string, message: string) => void,
): void {
  const whistle = rules?.whistle;
  if (whistle && !Object.prototype.hasOwnProperty.call(whistle.grades, action.grade)) {
    add('grade', ACTION_RULES.oneOf, `grade must be one of ${Object.keys(whistle.grades).join(', ')}`);
  }
  // The trigger and type against the rules and the grade (a red pinggu whistle is for enforcement or emergencies).
  for (const problem of whistle ? resolveWhistleKind(whistle, action).problems : []) {
    add(problem.field, ACTION_RULES.whistleKind, problem.message);
  }
  const ids: unknown[] = Array.isArray(action.departmentIds) ? action.departmentIds : [];
  const max = whistle?.maxDepartments ?? Number.MAX_SAFE_INTEGER;
  const answeredByStreet = actorUnitKind !== undefined && whistle?.answeredBy?.[actorUnitKind] === 'street';
  if (answeredByStreet && ids.length !== 1) {
    add('departmentIds', ACTION_RULES.count, `departmentIds: a ${actorUnitKind} whistles its own street, one unit`);
  } else if (ids.length < 1 || ids.length > max) {
    add('departmentIds', ACTION_RULES.count, `departmentIds must name 1 to ${max} departments`);
  }
  if (new Set(ids).size !== ids.length) add('departmentIds', ACTION_RULES.distinct, 'departmentIds must be distinct');
  ids.forEach((id, i) => {
    if (blank(id)) add(`departmentIds[${i}]`, ACTION_RULES.notEmpty, `departmentIds[${i}] must not be empty`);
    else if (id === actorUnitId) {
      add(`departmentIds[${i}]`, ACTION_RULES.notSelf, `departmentIds[${i}]: a unit cannot whistle itself`);
    }
  });
}

/** Every problem with the arguments of a whistle-round action, all at once (see {@link caseActionProblems}). */
export function whistleActionProblems(action: WhistleAction): ActionProblem[] {
  const problems: ActionProblem[] = textProblemsIn(action).map(({ path, message }) => ({
    field: path || 'body',
    rule: ACTION_RULES.text,
    message: `${path || 'body'} ${message}`,
  }));
  if (action.type === 'result' && blank(action.summary)) {
    problems.push({ field: 'summary', rule: ACTION_RULES.notEmpty, message: 'summary must not be empty' });
  }
  if (action.type === 'confirm' && action.done === false && blank(action.note)) {
    problems.push({
      field: 'note',
      rule: ACTION_RULES.requiredWhenNotDone,
      message: 'note must say what is left to do when the work is not done',
    });
  }
  if (action.type === 'rate') {
    const { min, max } = WHISTLE_SCORE;
    if (!Number.isInteger(action.score) || action.score < min || action.score > max) {
      problems.push({
        field: 'score',
        rule: ACTION_RULES.range,
        message: `score must be a whole number from ${min} to ${max}`,
      });
    }
  }
  return problems;
}
