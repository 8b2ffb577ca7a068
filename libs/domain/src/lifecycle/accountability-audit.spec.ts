import { auditDraw, CaseLifecycle } from './case-lifecycle';
import type {
  Actor,
  CaseAction,
  DeadlineEntry,
  DeadlineRequest,
  DispatchPlan,
  LifecycleRules,
} from './lifecycle.types';
import { notificationsOf } from './notifications';
import { openTasks } from './open-tasks';
import { BEIJING_LIFECYCLE_RULES } from './presets';

/** Instants as hours after Monday 3 March 2025, 09:00 Asia/Shanghai. */
const BASE = Date.UTC(2025, 2, 3, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const hoursOf = (iso: string) => (Date.parse(iso) - BASE) / 3_600_000;

/** A fake calendar: every deadline lasts 100 natural hours, the reminder at 80 %. */
function stamp(lc: CaseLifecycle, requests: DeadlineRequest[]): DeadlineEntry[] {
  return requests.map((request) => {
    const from = hoursOf(request.from);
    const entry: DeadlineEntry = {
      ...request,
      calendarId: 'test-cal',
      calendarVersion: 1,
      appliedDays: [],
      due: at(from + 100),
      reminderAt: at(from + 80),
    };
    lc.setDeadline(entry);
    return entry;
  });
}

/** Suyu's rules on top of beijing's: the discipline office decides; half of the satisfied cases are audited. */
const SUYU: LifecycleRules = {
  ...BEIJING_LIFECYCLE_RULES,
  callback: {
    window: '3WD',
    maxAttempts: 2,
    audit: { fraction: 0.5, sampling: 'case-number-hash', deadline: '5WD', flagEffect: 'audit-answer' },
  },
  accountability: { target: 'discipline-office', deadline: '10WD', role: 'handler' },
};

const lead: Actor = { userId: 'u-lead', role: 'handler', unitId: 's-lead' };
const office: Actor = { userId: 'u-office', role: 'handler', unitId: 'o-discipline' };
const centre: Actor = { userId: 'u-centre', role: 'operator', unitId: 'centre-1' };
const PLAN: DispatchPlan = {
  leadUnitId: 's-lead',
  coUnitIds: [],
  copyUnitIds: [],
  deadlines: { sign: '1WD', contact: 'P1D', handle: '7WD' },
  ladderUnits: {},
  serviceCentreId: 'centre-1',
  accountabilityUnitId: 'o-discipline',
};

type Of<T extends CaseAction['type']> = Extract<CaseAction, { type: T }>;
const rated = (solved: boolean, satisfaction: Of<'callback'>['satisfaction']): Of<'callback'> => ({
  type: 'callback',
  reached: true,
  solved,
  satisfaction,
});
const audited = (solved: boolean, satisfaction: Of<'auditCallback'>['satisfaction']): Of<'auditCallback'> => ({
  type: 'auditCallback',
  reached: true,
  solved,
  satisfaction,
});

/** Case numbers whose draw falls below / above one half (found, not assumed: the draw is a hash). */
const serials = Array.from({ length: 200 }, (_, i) => `20250303${String(100000 + i)}`);
const SAMPLED = serials.filter((caseNo) => auditDraw(caseNo) < 0.5);
const NOT_SAMPLED = serials.filter((caseNo) => auditDraw(caseNo) >= 0.5);

/** A case dispatched, signed, contacted, replied `solved` and accepted: awaiting its call-back (events drained). */
function awaitingCallback(rules = SUYU, caseNo = SAMPLED[0], plan = PLAN): CaseLifecycle {
  const lc = new CaseLifecycle(rules, undefined, caseNo);
  stamp(lc, lc.dispatch(plan, at(0), centre));
  lc.apply({ type: 'sign' }, lead, at(1));
  lc.apply({ type: 'contact' }, lead, at(2));
  lc.apply({ type: 'reply', result: 'solved', summary: '已处理' }, lead, at(3));
  stamp(lc, lc.apply({ type: 'review', accepted: true }, centre, at(4)));
  lc.takeEvents();
  return lc;
}

/** A case the citizen is dissatisfied with twice: now before the accountability body. */
function beforeTheOffice(rules = SUYU, plan = PLAN): { lc: CaseLifecycle; requests: DeadlineRequest[] } {
  const lc = awaitingCallback(rules, SAMPLED[0], plan);
  stamp(lc, lc.apply(rated(false, 'dissatisfied'), centre, at(5)));
  lc.apply({ type: 'reply', result: 'solved', summary: '再次处理' }, lead, at(6));
  stamp(lc, lc.apply({ type: 'review', accepted: true }, centre, at(7)));
  lc.takeEvents();
  const requests = lc.apply(rated(false, 'very-dissatisfied'), centre, at(8));
  return { lc, requests };
}

describe('the accountability step', () => {
  it('should send a case dissatisfied after its last re-handling to the office the rules name, with a deadline', () => {
    const { lc, requests } = beforeTheOffice();
    expect(requests).toEqual([{ kind: 'accountability', duration: '10WD', from: at(8) }]);
    expect(lc.state).toMatchObject({
      phase: 'accountability',
      accountability: { unitId: 'o-discipline', target: 'discipline-office', role: 'handler', since: at(8) },
    });
    expect(lc.state.outcome).toBeUndefined();
    expect(lc.responsibleUnit()).toBe('o-discipline');
    const events = lc.takeEvents();
    expect(events.map((e) => e.type)).toEqual(['called-back', 'accountability-escalated']);
    expect(events[1].detail).toEqual({
      to: 'discipline-office',
      unitId: 's-lead',
      accountabilityUnitId: 'o-discipline',
    });
    stamp(lc, requests);
    expect(openTasks(lc.state, 'C1', 'centre-1')).toEqual([
      expect.objectContaining({ step: 'accountability-decision', unitId: 'o-discipline', role: 'handler' }),
    ]);
    expect(lc.nextTimer()).toEqual({ kind: 'accountability', at: at(88), reminder: true });
  });

  it.each<[string, Actor, Partial<Of<'decideAccountability'>>, string]>([
    ['the lead unit', lead, {}, 'WrongUnit'],
    ['an operator', centre, {}, 'WrongRole'],
    ['a decision without text', office, { decision: '  ' }, 'InvalidArgument'],
    ['a decision that is not yes or no', office, { responsible: 'yes' as never }, 'InvalidArgument'],
  ])('should refuse %s deciding', (_title, actor, change, code) => {
    const { lc } = beforeTheOffice();
    const action: Of<'decideAccountability'> = {
      type: 'decideAccountability',
      responsible: true,
      decision: '问责',
      ...change,
    };
    expect(lc.validate(action, actor, at(9))?.code).toBe(code);
  });

  it("should close the case on the office's decision, on the record", () => {
    const { lc } = beforeTheOffice();
    lc.takeEvents();
    const decision = '承办单位未按承诺整改，责任成立，约谈负责人';
    expect(lc.apply({ type: 'decideAccountability', responsible: true, decision }, office, at(20))).toEqual([]);
    expect(lc.state).toMatchObject({
      phase: 'closed',
      outcome: 'accountability',
      accountability: { decision: { responsible: true, decision, at: at(20) } },
    });
    expect(lc.takeEvents().map((e) => [e.type, e.detail])).toEqual([
      [
        'accountability-decided',
        { responsible: true, decision, unitId: 's-lead', accountabilityUnitId: 'o-discipline' },
      ],
      ['closed', { outcome: 'accountability', flagged: true }],
    ]);
    expect(openTasks(lc.state, 'C1', 'centre-1')).toEqual([]);
    // A case closed for accountability is not audited: only cases closed satisfied are.
    expect(lc.state.audit).toBeUndefined();
  });

  it('should keep the case before the office, overdue, when its deadline passes undecided', () => {
    const { lc, requests } = beforeTheOffice();
    stamp(lc, requests);
    lc.takeEvents();
    const reminder = lc.nextTimer()!;
    lc.onTimer(reminder, reminder.at);
    const deadline = lc.nextTimer()!;
    expect(lc.onTimer(deadline, deadline.at)).toEqual([]);
    expect(lc.state).toMatchObject({ phase: 'accountability', overdue: true });
    const events = lc.takeEvents();
    expect(events.map((e) => [e.type, e.detail.unitId])).toEqual([
      ['reminder', 'o-discipline'],
      ['overdue', 'o-discipline'],
    ]);
    expect(openTasks(lc.state, 'C1', 'centre-1')[0]).toMatchObject({ step: 'accountability-decision', overdue: true });
  });

  it('should tell the office, and nobody for cases whose rules had no accountability step', () => {
    const { lc } = beforeTheOffice();
    const escalated = lc.takeEvents().find((e) => e.type === 'accountability-escalated')!;
    expect(notificationsOf({ caseNo: 'C1', stream: 'case', seq: 9, event: escalated }, 'centre-1')).toEqual([
      expect.objectContaining({
        kind: 'escalated',
        unitId: 'o-discipline',
        payload: expect.objectContaining({ level: 'accountability' }),
      }),
    ]);
  });

  it('should close flagged at once under rules without the step, or when the plan names no office', () => {
    const { accountability: _none, ...older } = SUYU;
    const { accountabilityUnitId: _noBody, ...oldPlan } = PLAN;
    for (const { lc, requests } of [beforeTheOffice(older), beforeTheOffice(SUYU, oldPlan)]) {
      expect(requests).toEqual([]);
      expect(lc.state).toMatchObject({ phase: 'closed', outcome: 'accountability' });
      expect(lc.takeEvents().map((e) => e.type)).toEqual(['called-back', 'accountability-escalated', 'closed']);
    }
  });
});

describe('audit call-backs', () => {
  it('should draw each case number the same way every time, in [0, 1)', () => {
    expect(serials.map(auditDraw)).toEqual(serials.map(auditDraw));
    expect(serials.every((caseNo) => auditDraw(caseNo) >= 0 && auditDraw(caseNo) < 1)).toBe(true);
    // About half of 200 case numbers fall below one half: the draw spreads.
    expect(SAMPLED.length).toBeGreaterThan(70);
    expect(NOT_SAMPLED.length).toBeGreaterThan(70);
  });

  it('should sample about the fraction of consecutive case numbers, not clusters of them', () => {
    const consecutive = Array.from({ length: 1000 }, (_, i) => `20261125${String(870000 + i)}`);
    const drawn = consecutive.filter((caseNo) => auditDraw(caseNo) < 0.2).length;
    expect(drawn).toBeGreaterThan(150);
    expect(drawn).toBeLessThan(250);
    // Every block of 20 consecutive numbers has some drawn and some not.
    for (let block = 0; block < 1000; block += 100) {
      const draws = consecutive.slice(block, block + 20).map(auditDraw);
      expect(draws.some((draw) => draw < 0.5) && draws.some((draw) => draw >= 0.5)).toBe(true);
    }
  });

  it('should record the draw of a case closed satisfied and leave an unsampled case done', () => {
    const lc = awaitingCallback(SUYU, NOT_SAMPLED[0]);
    expect(lc.apply(rated(true, 'satisfied'), centre, at(5))).toEqual([]);
    const sampled = lc.takeEvents().find((e) => e.type === 'audit-sampled')!;
    expect(sampled.detail).toEqual({
      sampled: false,
      draw: auditDraw(NOT_SAMPLED[0]),
      fraction: 0.5,
      sampling: 'case-number-hash',
    });
    expect(lc.auditPending()).toBe(false);
    expect(lc.validate(audited(false, 'dissatisfied'), centre, at(6))?.code).toBe('WrongState');
  });

  it('should give a sampled case an audit call-back task for the service centre, due by the rules', () => {
    const lc = awaitingCallback();
    const requests = lc.apply(rated(true, 'satisfied'), centre, at(5));
    expect(requests).toEqual([{ kind: 'audit', duration: '5WD', from: at(5) }]);
    stamp(lc, requests);
    expect(lc.state).toMatchObject({
      phase: 'closed',
      outcome: 'satisfied',
      audit: { status: 'pending', attempts: 0, reportedResult: 'solved' },
    });
    expect(lc.auditPending()).toBe(true);
    expect(lc.responsibleUnit()).toBe('centre-1');
    expect(openTasks(lc.state, 'C1', 'centre-1')).toEqual([
      expect.objectContaining({ step: 'audit-callback', unitId: 'centre-1', role: 'operator', dueAt: at(105) }),
    ]);
    const sampled = lc.takeEvents().find((e) => e.type === 'audit-sampled')!;
    expect(sampled.detail.sampled).toBe(true);
    expect(notificationsOf({ caseNo: 'C1', stream: 'case', seq: 20, event: sampled }, 'centre-1')).toEqual([
      expect.objectContaining({ kind: 'assigned', unitId: 'centre-1' }),
    ]);
    expect(lc.validate(audited(false, 'dissatisfied'), lead, at(6))?.code).toBe('WrongRole');
    expect(lc.validate({ type: 'auditCallback', reached: true, solved: false }, centre, at(6))?.code).toBe(
      'InvalidArgument',
    );
  });

  it('should flag a case whose citizen contradicts the reported result, with what the scores count', () => {
    const lc = awaitingCallback();
    stamp(lc, lc.apply(rated(true, 'satisfied'), centre, at(5)));
    lc.takeEvents();
    expect(lc.apply(audited(false, 'dissatisfied'), centre, at(30))).toEqual([]);
    expect(lc.state.audit).toMatchObject({
      status: 'contradicted',
      attempts: 1,
      answer: { solved: false, satisfaction: 'dissatisfied' },
    });
    expect(lc.state.deadlines.audit).toBeUndefined();
    expect(lc.auditPending()).toBe(false);
    expect(lc.takeEvents().map((e) => [e.type, e.detail])).toEqual([
      [
        'audit-called-back',
        { solved: false, satisfaction: 'dissatisfied', reportedResult: 'solved', contradicts: true },
      ],
      [
        'audit-flagged',
        {
          unitId: 's-lead',
          reportedResult: 'solved',
          effect: 'audit-answer',
          scored: { solved: false, satisfaction: 'dissatisfied' },
        },
      ],
    ]);
    expect(openTasks(lc.state, 'C1', 'centre-1')).toEqual([]);
  });

  it('should flag without a score effect where the rules say record-only', () => {
    const rules: LifecycleRules = {
      ...SUYU,
      callback: { ...SUYU.callback, audit: { ...SUYU.callback.audit!, flagEffect: 'record-only' } },
    };
    const lc = awaitingCallback(rules);
    stamp(lc, lc.apply(rated(true, 'satisfied'), centre, at(5)));
    lc.takeEvents();
    lc.apply(audited(false, 'very-dissatisfied'), centre, at(30));
    const flagged = lc.takeEvents().find((e) => e.type === 'audit-flagged')!;
    expect(flagged.detail).toEqual({ unitId: 's-lead', reportedResult: 'solved', effect: 'record-only' });
  });

  it('should confirm an answer that agrees with the reported result, unflagged', () => {
    const lc = awaitingCallback();
    stamp(lc, lc.apply(rated(true, 'satisfied'), centre, at(5)));
    lc.takeEvents();
    lc.apply(audited(true, 'basically-satisfied'), centre, at(30));
    expect(lc.state.audit?.status).toBe('confirmed');
    expect(lc.takeEvents().map((e) => e.type)).toEqual(['audit-called-back']);
  });

  it('should end unflagged after the rules’ attempts go unanswered, or when the audit deadline passes', () => {
    const unreached = awaitingCallback();
    stamp(unreached, unreached.apply(rated(true, 'satisfied'), centre, at(5)));
    unreached.apply({ type: 'auditCallback', reached: false }, centre, at(6));
    expect(unreached.auditPending()).toBe(true);
    unreached.apply({ type: 'auditCallback', reached: false }, centre, at(7));
    expect(unreached.state.audit).toMatchObject({ status: 'unreached', attempts: 2 });
    expect(unreached.auditPending()).toBe(false);

    const lapsed = awaitingCallback();
    stamp(lapsed, lapsed.apply(rated(true, 'satisfied'), centre, at(5)));
    lapsed.takeEvents();
    const reminder = lapsed.nextTimer()!;
    lapsed.onTimer(reminder, reminder.at);
    const deadline = lapsed.nextTimer()!;
    expect(deadline).toEqual({ kind: 'audit', at: at(105), reminder: false });
    lapsed.onTimer(deadline, deadline.at);
    expect(lapsed.state.audit?.status).toBe('lapsed');
    expect(lapsed.takeEvents().map((e) => [e.type, e.detail.unitId])).toEqual([
      ['reminder', 'centre-1'],
      ['overdue', 'centre-1'],
      ['audit-lapsed', 's-lead'],
    ]);
    expect(lapsed.nextTimer()).toBeUndefined();
  });

  it('should sample nothing under rules without audit call-backs', () => {
    const lc = awaitingCallback(BEIJING_LIFECYCLE_RULES);
    expect(lc.apply(rated(true, 'satisfied'), centre, at(5))).toEqual([]);
    expect(lc.takeEvents().map((e) => e.type)).toEqual(['called-back', 'closed']);
  });
});
