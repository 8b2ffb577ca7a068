import { CaseLifecycle, PendingTimer } from './case-lifecycle';
import {
  Actor,
  CaseAction,
  DeadlineEntry,
  DeadlineKind,
  DeadlineRequest,
  DispatchPlan,
  EscalationLevel,
  LifecycleEvent,
  LifecyclePhase,
  LifecycleRules,
  RefusalCode,
  Satisfaction,
} from './lifecycle.types';
import { BEIJING_LIFECYCLE_RULES } from './presets';

/** Instants as hours after Monday 3 March 2025, 09:00 Asia/Shanghai. */
const BASE = Date.UTC(2025, 2, 3, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const hoursOf = (iso: string) => (Date.parse(iso) - BASE) / 3_600_000;

/** A fake calendar: every deadline kind lasts a fixed number of natural hours, the reminder at 80 %. */
const HOURS: Record<DeadlineKind, number> = {
  sign: 10,
  'return-window': 50,
  contact: 25,
  handle: 200,
  escalation: 100,
  callback: 50,
  'whistle-report': 8,
  'whistle-result': 200,
  supervision: 24,
  accountability: 80,
  audit: 40,
};
const CALENDAR = { calendarId: 'test-cal', calendarVersion: 1, appliedDays: [] };

/** Stamps deadline requests as the calendar activity would, with fake dues, and hands them to the lifecycle. */
function stamp(lc: CaseLifecycle, requests: DeadlineRequest[], hours: Partial<Record<DeadlineKind, number>> = {}) {
  return requests.map((request) => {
    const [from, span] = [hoursOf(request.from), hours[request.kind] ?? HOURS[request.kind]];
    const entry: DeadlineEntry = { ...request, ...CALENDAR, due: at(from + span), reminderAt: at(from + span * 0.8) };
    lc.setDeadline(entry);
    return entry;
  });
}

const handler = (unitId: string): Actor => ({ userId: `handler-of-${unitId}`, role: 'handler', unitId });
const operator = (n: number): Actor => ({ userId: `operator-${n}`, role: 'operator', unitId: `centre-${n}` });
const coordinator = (unitId: string): Actor => ({ userId: `coordinator-of-${unitId}`, role: 'coordinator', unitId });

type Level = 'community' | 'street' | 'district';
const LEVELS: Level[] = ['community', 'street', 'district'];
/** The `beijing` committee deadlines (DESIGN §3.7: 3 / 5 / 7 working days); city supervision has none. */
const LADDER_WD: Partial<Record<EscalationLevel, string>> = { community: '3WD', street: '5WD', district: '7WD' };
type Who = 'lead' | 'other' | 'op' | 'coord';
interface Case {
  lc: CaseLifecycle;
  plan: DispatchPlan;
  units: DispatchPlan['ladderUnits'];
  actors: Record<Who, Actor>;
}

/**
 * The `beijing` rules without the supervision steps: the ladder tables walk the ladder alone; the supervision
 * steps that interleave with it in the full preset have their own tests below.
 */
const LADDER_ONLY = { ...BEIJING_LIFECYCLE_RULES, supervision: undefined };

let seq = 0;
/** A fresh lifecycle with its own unit ids; `levels` are the committees the ladder can climb through. */
function newCase(levels: Level[] = LEVELS, rules = BEIJING_LIFECYCLE_RULES): Case {
  const n = ++seq;
  const units = Object.fromEntries(levels.map((level) => [level, `${level}-committee-${n}`]));
  const plan: DispatchPlan = {
    leadUnitId: `street-${n}`,
    coUnitIds: [`dept-housing-${n}`],
    copyUnitIds: [`district-${n}`],
    deadlines: { sign: '1WD', contact: 'P1D', handle: '7WD' },
    ladderUnits: units,
  };
  const actors = {
    lead: handler(plan.leadUnitId),
    other: handler(`dept-water-${n}`),
    op: operator(n),
    coord: coordinator(`street-committee-${n}`),
  };
  return { lc: new CaseLifecycle(rules), plan, units, actors };
}

type Of<T extends CaseAction['type']> = Extract<CaseAction, { type: T }>;
const REPLY: Of<'reply'> = { type: 'reply', result: 'solved', summary: '已清理楼道杂物' };
const ACCEPT: Of<'review'> = { type: 'review', accepted: true };
const UNREACHED: Of<'callback'> = { type: 'callback', reached: false };
const rated = (solved: boolean, s: Satisfaction) =>
  ({ type: 'callback', reached: true, solved, satisfaction: s }) as const;
const ext = (workingDays: number) => ({ type: 'requestExtension', workingDays, reason: '等待配件' }) as const;
const decide = (approved: boolean) => ({ type: 'decideExtension', approved, reason: '理由充分' }) as const;

const ESCALATE: Of<'escalate'> = { type: 'escalate', reason: '需要街道协调' };
/** Actions of the validation table. */
const A = {
  sign: { type: 'sign' },
  ret: { type: 'return', reason: '非本辖区' },
  retBlank: { type: 'return', reason: '  ' },
  redispatch: { type: 'redispatch', leadUnitId: 'dept-water', arbitrated: false, reason: '中心裁定' },
  redispatchNoUnit: { type: 'redispatch', leadUnitId: '', arbitrated: false, reason: '中心裁定' },
  redispatchNoReason: { type: 'redispatch', leadUnitId: 'dept-water', arbitrated: false, reason: '' },
  contact: { type: 'contact' },
  replyBlank: { ...REPLY, summary: '' },
  sendBack: { type: 'review', accepted: false, reason: '未附照片' },
  sendBackBlank: { type: 'review', accepted: false },
  extBlank: { ...ext(3), reason: '' },
  noSolved: { type: 'callback', reached: true, satisfaction: 'satisfied' },
  noRating: { type: 'callback', reached: true, solved: true },
  escalateBlank: { ...ESCALATE, reason: '' },
} satisfies Record<string, CaseAction>;

/** A deep copy; compare copy with copy, as `structuredClone` builds objects of another realm than the test's. */
const snapshot = (lc: CaseLifecycle) => structuredClone(lc.state);

type Stage = 'new' | 'dispatched' | 'returned' | 'signed' | 'contacted' | 'in-review' | 'awaiting-callback';
const LINE: Stage[] = ['dispatched', 'signed', 'contacted', 'in-review', 'awaiting-callback'];

/** A case driven to `stage` (dispatch at 0 h, sign 1 h, contact 2 h, reply 10 h, accept 11 h), events drained. */
function caseAt(stage: Stage, levels?: Level[], rules = BEIJING_LIFECYCLE_RULES): Case {
  const c = newCase(levels, rules);
  const { lc, actors } = c;
  if (stage !== 'new') stamp(lc, lc.dispatch(c.plan, at(0), actors.op));
  if (stage === 'returned') lc.apply({ type: 'return', reason: '不属于本单位职责' }, actors.lead, at(1));
  const steps = [
    () => lc.apply({ type: 'sign' }, actors.lead, at(1)),
    () => lc.apply({ type: 'contact' }, actors.lead, at(2)),
    () => lc.apply(REPLY, actors.lead, at(10)),
    () => lc.apply(ACCEPT, actors.op, at(11)),
  ];
  steps.slice(0, Math.max(0, LINE.indexOf(stage))).forEach((step) => stamp(lc, step()));
  lc.takeEvents();
  return c;
}

const types = (events: LifecycleEvent[]) => events.map((e) => e.type);

/** Fires timers in `nextTimer` order (reminders included) until a deadline expires; a reminder fires at most once. */
function runToDeadline(lc: CaseLifecycle) {
  for (let fired = 0; fired < 3; fired++) {
    const timer = lc.nextTimer();
    if (!timer) throw new Error('no timer pending');
    const requests = lc.onTimer(timer, timer.at);
    if (!timer.reminder) return { timer, requests };
  }
  throw new Error('no deadline after three timers: a reminder fired again?');
}

describe('CaseLifecycle', () => {
  describe('dispatch', () => {
    it("should ask for sign, return-window, contact and handle deadlines with the plan's durations", () => {
      const c = newCase();
      const requests = c.lc.dispatch(c.plan, at(0), c.actors.op);
      expect(requests).toEqual([
        { kind: 'sign', duration: '1WD', from: at(0) },
        { kind: 'return-window', duration: '2WD', from: at(0) },
        { kind: 'contact', duration: 'P1D', from: at(0) },
        { kind: 'handle', duration: '7WD', from: at(0) },
      ]);
      expect(c.lc.state).toMatchObject({
        phase: 'awaiting-sign',
        leadUnitId: c.plan.leadUnitId,
        coUnitIds: c.plan.coUnitIds,
        copyUnitIds: c.plan.copyUnitIds,
        designatedByArbitration: false,
        timestamps: { dispatched: at(0) },
      });
      const { leadUnitId, coUnitIds, copyUnitIds } = c.plan;
      const detail = { leadUnitId, coUnitIds, copyUnitIds, arbitrated: false };
      expect(c.lc.takeEvents()).toEqual([{ type: 'dispatched', at: at(0), actor: c.actors.op, detail }]);
      stamp(c.lc, requests);
      const set = c.lc.takeEvents();
      expect(set.map((e) => [e.type, e.detail.kind, e.detail.calendar])).toEqual(
        requests.map((r) => ['deadline-set', r.kind, 'test-cal@1']),
      );
    });
  });

  describe('validate', () => {
    it.each<[string, Stage, Who, CaseAction, number, RefusalCode | undefined]>([
      ['allow the lead handler to sign', 'dispatched', 'lead', A.sign, 1, undefined],
      ['allow a late sign (it counts against the response rate)', 'dispatched', 'lead', A.sign, 30, undefined],
      ['refuse signing by a handler of another unit', 'dispatched', 'other', A.sign, 1, 'WrongUnit'],
      ['refuse signing by an operator', 'dispatched', 'op', A.sign, 1, 'WrongRole'],
      ['refuse signing by a coordinator', 'dispatched', 'coord', A.sign, 1, 'WrongRole'],
      ['refuse signing before dispatch', 'new', 'lead', A.sign, 1, 'WrongState'],
      ['refuse signing twice', 'signed', 'lead', A.sign, 2, 'WrongState'],
      ['allow a return with a reason inside the window', 'dispatched', 'lead', A.ret, 49, undefined],
      ['allow a return after signing inside the window', 'signed', 'lead', A.ret, 49, undefined],
      ['refuse a return after the window closed', 'dispatched', 'lead', A.ret, 51, 'DeadlinePassed'],
      ['refuse a return with a blank reason', 'dispatched', 'lead', A.retBlank, 1, 'InvalidArgument'],
      ['refuse a return by another unit', 'dispatched', 'other', A.ret, 1, 'WrongUnit'],
      ['refuse a return once replied', 'in-review', 'lead', A.ret, 12, 'WrongState'],
      ['allow the centre to redispatch a returned case', 'returned', 'op', A.redispatch, 2, undefined],
      ['refuse a redispatch by a handler', 'returned', 'lead', A.redispatch, 2, 'WrongRole'],
      ['refuse a redispatch while awaiting sign', 'dispatched', 'op', A.redispatch, 2, 'WrongState'],
      ['refuse a redispatch without a lead unit', 'returned', 'op', A.redispatchNoUnit, 2, 'InvalidArgument'],
      ['refuse a redispatch without a reason', 'returned', 'op', A.redispatchNoReason, 2, 'InvalidArgument'],
      ['allow contact once signed', 'signed', 'lead', A.contact, 2, undefined],
      ['refuse contact before signing', 'dispatched', 'lead', A.contact, 1, 'WrongState'],
      ['refuse a second contact', 'contacted', 'lead', A.contact, 3, 'WrongState'],
      ['refuse contact by an operator', 'signed', 'op', A.contact, 2, 'WrongRole'],
      ['allow a reply after contact', 'contacted', 'lead', REPLY, 3, undefined],
      ['refuse a reply before the citizen was contacted', 'signed', 'lead', REPLY, 3, 'WrongState'],
      ['refuse a reply with an empty summary', 'contacted', 'lead', A.replyBlank, 3, 'InvalidArgument'],
      ['refuse a reply by another unit', 'contacted', 'other', REPLY, 3, 'WrongUnit'],
      ['allow a send-back with a reason', 'in-review', 'op', A.sendBack, 12, undefined],
      ['refuse a send-back without a reason', 'in-review', 'op', A.sendBackBlank, 12, 'InvalidArgument'],
      ['refuse a review by a handler', 'in-review', 'lead', ACCEPT, 12, 'WrongRole'],
      ['refuse a review while handling', 'contacted', 'op', ACCEPT, 3, 'WrongState'],
      ['allow an extension of 10 working days just before the deadline', 'contacted', 'lead', ext(10), 199, undefined],
      ['allow an extension of 1 working day', 'contacted', 'lead', ext(1), 3, undefined],
      ['refuse an extension of 0 working days', 'contacted', 'lead', ext(0), 3, 'InvalidArgument'],
      ['refuse an extension of 11 working days', 'contacted', 'lead', ext(11), 3, 'InvalidArgument'],
      ['refuse an extension of 2.5 working days', 'contacted', 'lead', ext(2.5), 3, 'InvalidArgument'],
      ['refuse an extension without a reason', 'contacted', 'lead', A.extBlank, 3, 'InvalidArgument'],
      ['refuse an extension asked after the handle deadline', 'contacted', 'lead', ext(3), 201, 'DeadlinePassed'],
      ['refuse an extension asked by the centre', 'contacted', 'op', ext(3), 3, 'WrongRole'],
      ['refuse an extension decision with none pending', 'contacted', 'op', decide(true), 3, 'WrongState'],
      ['refuse an extension decision by a handler', 'contacted', 'lead', decide(true), 3, 'WrongRole'],
      ['allow an unanswered call-back without a rating', 'awaiting-callback', 'op', UNREACHED, 12, undefined],
      ['refuse a reached call-back without solved', 'awaiting-callback', 'op', A.noSolved, 12, 'InvalidArgument'],
      ['refuse a reached call-back without a rating', 'awaiting-callback', 'op', A.noRating, 12, 'InvalidArgument'],
      ['refuse a call-back by a handler', 'awaiting-callback', 'lead', UNREACHED, 12, 'WrongRole'],
      ['refuse a call-back while in review', 'in-review', 'op', UNREACHED, 12, 'WrongState'],
      ['allow the lead handler to ask for escalation', 'contacted', 'lead', ESCALATE, 3, undefined],
      ['refuse an escalation without a reason', 'contacted', 'lead', A.escalateBlank, 3, 'InvalidArgument'],
      ['refuse an escalation asked by a coordinator', 'contacted', 'coord', ESCALATE, 3, 'WrongRole'],
      ['refuse an escalation while awaiting sign', 'dispatched', 'lead', ESCALATE, 1, 'WrongState'],
    ])('should %s, leaving the state untouched', (_title, stage, who, action, now, code) => {
      const { lc, actors } = caseAt(stage);
      const before = snapshot(lc);
      expect(lc.validate(action, actors[who], at(now))?.code).toBe(code);
      expect(snapshot(lc)).toStrictEqual(before);
      expect(lc.takeEvents()).toEqual([]);
    });

    it.each<[string, Who, RefusalCode | undefined]>([
      ['a refused', 'other', 'WrongUnit'],
      ['an allowed', 'lead', undefined],
    ])('should not mutate the state when validating %s action', (_title, who, code) => {
      const { lc, actors } = caseAt('contacted');
      lc.apply(ext(3), actors.lead, at(3));
      const before = snapshot(lc);
      expect(lc.validate(REPLY, actors[who], at(4))?.code).toBe(code);
      expect(snapshot(lc)).toStrictEqual(before);
    });

    it.each<[string, Stage, Who, CaseAction, RegExp]>([
      ['a sign by another unit', 'dispatched', 'other', A.sign, /^WrongUnit: /],
      ['a reply before contact', 'signed', 'lead', REPLY, /^WrongState: /],
    ])('should throw and change nothing when applying %s', (_title, stage, who, action, error) => {
      const { lc, actors } = caseAt(stage);
      const before = snapshot(lc);
      expect(() => lc.apply(action, actors[who], at(5))).toThrow(error);
      expect(snapshot(lc)).toStrictEqual(before);
      expect(lc.takeEvents()).toEqual([]);
    });

    it('should refuse to redispatch a case that was never dispatched (apply has no plan to copy)', () => {
      const { lc, actors } = caseAt('new');
      expect(lc.validate(A.redispatch, actors.op, at(1))).toEqual(expect.objectContaining({ code: 'WrongState' }));
    });
  });

  describe('return and redispatch', () => {
    it('should go back to awaiting dispatch with every deadline cleared when returned within the window', () => {
      const { lc, actors } = caseAt('signed');
      expect(lc.apply({ type: 'return', reason: '非本辖区' }, actors.lead, at(30))).toEqual([]);
      expect(lc.state).toMatchObject({ phase: 'awaiting-dispatch', returns: 1 });
      expect(lc.state.deadlines).toEqual({});
      expect(lc.nextTimer()).toBeUndefined();
      const detail = { reason: '非本辖区', unitId: actors.lead.unitId };
      expect(lc.takeEvents()).toEqual([{ type: 'returned', at: at(30), actor: actors.lead, detail }]);
    });

    it.each<[string, boolean, RefusalCode | undefined]>([
      ['forbid the unit designated by arbitration to return the case again', true, 'LimitReached'],
      ['let a unit given the case without arbitration return it within its own window', false, undefined],
    ])('should %s', (_title, arbitrated, code) => {
      const { lc, actors } = caseAt('returned');
      const requests = lc.apply({ ...A.redispatch, leadUnitId: actors.other.unitId, arbitrated }, actors.op, at(5));
      expect(requests.map((r) => [r.kind, r.from])).toEqual(
        ['sign', 'return-window', 'contact', 'handle'].map((kind) => [kind, at(5)]),
      );
      const expected = { phase: 'awaiting-sign', leadUnitId: actors.other.unitId, designatedByArbitration: arbitrated };
      expect(lc.state).toMatchObject(expected);
      expect(lc.takeEvents().map((e) => [e.type, e.detail.arbitrated])).toEqual([
        ['redispatch-decided', arbitrated],
        ['dispatched', arbitrated],
      ]);
      stamp(lc, requests);
      expect(lc.validate({ type: 'sign' }, actors.lead, at(6))?.code).toBe('WrongUnit');
      expect(lc.validate({ type: 'return', reason: '仍非本单位职责' }, actors.other, at(54))?.code).toBe(code);
      lc.apply({ type: 'sign' }, actors.other, at(6));
      expect(lc.validate({ type: 'return', reason: '仍非本单位职责' }, actors.other, at(7))?.code).toBe(code);
    });

    it('should run the new handle deadline of a case escalated, returned and redispatched', () => {
      const { lc, actors } = caseAt('contacted');
      stamp(lc, lc.apply(ESCALATE, actors.lead, at(3)));
      lc.apply(A.ret, actors.lead, at(4));
      stamp(lc, lc.apply({ ...A.redispatch, leadUnitId: actors.other.unitId }, actors.op, at(5)));
      lc.apply(A.sign, actors.other, at(6));
      lc.apply(A.contact, actors.other, at(7));
      expect(lc.responsibleUnit()).toBe(actors.other.unitId);
      expect(lc.nextTimer()).toEqual({ kind: 'handle', at: at(5 + 160), reminder: true });
    });
  });

  describe('contact, reply and review', () => {
    it('should contact the citizen once, reply into review and accept into call-back with a callback deadline', () => {
      const { lc, actors } = caseAt('signed');
      expect(lc.apply({ type: 'contact', note: '电话联系' }, actors.lead, at(2))).toEqual([]);
      expect(lc.state.contacted).toBe(true);
      expect(lc.validate({ type: 'contact' }, actors.lead, at(3))?.code).toBe('WrongState');
      expect(lc.apply(REPLY, actors.lead, at(3))).toEqual([]);
      expect(lc.state).toMatchObject({ phase: 'in-review', reply: { result: 'solved', summary: '已清理楼道杂物' } });
      expect(lc.apply(ACCEPT, actors.op, at(4))).toEqual([{ kind: 'callback', duration: '2WD', from: at(4) }]);
      expect(lc.state.phase).toBe('awaiting-callback');
      expect(types(lc.takeEvents())).toEqual(['contacted', 'replied', 'reply-accepted']);
    });

    it('should send a reply back to handling with its reason and accept a new reply', () => {
      const { lc, actors } = caseAt('in-review');
      expect(lc.apply({ type: 'review', accepted: false, reason: '未附照片' }, actors.op, at(12))).toEqual([]);
      expect(lc.state.phase).toBe('handling');
      expect(lc.takeEvents()).toEqual([
        { type: 'reply-sent-back', at: at(12), actor: actors.op, detail: { reason: '未附照片' } },
      ]);
      expect(lc.validate(REPLY, actors.lead, at(13))).toBeUndefined();
    });
  });

  describe('extension', () => {
    it('should hold one pending request and then, approved, ask for a handle deadline of n WD from the old due', () => {
      const { lc, actors } = caseAt('contacted');
      expect(lc.apply(ext(4), actors.lead, at(3))).toEqual([]);
      expect(lc.state.extension.pending).toEqual({ workingDays: 4, reason: '等待配件' });
      expect(lc.validate(ext(2), actors.lead, at(3))?.code).toBe('WrongState');
      const requests = lc.apply(decide(true), actors.op, at(4));
      expect(requests).toEqual([{ kind: 'handle', duration: '4WD', from: at(200) }]);
      expect(lc.state.extension).toEqual({ used: 1, pending: undefined });
      expect(lc.takeEvents().map((e) => [e.type, e.detail])).toEqual([
        ['extension-requested', { workingDays: 4, reason: '等待配件' }],
        ['extension-approved', { workingDays: 4, reason: '理由充分', citizenNotified: true }],
      ]);
      stamp(lc, requests, { handle: 40 });
      expect(lc.nextTimer()).toEqual({ kind: 'handle', at: at(232), reminder: true });
      expect(lc.validate(ext(1), actors.lead, at(5))?.code).toBe('LimitReached');
    });

    it('should change nothing but record an event when the centre refuses an extension', () => {
      const { lc, actors } = caseAt('contacted');
      const before = snapshot(lc);
      lc.apply(ext(4), actors.lead, at(3));
      expect(lc.apply(decide(false), actors.op, at(4))).toEqual([]);
      expect(lc.state).toEqual(before);
      expect(types(lc.takeEvents())).toEqual(['extension-requested', 'extension-refused']);
      expect(lc.validate(ext(2), actors.lead, at(5))).toBeUndefined();
    });

    it('should refuse an extension once the case has climbed the ladder', () => {
      const { lc, actors } = caseAt('contacted');
      stamp(lc, runToDeadline(lc).requests);
      expect(lc.validate(ext(2), actors.lead, at(201))?.code).toBe('DeadlinePassed');
    });
  });

  describe('timers', () => {
    it.each<[Stage, PendingTimer | undefined]>([
      ['dispatched', { kind: 'sign', at: at(8), reminder: true }],
      ['signed', { kind: 'contact', at: at(20), reminder: true }],
      ['contacted', { kind: 'handle', at: at(160), reminder: true }],
      ['in-review', undefined],
      ['awaiting-callback', { kind: 'callback', at: at(11 + 40), reminder: true }],
      ['returned', undefined],
    ])('should wait on the earliest applicable timer when %s', (stage, expected) => {
      expect(caseAt(stage).lc.nextTimer()).toEqual(expected);
    });

    it.each<[string, Stage, LifecyclePhase, string]>([
      ['a signed case', 'signed', 'handling', 'contact@25h handle@200h escalation@300h escalation@400h'],
      ['an unsigned case up the ladder too', 'dispatched', 'awaiting-sign', 'sign@10h handle@200h escalation@300h'],
    ])('should walk %s, deadline by deadline in time order', (_title, stage, phase, expected) => {
      const { lc } = caseAt(stage, LEVELS, LADDER_ONLY);
      const fired = expected.split(' ').map(() => {
        const { timer, requests } = runToDeadline(lc);
        stamp(lc, requests);
        return `${timer.kind}@${hoursOf(timer.at)}h`;
      });
      expect(fired.join(' ')).toBe(expected);
      expect(lc.state).toMatchObject({ phase, overdue: true });
    });

    it('should send a reminder once and then wait on the deadline', () => {
      const { lc, actors } = caseAt('contacted');
      const timer = lc.nextTimer()!;
      expect(lc.onTimer(timer, timer.at)).toEqual([]);
      expect(lc.state.deadlines.handle?.reminded).toBe(true);
      const detail = { kind: 'handle', due: at(200), unitId: actors.lead.unitId };
      expect(lc.takeEvents()).toEqual([{ type: 'reminder', at: at(160), actor: undefined, detail }]);
      expect(lc.nextTimer()).toEqual({ kind: 'handle', at: at(200), reminder: false });
    });

    it('should record an overdue sign but keep the case awaiting sign and not overdue', () => {
      const { lc, actors } = caseAt('dispatched');
      expect(runToDeadline(lc)).toEqual({ timer: { kind: 'sign', at: at(10), reminder: false }, requests: [] });
      expect(lc.state).toMatchObject({ phase: 'awaiting-sign', overdue: false });
      expect(lc.takeEvents().map((e) => [e.type, e.detail.unitId])).toEqual([
        ['reminder', actors.lead.unitId],
        ['overdue', actors.lead.unitId],
      ]);
    });

    it.each<[string, Stage, DeadlineKind, boolean]>([
      ['a sign deadline after signing', 'signed', 'sign', false],
      ['a sign reminder after signing', 'signed', 'sign', true],
      ['a contact deadline after contact', 'contacted', 'contact', false],
      ['a handle deadline while the reply is in review', 'in-review', 'handle', false],
      ['the return window', 'dispatched', 'return-window', false],
    ])('should never fire %s', (_title, stage, kind, reminder) => {
      const { lc } = caseAt(stage);
      const entry = lc.state.deadlines[kind]!;
      const before = snapshot(lc);
      expect(lc.onTimer({ kind, at: reminder ? entry.reminderAt! : entry.due, reminder }, entry.due)).toEqual([]);
      expect(snapshot(lc)).toStrictEqual(before);
      expect(lc.takeEvents()).toEqual([]);
    });

    it.each<[string, Level[], EscalationLevel[]]>([
      ['community → street → district → city', LEVELS, ['community', 'street', 'district', 'city']],
      ['street → district → city with no community committee', ['street', 'district'], ['street', 'district', 'city']],
      [
        'community → district → city with no street committee',
        ['community', 'district'],
        ['community', 'district', 'city'],
      ],
      ['straight to city supervision without committees', [], ['city']],
    ])('should climb %s as deadlines expire', (_title, levels, path) => {
      const { lc, units, actors } = caseAt('contacted', levels, LADDER_ONLY);
      const fired: DeadlineKind[] = [];
      for (const level of path) {
        expect(lc.state.supervision).toBe('none');
        const { timer, requests } = runToDeadline(lc);
        fired.push(timer.kind);
        const unitId = level === 'city' ? undefined : units[level as Level];
        expect(lc.state).toMatchObject({ escalationLevel: level, escalationUnitId: unitId, overdue: true });
        expect(lc.responsibleUnit()).toBe(unitId ?? actors.lead.unitId);
        const duration = LADDER_WD[level];
        expect(requests).toEqual(duration ? [{ kind: 'escalation', duration, from: timer.at }] : []);
        stamp(lc, requests);
      }
      expect(fired).toEqual(['handle', ...path.slice(1).map(() => 'escalation')]);
      expect(lc.state.supervision).toBe('posted');
      expect(lc.nextTimer()).toBeUndefined();
      const escalated = lc.takeEvents().filter((e) => e.type === 'escalated');
      expect(escalated.map((e) => e.detail.level)).toEqual(path);
      expect(escalated.at(-1)?.detail.supervision).toBe('posted');
    });
  });

  describe('escalate on request', () => {
    it.each<[string, Level[], number, EscalationLevel]>([
      ['climb one rung to the community committee', LEVELS, 1, 'community'],
      ['skip a missing street committee', ['community', 'district'], 2, 'district'],
      ['reach city supervision after the district', LEVELS, 4, 'city'],
      ['go straight to city supervision without committees', [], 1, 'city'],
    ])('should %s when the lead handler asks', (_title, levels, times, level) => {
      const { lc, actors } = caseAt('contacted', levels);
      const action: CaseAction = { type: 'escalate', reason: '需要协调' };
      const requests = Array.from({ length: times }, () => lc.apply(action, actors.lead, at(3)));
      const duration = LADDER_WD[level];
      expect(requests.at(-1)).toEqual(duration ? [{ kind: 'escalation', duration, from: at(3) }] : []);
      expect(lc.state.escalationLevel).toBe(level);
      const detail = { level, reason: '需要协调' };
      expect(lc.takeEvents().at(-1)).toMatchObject({ type: 'escalated', actor: actors.lead, detail });
      expect(lc.validate(action, actors.lead, at(4))?.code).toBe(level === 'city' ? 'LimitReached' : undefined);
    });
  });

  describe('call-back', () => {
    const [U, OK] = [UNREACHED, rated(true, 'basically-satisfied')];
    const [SOLVED_BAD, UNSOLVED_GOOD] = [rated(true, 'dissatisfied'), rated(false, 'very-satisfied')];
    it.each<[string, Of<'callback'>[], LifecyclePhase, string | undefined, string[]]>([
      ['close as unreachable after three unanswered attempts', [U, U, U], 'closed', 'unreachable', ['closed']],
      ['keep waiting after two unanswered attempts', [U, U], 'awaiting-callback', undefined, []],
      ['close as satisfied when solved and satisfied', [rated(true, 'satisfied')], 'closed', 'satisfied', ['closed']],
      ['close as satisfied when basically satisfied at the 2nd try', [U, OK], 'closed', 'satisfied', ['closed']],
      ['re-handle a solved case the citizen is dissatisfied with', [SOLVED_BAD], 'handling', undefined, ['rehandling']],
      ['re-handle an unsolved case however satisfied', [UNSOLVED_GOOD], 'handling', undefined, ['rehandling']],
    ])('should %s', (_title, callbacks, phase, outcome, then) => {
      const { lc, actors } = caseAt('awaiting-callback');
      callbacks.forEach((action, i) => lc.apply(action, actors.op, at(12 + i)));
      expect([lc.state.phase, lc.state.outcome, lc.state.callbackAttempts]).toEqual([phase, outcome, callbacks.length]);
      const attempts = callbacks.map((c) => (c.reached ? 'called-back' : 'callback-unreached'));
      expect(types(lc.takeEvents())).toEqual([...attempts, ...then]);
    });

    it('should close as unreachable when the call-back deadline expires', () => {
      const { lc } = caseAt('awaiting-callback');
      expect(runToDeadline(lc)).toEqual({ timer: { kind: 'callback', at: at(61), reminder: false }, requests: [] });
      expect(lc.state).toMatchObject({ phase: 'closed', outcome: 'unreachable' });
      expect(lc.state.deadlines).toEqual({});
      expect(lc.takeEvents().at(-1)).toMatchObject({
        type: 'closed',
        detail: { outcome: 'unreachable', flagged: false },
      });
    });

    it('should re-handle a dissatisfied case once from the ground rung, then close it for accountability', () => {
      const { lc, actors } = caseAt('contacted');
      stamp(lc, lc.apply(ESCALATE, actors.lead, at(3)));
      lc.apply(REPLY, actors.lead, at(4));
      stamp(lc, lc.apply(ACCEPT, actors.op, at(5)));
      const rehandle = lc.apply(rated(false, 'dissatisfied'), actors.op, at(6));
      expect(rehandle).toEqual([{ kind: 'handle', duration: '5WD', from: at(6) }]);
      expect(lc.state).toMatchObject({ phase: 'handling', escalationLevel: 'none', rehandles: 1, reply: undefined });
      expect(lc.responsibleUnit()).toBe(actors.lead.unitId);
      const detail = { round: 1, unitId: actors.lead.unitId };
      expect(lc.takeEvents().at(-1)).toMatchObject({ type: 'rehandling', detail });
      stamp(lc, rehandle);
      expect(lc.nextTimer()).toEqual({ kind: 'handle', at: at(166), reminder: true });
      lc.apply(REPLY, actors.lead, at(7));
      stamp(lc, lc.apply(ACCEPT, actors.op, at(8)));
      lc.takeEvents();
      expect(lc.apply(rated(true, 'very-dissatisfied'), actors.op, at(9))).toEqual([]);
      expect(lc.state).toMatchObject({ phase: 'closed', outcome: 'accountability' });
      expect(lc.state.deadlines).toEqual({});
      expect(lc.takeEvents().map((e) => [e.type, e.detail])).toEqual([
        ['called-back', { solved: true, satisfaction: 'very-dissatisfied' }],
        ['accountability-escalated', { to: 'discipline-office', unitId: actors.lead.unitId }],
        ['closed', { outcome: 'accountability', flagged: true }],
      ]);
      expect(lc.nextTimer()).toBeUndefined();
    });
  });

  it('should stamp every lifecycle timestamp from the instants passed in', () => {
    const { lc, plan, actors } = newCase();
    stamp(lc, lc.dispatch(plan, at(0), actors.op));
    lc.apply(A.sign, actors.lead, at(1));
    lc.apply(A.contact, actors.lead, at(2));
    lc.apply(REPLY, actors.lead, at(3));
    lc.apply(ACCEPT, actors.op, at(4));
    lc.apply(UNREACHED, actors.op, at(5));
    lc.apply(rated(true, 'very-satisfied'), actors.op, at(6));
    const [dispatched, signed, contacted, replied, calledBack, closed] = [0, 1, 2, 3, 6, 6].map(at);
    expect(lc.state.timestamps).toEqual({ dispatched, signed, contacted, replied, calledBack, closed });
  });

  describe('supervision of an overdue case', () => {
    it('should remind the working day after expiry, then raise daily → posted → interview every 5 WD overdue', () => {
      const { lc, actors, units } = caseAt('contacted', ['community']);
      const { timer, requests } = runToDeadline(lc); // handle expires at 200 h
      expect(timer.kind).toBe('handle');
      expect(requests).toEqual([
        { kind: 'escalation', duration: '3WD', from: at(200) },
        { kind: 'supervision', duration: '1WD', from: at(200) },
      ]);
      stamp(lc, requests, { escalation: 1000, supervision: 24 });
      lc.takeEvents();
      const steps: string[] = [];
      for (let i = 0; i < 4; i++) {
        const fired = runToDeadline(lc);
        expect(fired.timer.kind).toBe('supervision');
        stamp(lc, fired.requests, { supervision: 120 });
        steps.push(`${lc.state.supervision}@${hoursOf(fired.timer.at)}h`);
      }
      expect(steps).toEqual(['none@224h', 'daily@344h', 'posted@464h', 'interview@584h']);
      const events = lc.takeEvents().filter((e) => e.type !== 'reminder' && e.type !== 'deadline-set');
      expect(events.map((e) => [e.type, e.detail.level, e.detail.unitId])).toEqual([
        ['overdue', undefined, units.community],
        ['overdue-reminder', undefined, units.community],
        ['overdue', undefined, units.community],
        ['supervision-raised', 'daily', units.community],
        ['overdue', undefined, units.community],
        ['supervision-raised', 'posted', units.community],
        ['overdue', undefined, units.community],
        ['supervision-raised', 'interview', units.community],
      ]);
      expect(lc.state.deadlines.supervision).toBeUndefined();
      expect(lc.nextTimer()?.kind).toBe('escalation');
      expect(actors.lead.unitId).toBe(lc.state.leadUnitId);
    });

    it('should start one supervision chain however many rungs expire, and stop it when the unit replies', () => {
      const { lc, actors } = caseAt('contacted');
      const first = runToDeadline(lc);
      stamp(lc, first.requests, { escalation: 10, supervision: 100 });
      const second = runToDeadline(lc); // the community rung expires before the overdue reminder
      expect(second.timer.kind).toBe('escalation');
      expect(second.requests.map((r) => r.kind)).toEqual(['escalation']);
      stamp(lc, second.requests, { escalation: 500 });
      stamp(lc, lc.apply(REPLY, actors.lead, at(215)));
      expect(lc.state.deadlines.supervision).toBeUndefined();
      expect(lc.state.supervisionSteps).toBe(0);
      expect(lc.nextTimer()).toBeUndefined();
    });

    it('should never lower supervision: city supervision posts the case, repeats ask at most for daily', () => {
      const { lc } = caseAt('contacted', []);
      stamp(lc, runToDeadline(lc).requests, { supervision: 24 });
      expect(lc.state).toMatchObject({ escalationLevel: 'city', supervision: 'posted' });
      lc.recordRepeat({ repeatCount: 5, priority: 'high', supervision: 'daily', matchedBy: 'grid' }, at(201));
      expect(lc.state).toMatchObject({ supervision: 'posted', repeatCount: 5, priority: 'high' });
    });
  });

  describe('suspension', () => {
    const SUSPEND: Of<'suspend'> = { type: 'suspend', reason: '等待市民提供房产证明' };
    const RESUME: Of<'resume'> = { type: 'resume', reason: '市民已提供材料' };

    it('should stop every running clock, refuse work while suspended, and restart what was owed on resume', () => {
      const { lc, actors } = caseAt('contacted');
      expect(lc.apply(SUSPEND, actors.lead, at(20))).toEqual([]);
      const clock = lc.takeClockRequest();
      expect(clock).toMatchObject({ op: 'pause', at: at(20) });
      expect(clock?.op === 'pause' && clock.deadlines.map((d) => d.kind)).toEqual(['handle']);
      expect(lc.nextTimer()).toBeUndefined();
      expect(lc.validate(REPLY, actors.lead, at(21))).toMatchObject({ code: 'WrongState' });
      expect(lc.validate(ESCALATE, actors.lead, at(21))).toMatchObject({ code: 'WrongState' });
      expect(lc.validate(RESUME, actors.lead, at(21))).toMatchObject({
        code: 'WrongState',
        message: 'the suspension is still being recorded; try again',
      });
      lc.setPaused([{ kind: 'handle', duration: '7WD', remainingMs: 180 * 3_600_000 }]);
      expect(lc.state.deadlines.handle).toBeUndefined();
      expect(lc.validate(SUSPEND, actors.lead, at(22))).toMatchObject({ code: 'WrongState' });
      expect(lc.apply(RESUME, actors.lead, at(100))).toEqual([]);
      expect(lc.takeClockRequest()).toEqual({
        op: 'resume',
        at: at(100),
        paused: [{ kind: 'handle', duration: '7WD', remainingMs: 180 * 3_600_000 }],
      });
      expect(lc.state.suspension).toBeUndefined();
      expect(types(lc.takeEvents())).toEqual(['suspended', 'resumed']);
    });

    it.each<[string, Stage, Who, CaseAction, string]>([
      ['before contact', 'signed', 'lead', SUSPEND, 'WrongState'],
      ['by another unit', 'contacted', 'other', SUSPEND, 'WrongUnit'],
      ['by the centre', 'contacted', 'op', SUSPEND, 'WrongRole'],
      ['without a reason', 'contacted', 'lead', { type: 'suspend', reason: ' ' }, 'InvalidArgument'],
      ['in review', 'in-review', 'lead', SUSPEND, 'WrongState'],
      ['resume of a running case', 'contacted', 'lead', RESUME, 'WrongState'],
    ])('should refuse a suspension %s', (_title, stage, who, action, code) => {
      const c = caseAt(stage);
      expect(c.lc.validate(action, c.actors[who], at(30))?.code).toBe(code);
    });
  });

  describe('suspension rules of the pinned version', () => {
    const SUSPEND: Of<'suspend'> = { type: 'suspend', reason: '等待市民提供房产证明' };
    const RESUME: Of<'resume'> = { type: 'resume', reason: '市民已提供材料' };
    const withSuspension = (suspension: LifecycleRules['suspension']): LifecycleRules => ({
      ...BEIJING_LIFECYCLE_RULES,
      suspension,
    });
    const suspendAndResume = (c: Case, hour: number, action: CaseAction = SUSPEND) => {
      c.lc.apply(action, c.actors.lead, at(hour));
      c.lc.setPaused([]);
      c.lc.apply(RESUME, c.actors.lead, at(hour + 1));
    };

    it('should allow at most maxCount suspensions per case, and none when it is 0', () => {
      const c = caseAt('contacted', undefined, withSuspension({ maxCount: 2, reasonIds: ['awaiting-citizen'] }));
      suspendAndResume(c, 20);
      suspendAndResume(c, 22);
      expect(c.lc.validate(SUSPEND, c.actors.lead, at(24))).toEqual({
        code: 'LimitReached',
        message: 'at most 2 suspension(s) per case',
      });
      const none = caseAt('contacted', undefined, withSuspension({ maxCount: 0, reasonIds: [] }));
      expect(none.lc.validate(SUSPEND, none.actors.lead, at(20))).toEqual({
        code: 'LimitReached',
        message: 'the rules of this case allow no suspension',
      });
    });

    it('should take the only listed reason by default and record it', () => {
      const c = caseAt('contacted', undefined, withSuspension({ reasonIds: ['awaiting-citizen'] }));
      c.lc.apply(SUSPEND, c.actors.lead, at(20));
      expect(c.lc.state.suspension).toMatchObject({ reasonId: 'awaiting-citizen' });
      expect(c.lc.takeEvents()).toEqual([
        expect.objectContaining({
          type: 'suspended',
          detail: expect.objectContaining({ reasonId: 'awaiting-citizen' }),
        }),
      ]);
    });

    it('should make the handler pick one of several reasons, and only a listed one', () => {
      const c = caseAt('contacted', undefined, withSuspension({ reasonIds: ['awaiting-citizen', 'court-ruling'] }));
      expect(c.lc.validate(SUSPEND, c.actors.lead, at(20))).toEqual({
        code: 'InvalidArgument',
        message: 'reasonId: pick one of awaiting-citizen, court-ruling',
      });
      expect(c.lc.validate({ ...SUSPEND, reasonId: 'holiday' }, c.actors.lead, at(20))).toEqual({
        code: 'InvalidArgument',
        message: 'reasonId: holiday is not one of awaiting-citizen, court-ruling',
      });
      expect(c.lc.validate({ ...SUSPEND, reasonId: 'court-ruling' }, c.actors.lead, at(20))).toBeUndefined();
    });

    it('should leave cases pinned before the rules were read unlimited', () => {
      const c = caseAt('contacted', undefined, withSuspension(undefined));
      suspendAndResume(c, 20, { ...SUSPEND, reasonId: 'anything' });
      expect(c.lc.validate(SUSPEND, c.actors.lead, at(24))).toBeUndefined();
    });
  });

  describe('whistle', () => {
    const street = (c: Case): Actor => ({ ...c.actors.lead, unitKind: 'street' });
    const WHISTLE: Of<'whistle'> = {
      type: 'whistle',
      departmentIds: ['dept-urban-management', 'dept-housing'],
      grade: 'yellow',
      reason: '违建拆除需联合执法',
    };

    it('should open a numbered round for a street handler and refuse a second while it is open', () => {
      const c = caseAt('contacted');
      c.lc.apply(WHISTLE, street(c), at(30));
      expect(c.lc.openWhistleRounds()).toMatchObject([
        { round: 1, whistlerUnitId: c.actors.lead.unitId, grade: 'yellow', status: 'open', startedAt: at(30) },
      ]);
      expect(c.lc.validate(WHISTLE, street(c), at(31))).toMatchObject({ code: 'WrongState' });
      c.lc.finishWhistleRound(1, 'completed', { departments: [] }, at(40));
      expect(c.lc.validate(WHISTLE, street(c), at(41))).toBeUndefined();
      expect(types(c.lc.takeEvents())).toEqual(['whistled', 'whistle-round-finished']);
    });

    it.each<[string, Partial<Of<'whistle'>>, Actor['unitKind'], string]>([
      ['by a department', {}, 'department', 'WrongUnit'],
      ['by a unit of unknown kind', {}, undefined, 'WrongUnit'],
      ['with an unknown grade', { grade: 'purple' }, 'street', 'InvalidArgument'],
      ['of no department', { departmentIds: [] }, 'street', 'InvalidArgument'],
      ['of seven departments', { departmentIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, 'street', 'InvalidArgument'],
      ['of one department twice', { departmentIds: ['a', 'a'] }, 'community', 'InvalidArgument'],
      ['without a reason', { reason: '' }, 'township', 'InvalidArgument'],
    ])('should refuse a whistle %s', (_title, change, unitKind, code) => {
      const c = caseAt('contacted');
      const before = snapshot(c.lc);
      expect(c.lc.validate({ ...WHISTLE, ...change }, { ...c.actors.lead, unitKind }, at(30))?.code).toBe(code);
      expect(snapshot(c.lc)).toStrictEqual(before);
    });

    it('should refuse a unit whistling itself', () => {
      const c = caseAt('contacted');
      const self = { ...WHISTLE, departmentIds: [c.actors.lead.unitId] };
      expect(c.lc.validate(self, street(c), at(30))?.message).toBe('a unit cannot whistle itself');
    });
  });

  describe('intake outcomes and repeats', () => {
    it.each(['emergency-diverted', 'inadmissible', 'answered-at-intake'] as const)(
      'should close %s at intake without dispatching',
      (outcome) => {
        const { lc } = newCase();
        lc.closeAtIntake(outcome, { channel: '119' }, at(0));
        expect(lc.state).toMatchObject({ phase: 'closed', outcome, timestamps: { closed: at(0) } });
        expect(lc.state.timestamps.dispatched).toBeUndefined();
        expect(lc.takeEvents().map((e) => [e.type, e.detail])).toEqual([
          [outcome, { channel: '119' }],
          ['closed', { outcome, flagged: false }],
        ]);
        expect(lc.nextTimer()).toBeUndefined();
      },
    );

    it('should raise the priority with repeats and never lower it', () => {
      const { lc } = caseAt('contacted');
      lc.recordRepeat({ repeatCount: 3, priority: 'high', matchedBy: 'radius' }, at(30));
      lc.recordRepeat({ repeatCount: 1, priority: 'elevated', matchedBy: 'grid', caseNo: '20261123000009' }, at(31));
      expect(lc.state).toMatchObject({ repeatCount: 3, priority: 'high', supervision: 'none' });
      lc.recordRepeat({ repeatCount: 5, priority: 'high', supervision: 'daily', matchedBy: 'address' }, at(32));
      expect(lc.state.supervision).toBe('daily');
      expect(lc.takeEvents().map((e) => e.detail.linkedCaseNo)).toEqual([undefined, '20261123000009', undefined]);
    });
  });

  describe('coordination committees', () => {
    const escalated = () => {
      const c = caseAt('contacted', ['community', 'street']);
      stamp(c.lc, runToDeadline(c.lc).requests);
      c.lc.takeEvents();
      return c;
    };
    const committee = (c: Case) => coordinator(c.units.community!);

    it('should let the committee the case is before record an instruction, changing nothing else', () => {
      const c = escalated();
      const before = snapshot(c.lc);
      expect(c.lc.apply({ type: 'coordinate', instruction: '请街道牵头约谈商户' }, committee(c), at(210))).toEqual([]);
      expect(snapshot(c.lc)).toStrictEqual(before);
      expect(c.lc.takeEvents()).toMatchObject([
        { type: 'coordinated', detail: { level: 'community', instruction: '请街道牵头约谈商户' } },
      ]);
    });

    it("should hand the case to another unit, which must sign and answer within the rung's deadline", () => {
      const c = escalated();
      const requests = c.lc.apply(
        { type: 'coordinate', instruction: '改由房管部门办理', reassignTo: 'dept-housing' },
        committee(c),
        at(210),
      );
      expect(requests).toEqual([
        { kind: 'sign', duration: '1WD', from: at(210) },
        { kind: 'escalation', duration: '3WD', from: at(210) },
      ]);
      expect(c.lc.state).toMatchObject({
        phase: 'awaiting-sign',
        leadUnitId: 'dept-housing',
        escalationLevel: 'community',
      });
      expect(c.lc.validate({ type: 'sign' }, handler('dept-housing'), at(211))).toBeUndefined();
      expect(c.lc.validate({ type: 'sign' }, c.actors.lead, at(211))?.code).toBe('WrongUnit');
    });

    it.each<[string, (c: Case) => Actor, Of<'coordinate'>, string]>([
      ['a handler', (c) => c.actors.lead, { type: 'coordinate', instruction: '协调' }, 'WrongRole'],
      [
        'another committee',
        (c) => coordinator(c.units.street!),
        { type: 'coordinate', instruction: '协调' },
        'WrongUnit',
      ],
      ['an empty instruction', committee, { type: 'coordinate', instruction: ' ' }, 'InvalidArgument'],
      [
        'the lead unit again',
        committee,
        { type: 'coordinate', instruction: '协调', reassignTo: 'x' },
        'InvalidArgument',
      ],
    ])('should refuse coordination by %s', (title, who, action, code) => {
      const c = escalated();
      const act = title === 'the lead unit again' ? { ...action, reassignTo: c.actors.lead.unitId } : action;
      expect(c.lc.validate(act, who(c), at(210))?.code).toBe(code);
    });

    it('should refuse coordination of a case that is not escalated', () => {
      const c = caseAt('contacted');
      expect(c.lc.validate({ type: 'coordinate', instruction: '协调' }, coordinator('x'), at(5))?.code).toBe(
        'WrongState',
      );
    });
  });

  describe('migration to another process definition version', () => {
    const designer: Actor = { userId: 'designer-1', role: 'designer', unitId: 'centre' };
    const SHORTER = { ...BEIJING_LIFECYCLE_RULES, ladder: { community: '2WD', street: '3WD', district: '7WD' } };
    const migrate = (reason = '缩短街道协调时限') =>
      ({ type: 'migrateRules', toVersion: 'beijing@2', rules: SHORTER, reason }) as const;

    it('should recompute a pending rung deadline from its start under the new ladder, and nothing else', () => {
      const c = caseAt('contacted');
      stamp(c.lc, runToDeadline(c.lc).requests); // on the community rung, 3WD from 200 h
      const rung = c.lc.state.deadlines.escalation!;
      c.lc.takeEvents();
      expect(c.lc.apply(migrate(), designer, at(210))).toEqual([
        { kind: 'escalation', duration: '2WD', from: rung.from },
      ]);
      expect(c.lc.takeEvents()).toMatchObject([
        {
          type: 'rules-migrated',
          actor: designer,
          detail: { toVersion: 'beijing@2', recomputed: ['escalation: 2WD'] },
        },
      ]);
    });

    it("should take the new catalogue's handling limit but keep an approved extension's length", () => {
      const c = caseAt('contacted');
      const deadlines = { sign: '1WD', contact: 'P1D', handle: '5WD' };
      expect(c.lc.apply({ ...migrate(), deadlines }, designer, at(20))).toEqual([
        { kind: 'handle', duration: '5WD', from: at(0) },
      ]);
      const extended = caseAt('contacted');
      stamp(extended.lc, extended.lc.apply(ext(3), extended.actors.lead, at(20)));
      stamp(extended.lc, extended.lc.apply(decide(true), extended.actors.op, at(21)));
      expect(extended.lc.apply({ ...migrate(), deadlines }, designer, at(30))).toEqual([]);
    });

    it.each<[string, Actor, Partial<Of<'migrateRules'>>, string]>([
      ['by a handler', handler('x'), {}, 'WrongRole'],
      ['without a reason', designer, { reason: '' }, 'InvalidArgument'],
      ['without a version', designer, { toVersion: ' ' }, 'InvalidArgument'],
    ])('should refuse a migration %s', (_title, actor, change, code) => {
      const c = caseAt('contacted');
      expect(c.lc.validate({ ...migrate(), ...change }, actor, at(20))?.code).toBe(code);
    });
  });
});
