import { CaseLifecycle } from './case-lifecycle';
import type { Actor, DispatchPlan, LifecycleEvent } from './lifecycle.types';
import { CaseNotification, notificationsOf } from './notifications';
import { BEIJING_LIFECYCLE_RULES } from './presets';

const AT = '2026-11-23T01:00:00.000Z';
const CENTRE = 'centre-12345';
const street: Actor = { userId: 'u1', role: 'handler', unitId: 's-1', unitKind: 'street' };

const event = (type: string, detail: Record<string, unknown>, actor?: Actor): LifecycleEvent => ({
  type,
  at: AT,
  actor,
  detail,
});

/** `kind→unit` of each notification, in order. */
const targets = (notifications: CaseNotification[]) => notifications.map((n) => `${n.kind}→${n.unitId}`);

describe('notificationsOf', () => {
  it.each<[string, string, LifecycleEvent, string[]]>([
    [
      'assign a dispatched case to its lead unit and each co-unit, not to copy units',
      'case',
      event('dispatched', { leadUnitId: 's-1', coUnitIds: ['dept-a', 'dept-b'], copyUnitIds: ['d-1'] }),
      ['assigned→s-1', 'assigned→dept-a', 'assigned→dept-b'],
    ],
    [
      'tell a unit that is both lead and co-unit once',
      'case',
      event('dispatched', { leadUnitId: 's-1', coUnitIds: ['s-1'], copyUnitIds: [] }),
      ['assigned→s-1'],
    ],
    [
      'say nothing about a re-dispatch decision (its dispatched event assigns)',
      'case',
      event('redispatch-decided', { reason: 'x', arbitrated: true }),
      [],
    ],
    [
      'assign a case a coordinator hands over to its new lead unit',
      'case',
      event('coordinated', { level: 'street', instruction: '移交', reassignedFrom: 's-1', reassignedTo: 's-2' }),
      ['assigned→s-2'],
    ],
    [
      'say nothing about a coordination that keeps the lead unit',
      'case',
      event('coordinated', { level: 'street', instruction: '督促' }),
      [],
    ],
    [
      'assign a re-handled case to its lead unit again',
      'case',
      event('rehandling', { round: 1, unitId: 's-1' }),
      ['assigned→s-1'],
    ],
    [
      'remind the responsible unit',
      'case',
      event('reminder', { kind: 'sign', due: AT, unitId: 's-1' }),
      ['reminder→s-1'],
    ],
    [
      'tell the responsible unit its deadline passed',
      'case',
      event('overdue', { kind: 'handle', due: AT, unitId: 'cc-c-1' }),
      ['overdue→cc-c-1'],
    ],
    [
      'tell the unit it is still overdue the working day after',
      'case',
      event('overdue-reminder', { unitId: 's-1' }),
      ['overdue→s-1'],
    ],
    [
      'tell the unit its supervision level rose',
      'case',
      event('supervision-raised', { level: 'posted', unitId: 's-1' }),
      ['overdue→s-1'],
    ],
    [
      'tell the committee a case climbed to it',
      'case',
      event('escalated', { level: 'community', unitId: 'cc-c-1', reason: 'x' }),
      ['escalated→cc-c-1'],
    ],
    [
      'say nothing when the case is posted for city supervision (no committee)',
      'case',
      event('escalated', { level: 'city', reason: 'x', supervision: 'posted' }),
      [],
    ],
    [
      'tell the service centre a unit returned the case',
      'case',
      event('returned', { reason: '非本单位职责', unitId: 's-1' }, street),
      [`returned→${CENTRE}`],
    ],
    [
      'tell each whistled department',
      'case',
      event('whistled', { round: 2, departmentIds: ['dept-a', 'dept-b', 'dept-c'], grade: 'red', reason: 'x' }, street),
      ['whistled→dept-a', 'whistled→dept-b', 'whistled→dept-c'],
    ],
    ['say nothing about a reminder that names no unit', 'case', event('reminder', { kind: 'sign', due: AT }), []],
    ['say nothing about a sign', 'case', event('signed', {}, street), []],
    ['say nothing about a close', 'case', event('closed', { outcome: 'satisfied', flagged: false }), []],
    [
      'say nothing about an accountability escalation (no unit of the tree)',
      'case',
      event('accountability-escalated', { to: 'discipline-office', unitId: 's-1' }),
      [],
    ],
    [
      'leave the round’s own whistled event to the case stream',
      'whistle-1',
      event('whistled', { departmentIds: ['dept-a'], grade: 'blue' }),
      [],
    ],
    [
      'remind a department of its report',
      'whistle-1',
      event('reminder', { kind: 'whistle-report', due: AT, departmentId: 'dept-a' }),
      ['reminder→dept-a'],
    ],
    [
      'remind every department still owing a result',
      'whistle-1',
      event('reminder', { kind: 'whistle-result', due: AT, departmentIds: ['dept-a', 'dept-b'] }),
      ['reminder→dept-a', 'reminder→dept-b'],
    ],
    [
      'tell a department its report or result is overdue',
      'whistle-1',
      event('overdue', { kind: 'whistle-report', due: AT, departmentId: 'dept-a' }),
      ['overdue→dept-a'],
    ],
    [
      'tell the district committee a department did not report',
      'whistle-1',
      event('escalated', { departmentId: 'dept-a', committeeId: 'cc-d-1', reason: 'x' }),
      ['escalated→cc-d-1'],
    ],
    [
      'say nothing about a department escalation without a committee',
      'whistle-1',
      event('escalated', { departmentId: 'dept-a' }),
      [],
    ],
    ['say nothing about a report', 'whistle-1', event('reported', { departmentId: 'dept-a' }), []],
  ])('should %s', (_title, stream, source, expected) => {
    expect(targets(notificationsOf({ caseNo: 'C1', stream, seq: 7, event: source }, CENTRE))).toEqual(expected);
  });

  it('should key each notification by case, stream, number, kind and unit, and carry the facts the unit needs', () => {
    const notifications = notificationsOf(
      {
        caseNo: '20261123000001',
        stream: 'case',
        seq: 3,
        event: event('dispatched', { leadUnitId: 's-1', coUnitIds: ['dept-a'], copyUnitIds: [], arbitrated: false }),
      },
      CENTRE,
    );
    expect(notifications).toEqual([
      {
        eventKey: '20261123000001/case/3/assigned/s-1',
        kind: 'assigned',
        caseNo: '20261123000001',
        unitId: 's-1',
        payload: { event: 'dispatched', at: AT, stream: 'case', seq: 3, role: 'lead' },
      },
      {
        eventKey: '20261123000001/case/3/assigned/dept-a',
        kind: 'assigned',
        caseNo: '20261123000001',
        unitId: 'dept-a',
        payload: { event: 'dispatched', at: AT, stream: 'case', seq: 3, role: 'co' },
      },
    ]);
  });

  it.each<[string, string, LifecycleEvent, Record<string, unknown>]>([
    [
      'a reminder: its deadline',
      'case',
      event('reminder', { kind: 'contact', due: AT, unitId: 's-1' }),
      { deadline: 'contact', due: AT },
    ],
    [
      'an escalation: the level',
      'case',
      event('escalated', { level: 'street', unitId: 'cc-s-1', reason: 'x' }),
      { level: 'street' },
    ],
    ['a return: who returned it', 'case', event('returned', { reason: 'x', unitId: 's-1' }), { fromUnitId: 's-1' }],
    [
      'a whistle: round and grade',
      'case',
      event('whistled', { round: 2, departmentIds: ['d'], grade: 'red', reason: 'x' }),
      { round: 2, grade: 'red' },
    ],
    [
      'a round escalation: department and round',
      'whistle-3',
      event('escalated', { departmentId: 'd', committeeId: 'cc-d-1' }),
      { departmentId: 'd', round: 3 },
    ],
  ])('should carry in %s', (_title, stream, source, expected) => {
    const [notification] = notificationsOf({ caseNo: 'C1', stream, seq: 1, event: source }, CENTRE);
    expect(notification.payload).toEqual({ event: source.type, at: AT, stream, seq: 1, ...expected });
  });

  it('should never copy an action’s free text or its actor into a payload', () => {
    const secret = '王先生 13800138000 东湖路1号';
    const events = [
      event('returned', { reason: secret, unitId: 's-1' }, street),
      event('whistled', { round: 1, departmentIds: ['dept-a'], grade: 'blue', reason: secret }, street),
      event('coordinated', { level: 'street', instruction: secret, reassignedTo: 's-2' }, street),
      event('escalated', { level: 'community', unitId: 'cc-c-1', reason: secret }, street),
    ];
    for (const source of events) {
      const serialised = JSON.stringify(
        notificationsOf({ caseNo: 'C1', stream: 'case', seq: 1, event: source }, CENTRE),
      );
      expect(serialised).not.toContain('13800138000');
      expect(serialised).not.toContain(street.userId);
    }
  });

  it('should notify along a case the lifecycle runs: dispatch, return, re-dispatch', () => {
    const lc = new CaseLifecycle(BEIJING_LIFECYCLE_RULES);
    const plan: DispatchPlan = {
      leadUnitId: 's-1',
      coUnitIds: [],
      copyUnitIds: ['d-1'],
      deadlines: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
      ladderUnits: {},
    };
    const operator: Actor = { userId: 'o1', role: 'operator', unitId: CENTRE, unitKind: 'service-centre' };
    lc.dispatch(plan, AT);
    lc.apply({ type: 'return', reason: '非本单位职责' }, street, '2026-11-23T02:00:00.000Z');
    lc.apply(
      { type: 'redispatch', leadUnitId: 's-2', arbitrated: true, reason: '仲裁' },
      operator,
      '2026-11-23T03:00:00.000Z',
    );
    const all = lc
      .takeEvents()
      .flatMap((source, i) => notificationsOf({ caseNo: 'C1', stream: 'case', seq: i + 1, event: source }, CENTRE));
    expect(targets(all)).toEqual(['assigned→s-1', `returned→${CENTRE}`, 'assigned→s-2']);
  });
});
