import { CaseLifecycle } from './case-lifecycle';
import type { Actor, DeadlineEntry, DispatchPlan } from './lifecycle.types';
import { openTasks } from './open-tasks';
import { BEIJING_LIFECYCLE_RULES } from './presets';

const lead: Actor = { userId: 'u1', role: 'handler', unitId: 's-1', unitKind: 'street' };
const operator: Actor = { userId: 'o1', role: 'operator', unitId: 'centre' };
const plan: DispatchPlan = {
  leadUnitId: 's-1',
  coUnitIds: [],
  copyUnitIds: ['d-1'],
  deadlines: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
  ladderUnits: { community: 'cc-c-1' },
};
const due = (kind: DeadlineEntry['kind'], iso: string): DeadlineEntry => ({
  kind,
  duration: '1WD',
  from: '2026-11-23T01:00:00.000Z',
  due: iso,
  calendarId: 'test',
  calendarVersion: 1,
  appliedDays: [],
});

/** The (step, unit, role) of every open task. */
const steps = (lc: CaseLifecycle) => openTasks(lc.state, 'C1', 'centre').map((t) => `${t.step}@${t.unitId}:${t.role}`);

describe('openTasks', () => {
  it('should follow a case from sign to call-back, one step at a time, with the deadline that bounds it', () => {
    const lc = new CaseLifecycle(BEIJING_LIFECYCLE_RULES);
    expect(steps(lc)).toEqual([]);
    lc.dispatch(plan, '2026-11-23T01:00:00.000Z');
    lc.setDeadline(due('sign', '2026-11-24T10:00:00.000Z'));
    expect(openTasks(lc.state, 'C1', 'centre')).toEqual([
      expect.objectContaining({ step: 'sign', unitId: 's-1', role: 'handler', dueAt: '2026-11-24T10:00:00.000Z' }),
    ]);
    lc.apply({ type: 'sign' }, lead, '2026-11-23T02:00:00.000Z');
    expect(steps(lc)).toEqual(['contact@s-1:handler']);
    lc.apply({ type: 'contact' }, lead, '2026-11-23T03:00:00.000Z');
    lc.apply({ type: 'requestExtension', workingDays: 3, reason: '等待' }, lead, '2026-11-23T03:10:00.000Z');
    expect(steps(lc)).toEqual(['handle@s-1:handler', 'extension-decision@centre:operator']);
    lc.apply({ type: 'decideExtension', approved: false, reason: '不同意' }, operator, '2026-11-23T03:20:00.000Z');
    lc.apply({ type: 'reply', result: 'solved', summary: '已解决' }, lead, '2026-11-23T04:00:00.000Z');
    expect(steps(lc)).toEqual(['review@centre:operator']);
    lc.apply({ type: 'review', accepted: true }, operator, '2026-11-23T05:00:00.000Z');
    expect(steps(lc)).toEqual(['callback@centre:operator']);
  });

  it('should give the committee a coordination task while the case is escalated, beside the lead unit', () => {
    const lc = new CaseLifecycle(BEIJING_LIFECYCLE_RULES);
    lc.dispatch(plan, '2026-11-23T01:00:00.000Z');
    lc.apply({ type: 'sign' }, lead, '2026-11-23T02:00:00.000Z');
    lc.apply({ type: 'contact' }, lead, '2026-11-23T03:00:00.000Z');
    lc.apply({ type: 'escalate', reason: '需要协调' }, lead, '2026-11-23T04:00:00.000Z');
    expect(steps(lc)).toEqual(['handle@s-1:handler', 'coordinate-community@cc-c-1:coordinator']);
  });

  it('should key a task by round, so a re-handled step is a new task', () => {
    const lc = new CaseLifecycle(BEIJING_LIFECYCLE_RULES);
    lc.dispatch(plan, '2026-11-23T01:00:00.000Z');
    const first = openTasks(lc.state, 'C1', 'centre')[0].key;
    lc.apply({ type: 'return', reason: '非本辖区' }, lead, '2026-11-23T02:00:00.000Z');
    expect(steps(lc)).toEqual(['redispatch@centre:operator']);
    lc.apply(
      { type: 'redispatch', leadUnitId: 's-1', arbitrated: true, reason: '裁定' },
      operator,
      '2026-11-23T03:00:00.000Z',
    );
    expect(openTasks(lc.state, 'C1', 'centre')[0].key).not.toBe(first);
  });
});
