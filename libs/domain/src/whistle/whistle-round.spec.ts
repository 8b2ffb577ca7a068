import type { Actor, DeadlineEntry, LifecycleEvent, RefusalCode } from '../lifecycle/lifecycle.types';
import { BEIJING_LIFECYCLE_RULES } from '../lifecycle/presets';
import { INHERITED_DEADLINE, WhistleRound } from './whistle-round';
import type { WhistleAction, WhistleDeadlineRequest, WhistleOpening, WhistleTimer } from './whistle.types';

/** Instants as hours after Monday 3 March 2025, 09:00 Asia/Shanghai. */
const BASE = Date.UTC(2025, 2, 3, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const RULES = BEIJING_LIFECYCLE_RULES.whistle;
/** A fake calendar: every report limit lasts 8 natural hours, the reminder at 80 %; results are due at 200 h. */
const REPORT_HOURS = 8;
const RESULT_DUE = at(200);
const CALENDAR = { calendarId: 'test-cal', calendarVersion: 1, appliedDays: [] };

const handler = (unitId: string, unitKind?: Actor['unitKind']): Actor => ({
  userId: `handler-of-${unitId}`,
  role: 'handler',
  unitId,
  unitKind,
});
const WHISTLER = handler('s-hubin', 'street');
const DEPTS = ['dept-urban', 'dept-housing', 'dept-market'];
const [A, B, C] = DEPTS;
const ACTORS = {
  a: handler(A, 'department'),
  b: handler(B, 'department'),
  stranger: handler('dept-water', 'department'),
  whistler: WHISTLER,
  otherStreet: handler('s-wenchang', 'street'),
  op: { userId: 'operator-1', role: 'operator', unitId: A },
  coord: { userId: 'coordinator-1', role: 'coordinator', unitId: WHISTLER.unitId },
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;

const opening = (overrides: Partial<WhistleOpening> = {}): WhistleOpening => ({
  caseNo: '20250303000001',
  round: 1,
  whistler: WHISTLER,
  departmentIds: [...DEPTS],
  grade: 'yellow',
  reason: '占道经营屡禁不止，需城管、住建、市场监管联合执法',
  resultDue: RESULT_DUE,
  escalationUnitId: 'cc-d-donghu',
  ...overrides,
});

/** Stamps report deadlines as the calendar activity would, with fake dues. */
function stamp(round: WhistleRound, requests: WhistleDeadlineRequest[], hours = REPORT_HOURS) {
  for (const { departmentId, ...request } of requests) {
    const from = (Date.parse(request.from) - BASE) / 3_600_000;
    const entry: DeadlineEntry = { ...request, ...CALENDAR, due: at(from + hours), reminderAt: at(from + hours * 0.8) };
    round.setDeadline(entry, departmentId);
  }
}

const REPORT: WhistleAction = { type: 'report', note: '已派执法队员到场' };
const RESULT: WhistleAction = { type: 'result', summary: '已拆除违规棚架，立案处罚' };
const rate = (departmentId: string, score = 5, comment?: string): WhistleAction => ({
  type: 'rate',
  departmentId,
  score,
  comment,
});

type Stage = 'opened' | 'reported' | 'resulted' | 'rated' | 'completed' | 'closed';
/** A round at 0 h, stamped, with dept A driven to `stage` (report 1 h, result 2 h, rating 3 h); events drained. */
function roundAt(stage: Stage = 'opened'): WhistleRound {
  const { round, requests } = WhistleRound.open(RULES, opening(), at(0));
  stamp(round, requests);
  const steps = [
    () => round.apply(REPORT, ACTORS.a, at(1)),
    () => round.apply(RESULT, ACTORS.a, at(2)),
    () => round.apply(rate(A), WHISTLER, at(3)),
  ];
  const order: Stage[] = ['opened', 'reported', 'resulted', 'rated'];
  steps.slice(0, Math.max(0, order.indexOf(stage))).forEach((step) => step());
  if (stage === 'completed') completeAll(round, 1);
  if (stage === 'closed') round.close('案件已办结', at(4));
  round.takeEvents();
  return round;
}

/** Every department reports, submits and is rated, from hour `h` on. */
function completeAll(round: WhistleRound, h: number) {
  for (const id of DEPTS) {
    const actor = handler(id, 'department');
    round.apply(REPORT, actor, at(h));
    round.apply(RESULT, actor, at(h + 1));
    round.apply(rate(id, 4), WHISTLER, at(h + 2));
  }
}

/** A deep copy; compare copy with copy, as `structuredClone` builds objects of another realm than the test's. */
const snapshot = (round: WhistleRound) => structuredClone(round.state);
const types = (events: LifecycleEvent[]) => events.map((e) => e.type);

/** Fires every timer due up to `hours`, in `nextTimer` order; returns what fired. */
function runUntil(round: WhistleRound, hours: number): WhistleTimer[] {
  const fired: WhistleTimer[] = [];
  for (let timer = round.nextTimer(); timer && timer.at <= at(hours); timer = round.nextTimer()) {
    expect(round.onTimer(timer, timer.at)).toEqual([]);
    fired.push(timer);
    if (fired.length > 20) throw new Error('a timer keeps firing');
  }
  return fired;
}

describe('WhistleRound', () => {
  describe('opening', () => {
    it.each<[string, Partial<WhistleOpening>, number, RefusalCode | undefined]>([
      ['allow a street handler to summon three departments', {}, 0, undefined],
      ['allow a community handler', { whistler: handler('c-xiyuan', 'community') }, 0, undefined],
      ['allow a township handler', { whistler: handler('t-pinggu', 'township') }, 0, undefined],
      ['allow a single department', { departmentIds: [A] }, 0, undefined],
      ['allow the most departments the rules allow', { departmentIds: DEPTS.concat('d4', 'd5', 'd6') }, 0, undefined],
      ['refuse an operator', { whistler: { ...WHISTLER, role: 'operator' } }, 0, 'WrongRole'],
      ['refuse a coordinator', { whistler: { ...WHISTLER, role: 'coordinator' } }, 0, 'WrongRole'],
      ['refuse a department handler', { whistler: handler('dept-water', 'department') }, 0, 'WrongUnit'],
      ['refuse a district handler', { whistler: handler('d-donghu', 'district') }, 0, 'WrongUnit'],
      ['refuse a handler whose unit kind is unknown', { whistler: handler('s-hubin') }, 0, 'WrongUnit'],
      ['refuse a blank reason', { reason: '  ' }, 0, 'InvalidArgument'],
      ['refuse an unknown grade', { grade: 'purple' }, 0, 'InvalidArgument'],
      ['refuse an inherited property as a grade', { grade: 'toString' }, 0, 'InvalidArgument'],
      ['refuse no departments', { departmentIds: [] }, 0, 'InvalidArgument'],
      ['refuse a blank department id', { departmentIds: [A, ' '] }, 0, 'InvalidArgument'],
      ['refuse a department summoned twice', { departmentIds: [A, B, A] }, 0, 'InvalidArgument'],
      ['refuse the whistler summoning itself', { departmentIds: [A, WHISTLER.unitId] }, 0, 'InvalidArgument'],
      ['refuse round 0', { round: 0 }, 0, 'InvalidArgument'],
      ['refuse round 1.5', { round: 1.5 }, 0, 'InvalidArgument'],
      ['refuse a blank case number', { caseNo: '' }, 0, 'InvalidArgument'],
      [
        'refuse more departments than the rules allow',
        { departmentIds: DEPTS.concat('d4', 'd5', 'd6', 'd7') },
        0,
        'LimitReached',
      ],
      ['refuse a result deadline that is not an instant', { resultDue: 'next week' }, 0, 'InvalidArgument'],
      ['refuse a result deadline that has passed', { resultDue: at(10) }, 11, 'DeadlinePassed'],
      ['refuse a result deadline at the opening instant', { resultDue: at(10) }, 10, 'DeadlinePassed'],
    ])('should %s', (_title, overrides, now, code) => {
      expect(WhistleRound.validateOpening(RULES, opening(overrides), at(now))?.code).toBe(code);
      if (code) expect(() => WhistleRound.open(RULES, opening(overrides), at(now))).toThrow(new RegExp(`^${code}: `));
    });

    it.each<[string, string]>([
      ['blue', '1WD'],
      ['yellow', '4WH'],
      ['red', 'PT30M'],
    ])('should ask for one %s report deadline of %s per department, from the opening', (grade, duration) => {
      const { round, requests } = WhistleRound.open(RULES, opening({ grade }), at(0));
      expect(requests).toEqual(
        DEPTS.map((departmentId) => ({ kind: 'whistle-report', duration, from: at(0), departmentId })),
      );
      expect(round.state).toMatchObject({ phase: 'open', grade, reportLimit: duration, openedAt: at(0) });
      expect(round.state.departments).toEqual(
        DEPTS.map((departmentId) => ({ departmentId, lateReport: false, escalated: false, overdue: false })),
      );
    });

    it("should record the whistle and hold the case's handling deadline as the result deadline", () => {
      const { round } = WhistleRound.open(RULES, opening({ resultDue: '2025-03-12T18:00:00+08:00' }), at(0));
      expect(round.state.resultDeadline).toEqual({
        kind: 'whistle-result',
        ...INHERITED_DEADLINE,
        from: at(0),
        due: '2025-03-12T10:00:00.000Z',
        appliedDays: [],
      });
      expect(round.takeEvents()).toEqual([
        {
          type: 'whistled',
          at: at(0),
          actor: WHISTLER,
          detail: {
            grade: 'yellow',
            // The beijing rules complete a whistle that names no trigger as a citizen's demand.
            trigger: 'citizen-demand',
            reportLimit: '4WH',
            departmentIds: DEPTS,
            reason: opening().reason,
            resultDue: '2025-03-12T18:00:00+08:00',
            escalationUnitId: 'cc-d-donghu',
          },
        },
      ]);
      expect(round.takeEvents()).toEqual([]);
    });

    it('should record each stamped report deadline with its department and calendar', () => {
      const { round, requests } = WhistleRound.open(RULES, opening(), at(0));
      round.takeEvents();
      stamp(round, requests);
      expect(round.takeEvents().map((e) => [e.type, e.detail.kind, e.detail.departmentId, e.detail.calendar])).toEqual(
        DEPTS.map((id) => ['deadline-set', 'whistle-report', id, 'test-cal@1']),
      );
      expect(round.department(B)?.reportDeadline).toMatchObject({ due: at(8), reminderAt: at(6.4) });
    });

    it('should refuse a report deadline for a department it did not summon', () => {
      const round = roundAt();
      const entry: DeadlineEntry = { kind: 'whistle-report', duration: '4WH', from: at(0), due: at(4), ...CALENDAR };
      expect(() => round.setDeadline(entry, 'dept-water')).toThrow(/^InvalidArgument: /);
      expect(() => round.setDeadline(entry)).toThrow(/^InvalidArgument: /);
    });
  });

  describe('validate', () => {
    it.each<[string, Stage, Who, WhistleAction, RefusalCode | undefined]>([
      ['allow a summoned department to report', 'opened', 'a', REPORT, undefined],
      ['allow a report without a note', 'opened', 'b', { type: 'report' }, undefined],
      ['refuse a report by a unit not summoned', 'opened', 'stranger', REPORT, 'WrongUnit'],
      ['refuse a report by the whistler', 'opened', 'whistler', REPORT, 'WrongUnit'],
      ['refuse a report by an operator', 'opened', 'op', REPORT, 'WrongRole'],
      ['refuse a report by a coordinator', 'opened', 'coord', REPORT, 'WrongRole'],
      ['refuse a second report', 'reported', 'a', REPORT, 'WrongState'],
      ['allow a result after the report', 'reported', 'a', RESULT, undefined],
      ['refuse a result before the report', 'opened', 'a', RESULT, 'WrongState'],
      ['refuse a result of another department', 'reported', 'b', RESULT, 'WrongState'],
      ['refuse a result by a unit not summoned', 'reported', 'stranger', RESULT, 'WrongUnit'],
      ['refuse an empty summary', 'reported', 'a', { type: 'result', summary: ' ' }, 'InvalidArgument'],
      ['refuse a second result', 'resulted', 'a', RESULT, 'WrongState'],
      ['allow the whistler to rate a result 1', 'resulted', 'whistler', rate(A, 1), undefined],
      [
        'allow the whistler to rate a result 5 with a comment',
        'resulted',
        'whistler',
        rate(A, 5, '到场及时'),
        undefined,
      ],
      ['refuse a rating before the result', 'reported', 'whistler', rate(A), 'WrongState'],
      ['refuse a rating of a department that never reported', 'resulted', 'whistler', rate(B), 'WrongState'],
      ['refuse a second rating', 'rated', 'whistler', rate(A, 3), 'WrongState'],
      ['refuse a rating of 0', 'resulted', 'whistler', rate(A, 0), 'InvalidArgument'],
      ['refuse a rating of 6', 'resulted', 'whistler', rate(A, 6), 'InvalidArgument'],
      ['refuse a rating of 4.5', 'resulted', 'whistler', rate(A, 4.5), 'InvalidArgument'],
      ['refuse a rating of a department not summoned', 'resulted', 'whistler', rate('dept-water'), 'InvalidArgument'],
      ['refuse a rating by another street', 'resulted', 'otherStreet', rate(A), 'WrongUnit'],
      ['refuse a rating by the rated department', 'resulted', 'a', rate(A), 'WrongUnit'],
      ['refuse a rating by a coordinator of the whistling unit', 'resulted', 'coord', rate(A), 'WrongRole'],
      ['refuse a report once the round completed', 'completed', 'a', REPORT, 'WrongState'],
      ['refuse a report once the round was closed', 'closed', 'b', REPORT, 'WrongState'],
      ['refuse a rating once the round was closed', 'closed', 'whistler', rate(A), 'WrongState'],
    ])('should %s, leaving the state untouched', (_title, stage, who, action, code) => {
      const round = roundAt(stage);
      const before = snapshot(round);
      expect(round.validate(action, ACTORS[who], at(5))?.code).toBe(code);
      expect(snapshot(round)).toStrictEqual(before);
      expect(round.takeEvents()).toEqual([]);
      if (code) {
        expect(() => round.apply(action, ACTORS[who], at(5))).toThrow(new RegExp(`^${code}: `));
        expect(snapshot(round)).toStrictEqual(before);
        expect(round.takeEvents()).toEqual([]);
      }
    });
  });

  describe('report, result and rating', () => {
    it('should record a report on time, a result and a rating with their actors', () => {
      const round = roundAt();
      round.apply(REPORT, ACTORS.a, at(1));
      round.apply(RESULT, ACTORS.a, at(2));
      round.apply(rate(A, 4, '配合积极'), WHISTLER, at(3));
      expect(round.department(A)).toMatchObject({
        reportedAt: at(1),
        lateReport: false,
        escalated: false,
        resultAt: at(2),
        summary: '已拆除违规棚架，立案处罚',
        rating: { score: 4, comment: '配合积极', at: at(3) },
        overdue: false,
      });
      expect(round.takeEvents()).toEqual([
        {
          type: 'reported',
          at: at(1),
          actor: ACTORS.a,
          detail: { departmentId: A, late: false, note: '已派执法队员到场' },
        },
        {
          type: 'result-submitted',
          at: at(2),
          actor: ACTORS.a,
          detail: { departmentId: A, overdue: false, summary: '已拆除违规棚架，立案处罚' },
        },
        {
          type: 'rated',
          at: at(3),
          actor: WHISTLER,
          detail: { departmentId: A, score: 4, comment: '配合积极', veto: false },
        },
      ]);
      expect(round.state.phase).toBe('open');
    });

    it('should complete once every department has submitted and been rated, and then refuse everything', () => {
      const round = roundAt('rated');
      for (const id of [B, C]) {
        round.apply(REPORT, handler(id), at(4));
        round.apply(RESULT, handler(id), at(5));
      }
      round.apply(rate(B, 3), WHISTLER, at(6));
      expect(round.state.phase).toBe('open');
      round.apply(rate(C, 2), WHISTLER, at(7));
      expect(round.state).toMatchObject({ phase: 'completed', endedAt: at(7) });
      expect(types(round.takeEvents()).slice(-2)).toEqual(['rated', 'completed']);
      expect(round.nextTimer()).toBeUndefined();
      expect(round.close('案件已办结', at(8))).toBe(false);
      expect(round.takeEvents()).toEqual([]);
      expect(round.result()).toMatchObject({
        caseNo: '20250303000001',
        round: 1,
        grade: 'yellow',
        whistlerUnitId: WHISTLER.unitId,
        outcome: 'completed',
        openedAt: at(0),
        endedAt: at(7),
        outstanding: [],
      });
      expect(round.result().departments.map((d) => [d.departmentId, d.rating?.score])).toEqual([
        [A, 5],
        [B, 3],
        [C, 2],
      ]);
      expect(round.result().departments[0]).not.toHaveProperty('reportDeadline');
    });
  });

  describe('timers', () => {
    it('should wait on the first department’s report reminder after opening', () => {
      expect(roundAt().nextTimer()).toEqual({ kind: 'whistle-report', at: at(6.4), reminder: true, departmentId: A });
    });

    it('should wait on the result deadline once every department has reported', () => {
      const round = roundAt('reported');
      round.apply(REPORT, ACTORS.b, at(1));
      round.apply(REPORT, handler(C), at(1));
      expect(round.nextTimer()).toEqual({ kind: 'whistle-result', at: RESULT_DUE, reminder: false });
    });

    it('should remind and then escalate only the departments that did not report, to the committee', () => {
      const round = roundAt('reported');
      const fired = runUntil(round, 8);
      expect(fired.map((t) => [t.departmentId, t.reminder, t.at])).toEqual([
        [B, true, at(6.4)],
        [C, true, at(6.4)],
        [B, false, at(8)],
        [C, false, at(8)],
      ]);
      expect(round.takeEvents().map((e) => [e.type, e.at, e.detail])).toEqual([
        ['reminder', at(6.4), { kind: 'whistle-report', due: at(8), departmentId: B }],
        ['reminder', at(6.4), { kind: 'whistle-report', due: at(8), departmentId: C }],
        ['overdue', at(8), { kind: 'whistle-report', due: at(8), departmentId: B }],
        ['escalated', at(8), { departmentId: B, committeeId: 'cc-d-donghu', reason: 'did not report within 4WH' }],
        ['overdue', at(8), { kind: 'whistle-report', due: at(8), departmentId: C }],
        ['escalated', at(8), { departmentId: C, committeeId: 'cc-d-donghu', reason: 'did not report within 4WH' }],
      ]);
      expect(round.department(A)).toMatchObject({ escalated: false });
      expect(round.department(B)).toMatchObject({ escalated: true, escalatedTo: 'cc-d-donghu' });
      expect(round.nextTimer()).toEqual({ kind: 'whistle-result', at: RESULT_DUE, reminder: false });
    });

    it('should escalate without naming a committee when the round has none', () => {
      const { round, requests } = WhistleRound.open(RULES, opening({ escalationUnitId: undefined }), at(0));
      stamp(round, requests);
      runUntil(round, 8);
      expect(round.department(C)).toMatchObject({ escalated: true, escalatedTo: undefined });
      expect(round.takeEvents().filter((e) => e.type === 'escalated')[0].detail.committeeId).toBeUndefined();
    });

    it.each<[string, number, boolean]>([
      ['flag a report after escalation as late', 9, true],
      ['flag a report past the deadline as late even before its timer ran', 8.5, true],
      ['not flag a report at the deadline instant', 8, false],
    ])('should %s', (_title, hours, late) => {
      const round = roundAt();
      if (hours === 9) runUntil(round, 8);
      round.takeEvents();
      round.apply(REPORT, ACTORS.b, at(hours));
      expect(round.department(B)).toMatchObject({ reportedAt: at(hours), lateReport: late });
      expect(round.takeEvents()).toEqual([
        { type: 'reported', at: at(hours), actor: ACTORS.b, detail: { departmentId: B, late, note: REPORT.note } },
      ]);
    });

    it('should ignore a report timer of a department that reported in the meantime, and a stale timer', () => {
      const round = roundAt();
      const timer = round.nextTimer()!;
      round.apply(REPORT, ACTORS.a, at(1));
      round.takeEvents();
      const before = snapshot(round);
      expect(round.onTimer(timer, timer.at)).toEqual([]);
      expect(round.onTimer({ ...timer, departmentId: B, at: at(7) }, at(7))).toEqual([]);
      expect(round.onTimer({ kind: 'whistle-report', at: at(8), reminder: false }, at(8))).toEqual([]);
      expect(round.onTimer({ kind: 'whistle-result', at: at(150), reminder: false }, at(150))).toEqual([]);
      expect(snapshot(round)).toStrictEqual(before);
      expect(round.takeEvents()).toEqual([]);
    });

    it('should mark the departments without a result overdue when the result deadline passes, and still take one', () => {
      const round = roundAt('resulted');
      round.apply(REPORT, ACTORS.b, at(3));
      const fired = runUntil(round, 300);
      expect(fired.map((t) => `${t.kind}${t.reminder ? ' reminder' : ''}@${t.departmentId ?? 'all'}`)).toEqual([
        `whistle-report reminder@${C}`,
        `whistle-report@${C}`,
        'whistle-result@all',
      ]);
      expect(
        round
          .takeEvents()
          .filter((e) => e.type === 'overdue')
          .map((e) => [e.detail.kind, e.detail.departmentId]),
      ).toEqual([
        ['whistle-report', C],
        ['whistle-result', B],
        ['whistle-result', C],
      ]);
      expect(round.state.departments.map((d) => d.overdue)).toEqual([false, true, true]);
      expect(round.nextTimer()).toBeUndefined();
      round.apply(RESULT, ACTORS.b, at(301));
      expect(round.department(B)).toMatchObject({ resultAt: at(301), overdue: true });
      expect(round.takeEvents()[0].detail).toMatchObject({ departmentId: B, overdue: true });
    });

    it('should flag a result submitted past the deadline before its timer ran', () => {
      const round = roundAt('reported');
      round.apply(RESULT, ACTORS.a, at(201));
      expect(round.department(A)?.overdue).toBe(true);
    });

    it('should remind once of the result deadline when the case handed one with a reminder', () => {
      const round = roundAt('reported');
      round.apply(REPORT, ACTORS.b, at(1));
      round.apply(REPORT, handler(C), at(1));
      round.setDeadline({ ...round.state.resultDeadline, reminderAt: at(160) });
      round.apply(RESULT, ACTORS.a, at(2));
      round.takeEvents();
      expect(runUntil(round, 170)).toEqual([{ kind: 'whistle-result', at: at(160), reminder: true }]);
      expect(round.takeEvents().map((e) => [e.type, e.detail.departmentIds])).toEqual([['reminder', [B, C]]]);
      expect(round.nextTimer()).toEqual({ kind: 'whistle-result', at: RESULT_DUE, reminder: false });
    });
  });

  describe('closing early', () => {
    it('should close with what each department still owed, stop every timer and refuse further actions', () => {
      const round = roundAt('resulted');
      round.apply(REPORT, ACTORS.b, at(3));
      expect(round.close('案件被退回', at(4))).toBe(true);
      const outstanding = [
        { departmentId: A, missing: ['rating'] },
        { departmentId: B, missing: ['result', 'rating'] },
        { departmentId: C, missing: ['report', 'result', 'rating'] },
      ];
      expect(round.takeEvents().at(-1)).toEqual({
        type: 'closed',
        at: at(4),
        actor: undefined,
        detail: { reason: '案件被退回', outstanding },
      });
      expect(round.state).toMatchObject({ phase: 'closed', endedAt: at(4), closeReason: '案件被退回' });
      expect(round.nextTimer()).toBeUndefined();
      expect(round.validate(RESULT, ACTORS.b, at(5))?.code).toBe('WrongState');
      expect(round.result()).toMatchObject({
        outcome: 'closed',
        endedAt: at(4),
        closeReason: '案件被退回',
        outstanding,
      });
      expect(round.close('again', at(5))).toBe(false);
      expect(round.takeEvents()).toEqual([]);
    });

    it('should record a blank reason as such rather than refuse the case', () => {
      const round = roundAt();
      round.close(' ', at(1));
      expect(round.state.closeReason).toBe('(no reason given)');
    });

    it('should not report a result while the round is open', () => {
      expect(() => roundAt().result()).toThrow(/^WrongState: /);
    });
  });
});
