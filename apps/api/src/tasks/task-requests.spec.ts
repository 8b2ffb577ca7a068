import { ApiError } from '../common/api-error';
import { inboxPageSql } from './inbox-query';
import { ActionableTask, inboxFilterFor, parseWhistleTaskKey, planTaskAction } from './task-requests';

const CASE_NO = '20261123000001';
const whistleTask = (step: string, unit = 'dept-urban-management', round = 2): ActionableTask => ({
  id: 'task-1',
  task_key: `${CASE_NO}:whistle-${round}:${step}:${unit}`,
  case_no: CASE_NO,
  step,
});

/** The field and rule of a 400 thrown by `call`. */
function refusal(call: () => unknown): { field: string; rule: string } | undefined {
  try {
    call();
  } catch (error) {
    if (error instanceof ApiError) return error.details?.[0];
    throw error;
  }
  return undefined;
}

describe('parseWhistleTaskKey', () => {
  it.each([
    [
      `${CASE_NO}:whistle-1:whistle-report:dept-housing`,
      { round: 1, step: 'whistle-report', departmentId: 'dept-housing' },
    ],
    [`${CASE_NO}:whistle-12:whistle-rating:dept-urban-management`, { round: 12, step: 'whistle-rating' }],
    // The confirmation after one result was sent back: its own task, the same step and department.
    [
      `${CASE_NO}:whistle-2:whistle-confirm-2:dept-housing`,
      { round: 2, step: 'whistle-confirm', departmentId: 'dept-housing' },
    ],
  ])('should read %s', (key, expected) => {
    expect(parseWhistleTaskKey(key)).toMatchObject({ caseNo: CASE_NO, ...expected });
  });

  it.each([
    ['a case step', `${CASE_NO}:sign:s-hubin:0:0`],
    ['round 0', `${CASE_NO}:whistle-0:whistle-report:dept-housing`],
    ['no department', `${CASE_NO}:whistle-1:whistle-report:`],
    ['a round that is not a number', `${CASE_NO}:whistle-x:whistle-report:dept-housing`],
  ])('should not read %s as a whistle task key', (_what, key) => {
    expect(parseWhistleTaskKey(key)).toBeUndefined();
  });
});

describe('planTaskAction', () => {
  it.each([
    ['whistle-report', 'report', { note: '已到场' }, { type: 'report', note: '已到场' }],
    ['whistle-result', 'result', { summary: '已整改' }, { type: 'result', summary: '已整改' }],
    [
      'whistle-rating',
      'rate',
      { departmentId: 'dept-urban-management', score: 4, comment: '及时' },
      { type: 'rate', departmentId: 'dept-urban-management', score: 4, comment: '及时' },
    ],
  ])('should send a %s task’s %s to the round its key names', (step, name, body, action) => {
    const plan = planTaskAction(whistleTask(step), name);
    expect(plan).toMatchObject({ target: 'whistle', round: 2 });
    expect(plan.toAction(body)).toEqual(action);
  });

  it('should send a case step’s action to the case', () => {
    const plan = planTaskAction(
      { id: 't', task_key: `${CASE_NO}:sign:s-hubin:0:0`, case_no: CASE_NO, step: 'sign' },
      'sign',
    );
    expect(plan.target).toBe('case');
    expect(plan.toAction(undefined)).toEqual({ type: 'sign' });
  });

  it.each([
    ['whistle-report', 'result'],
    ['whistle-report', 'sign'],
    ['whistle-result', 'report'],
    ['whistle-rating', 'ratings'],
    ['handle', 'report'],
    ['sign', 'toString'],
  ])('should refuse a %s task the action %s, naming the field action', (step, name) => {
    const task = step.startsWith('whistle-') ? whistleTask(step) : { ...whistleTask(step), task_key: 'k' };
    expect(refusal(() => planTaskAction(task, name))).toMatchObject({ field: 'action', rule: 'taskStep' });
  });

  it('should refuse a rating of another department than the task’s, naming departmentId', () => {
    const plan = planTaskAction(whistleTask('whistle-rating', 'dept-housing'), 'rate');
    expect(refusal(() => plan.toAction({ departmentId: 'dept-urban-management', score: 5 }))).toEqual(
      expect.objectContaining({ field: 'departmentId', rule: 'taskDepartment' }),
    );
  });

  it('should fail loudly on a whistle task whose key is not one of its round', () => {
    expect(() => planTaskAction({ ...whistleTask('whistle-report'), task_key: 'broken' }, 'report')).toThrow(
      /has key broken/,
    );
    expect(() => planTaskAction({ ...whistleTask('whistle-report'), step: 'whistle-result' }, 'result')).toThrow(
      /not <caseNo>:whistle-<round>/,
    );
  });
});

describe('inboxFilterFor', () => {
  const actor = { userId: '0b5c1f0e-6a43-4f7e-9d0e-2b1f6d1c2a3b' };

  it('should fill in the defaults and make claimedBy=me the caller', () => {
    expect(inboxFilterFor({}, 's-hubin', actor)).toMatchObject({ sort: 'due_at', order: 'asc', limit: 20 });
    expect(inboxFilterFor({}, 's-hubin', actor).claimedBy).toBeUndefined();
    expect(inboxFilterFor({ claimedBy: 'me' }, 's-hubin', actor).claimedBy).toBe(actor.userId);
  });

  it('should refuse a cursor it did not issue, naming the field cursor', () => {
    expect(refusal(() => inboxFilterFor({ cursor: 'bm9wZQ' }, 's-hubin', actor))).toMatchObject({ field: 'cursor' });
  });

  it('should read one’s own claims as claimed tasks by that claimer, and any status asked for as such', () => {
    const mine = inboxPageSql(inboxFilterFor({ claimedBy: 'me' }, 's-hubin', actor));
    expect(mine.text).toContain(`t.status = 'claimed'`);
    expect(mine.text).toContain('t.claimed_by = $2');
    expect(mine.values).toEqual(['s-hubin', actor.userId, 21]);
    const closed = inboxPageSql(inboxFilterFor({ claimedBy: 'me', status: 'closed' }, 's-hubin', actor));
    expect(closed.text).toContain(`t.status = 'closed'`);
  });
});
