import { caseActionProblems, whistleActionProblems } from './action-problems';
import type { CaseAction, LifecycleRules } from './lifecycle.types';

const rules: Pick<LifecycleRules, 'extension' | 'whistle'> = {
  extension: { maxCount: 1, maxWorkingDays: 10 },
  whistle: {
    grades: { blue: { reportLimit: 'PT4H' }, red: { reportLimit: 'PT30M' } },
    whistlerKinds: ['street'],
    maxDepartments: 2,
  } as unknown as LifecycleRules['whistle'],
};
const context = { actorUnitId: 's-hubin', rules };
const fields = (action: CaseAction, given = context) =>
  caseActionProblems(action, given).map(({ field, rule }) => `${field}:${rule}`);

describe('caseActionProblems', () => {
  it.each<[string, CaseAction, string[]]>([
    ['a fine whistle', { type: 'whistle', departmentIds: ['dept-housing'], grade: 'blue', reason: '执法' }, []],
    [
      'a whistle wrong in every field at once',
      { type: 'whistle', departmentIds: ['s-hubin', 'x', 'x'], grade: 'purple', reason: ' ' },
      ['reason:notEmpty', 'grade:oneOf', 'departmentIds:count', 'departmentIds:distinct', 'departmentIds[0]:notSelf'],
    ],
    [
      'a reached citizen without answers',
      { type: 'callback', reached: true },
      ['solved:requiredWhenReached', 'satisfaction:requiredWhenReached'],
    ],
    ['an unreachable citizen', { type: 'callback', reached: false }, []],
    [
      'an extension past the rules and without a reason',
      { type: 'requestExtension', workingDays: 11, reason: '' },
      ['reason:notEmpty', 'workingDays:range'],
    ],
    ['a refused review without a reason', { type: 'review', accepted: false }, ['reason:notEmpty']],
    ['an accepted review', { type: 'review', accepted: true }, []],
    [
      'a coordination with empty fields',
      { type: 'coordinate', instruction: '', reassignTo: ' ', convene: [] },
      ['instruction:notEmpty', 'reassignTo:notEmpty', 'convene:notEmpty'],
    ],
    ['a note PostgreSQL cannot hold', { type: 'contact', note: 'a\u0000b' }, ['note:text-characters']],
  ])('should report %s', (_name, action, expected) => {
    expect(fields(action)).toEqual(expected);
  });

  it('should leave what the rules decide to the case when the rules are not known', () => {
    expect(
      fields({ type: 'whistle', departmentIds: ['a', 'b', 'c'], grade: 'purple', reason: '执法' }, {
        actorUnitId: 's-hubin',
      } as typeof context),
    ).toEqual([]);
  });
});

describe('whistleActionProblems', () => {
  it('should report an empty result and a score out of range', () => {
    expect(whistleActionProblems({ type: 'result', summary: ' ' })).toEqual([
      expect.objectContaining({ field: 'summary', rule: 'notEmpty' }),
    ]);
    expect(whistleActionProblems({ type: 'rate', departmentId: 'dept-housing', score: 6 })).toEqual([
      expect.objectContaining({ field: 'score', rule: 'range' }),
    ]);
  });
});
