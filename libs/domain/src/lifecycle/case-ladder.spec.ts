import { CaseLifecycle } from './case-lifecycle';
import {
  Actor,
  CaseAction,
  DeadlineEntry,
  DeadlineRequest,
  DispatchPlan,
  LifecycleRules,
  RungRules,
} from './lifecycle.types';
import { BEIJING_LIFECYCLE_RULES } from './presets';

/** Instants as hours after Monday 3 March 2025, 09:00 Asia/Shanghai; every deadline lasts its hours in `SPAN`. */
const BASE = Date.UTC(2025, 2, 3, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const hoursOf = (iso: string) => (Date.parse(iso) - BASE) / 3_600_000;
const SPAN: Record<string, number> = { sign: 10, 'return-window': 50, contact: 25, handle: 200, escalation: 100 };

function stamp(lc: CaseLifecycle, requests: DeadlineRequest[]): void {
  for (const request of requests) {
    const span = SPAN[request.kind] ?? 24;
    const entry: DeadlineEntry = {
      ...request,
      due: at(hoursOf(request.from) + span),
      calendarId: 'test-cal',
      calendarVersion: 1,
      appliedDays: [],
    };
    lc.setDeadline(entry);
  }
}

const rung = (id: string, extra: Partial<RungRules> = {}): RungRules => ({
  id,
  name: id,
  body: { committee: id },
  role: 'coordinator',
  actions: ['instruct', 'reassign'],
  deadline: '3WD',
  ...extra,
});
/** A ladder of three rungs: the grid's worker, the community committee, then the street, which decides. */
const RUNGS: RungRules[] = [
  rung('grid', { role: 'handler', actions: ['instruct'] }),
  rung('community', { actions: ['instruct', 'reassign', 'convene'] }),
  rung('street', { deadline: undefined, supervision: 'posted', actions: ['decide'] }),
];
const RULES: LifecycleRules = { ...BEIJING_LIFECYCLE_RULES, rungs: RUNGS, supervision: undefined };
const PLAN: DispatchPlan = {
  leadUnitId: 'g-1',
  coUnitIds: [],
  copyUnitIds: [],
  deadlines: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
  ladderUnits: {},
  rungUnits: ['g-1', 'cc-c-1', 'cc-s-1'],
  serviceCentreId: 'centre-1',
};
const lead: Actor = { userId: 'u-lead', role: 'handler', unitId: 'g-1' };
const designer: Actor = { userId: 'u-designer', role: 'designer', unitId: 'centre-1' };
const coordinatorOf = (unitId: string): Actor => ({ userId: `u-${unitId}`, role: 'coordinator', unitId });

/** A signed, contacted case at hour 1 on the ladder above. */
function signedCase(rules: LifecycleRules = RULES): CaseLifecycle {
  const lc = new CaseLifecycle(rules);
  stamp(lc, lc.dispatch(PLAN, at(0)));
  lc.apply({ type: 'sign' }, lead, at(1));
  lc.apply({ type: 'contact' }, lead, at(1));
  return lc;
}

/** Fires the next deadline (not a reminder) and stamps what it asks for. */
function expire(lc: CaseLifecycle): void {
  const timer = lc.nextTimer()!;
  const entry = lc.state.deadlines[timer.kind]!;
  stamp(lc, lc.onTimer({ kind: timer.kind, at: entry.due, reminder: false }, entry.due));
}

const position = (lc: CaseLifecycle) => [lc.state.escalationLevel, lc.state.escalationUnitId, lc.state.rung?.position];

describe('a case on a ladder pinned from its process version', () => {
  it('should climb exactly the rungs of the ladder by their deadlines, then stay on the final one', () => {
    const lc = signedCase();
    const climbed: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      expire(lc);
      climbed.push(position(lc));
    }
    expect(climbed).toEqual([
      ['grid', 'g-1', 1],
      ['community', 'cc-c-1', 2],
      ['street', 'cc-s-1', 3],
    ]);
    expect(lc.state.deadlines.escalation).toBeUndefined();
    expect(lc.nextTimer()).toBeUndefined();
    expect(lc.state.supervision).toBe('posted');
  });

  it.each<[string, Actor, CaseAction, string | undefined]>([
    [
      'the grid rung’s handler may instruct',
      { ...lead, userId: 'u-grid' },
      { type: 'coordinate', instruction: '劝导' },
      undefined,
    ],
    [
      'a coordinator may not act on a rung whose role is handler',
      coordinatorOf('g-1'),
      { type: 'coordinate', instruction: '劝导' },
      'WrongRole',
    ],
    [
      'the grid rung may not reassign',
      lead,
      { type: 'coordinate', instruction: '改派', reassignTo: 'c-1' },
      'InvalidArgument',
    ],
  ])('on the first rung: %s', (_title, actor, action, refusal) => {
    const lc = signedCase();
    expire(lc);
    expect(lc.validate(action, actor, at(300))?.code).toBe(refusal);
  });

  it('should let the community convene departments as co-units and the final rung only decide', () => {
    const lc = signedCase();
    expire(lc);
    expire(lc);
    lc.apply(
      { type: 'coordinate', instruction: '联合处置', convene: ['dept-a', 'dept-b'] },
      coordinatorOf('cc-c-1'),
      at(400),
    );
    expect(lc.state.coUnitIds).toEqual(['dept-a', 'dept-b']);
    expire(lc);
    const street = coordinatorOf('cc-s-1');
    expect(lc.validate({ type: 'coordinate', instruction: '研究' }, street, at(600))?.code).toBe('InvalidArgument');
    lc.apply({ type: 'coordinate', instruction: '街道统筹解决', decision: true }, street, at(600));
    expect(lc.takeEvents().at(-1)).toMatchObject({ type: 'decided', detail: { rung: 'street', position: 3 } });
  });

  it('should refuse escalating by hand past the final rung', () => {
    const lc = signedCase();
    for (let i = 0; i < 3; i++) lc.apply({ type: 'escalate', reason: '上报' }, lead, at(2 + i));
    expect(position(lc)).toEqual(['street', 'cc-s-1', 3]);
    expect(lc.validate({ type: 'escalate', reason: '再上报' }, lead, at(10))?.code).toBe('LimitReached');
  });

  describe('migration to a version with another ladder', () => {
    const migrate = (rungs: RungRules[], rungUnits: string[]): Extract<CaseAction, { type: 'migrateRules' }> => ({
      type: 'migrateRules',
      toVersion: 'city@2',
      rules: { ...RULES, rungs },
      reason: '插入一级',
      rungUnits,
    });

    it('should keep the case on its rung by id and climb into a rung inserted above it', () => {
      const lc = signedCase();
      expire(lc);
      expire(lc); // on 'community', position 2
      const inserted = [RUNGS[0], RUNGS[1], rung('street-office', { body: { office: 'street-office' } }), RUNGS[2]];
      const moved = migrate(
        inserted.map((r, i) => (i === 1 ? { ...r, next: undefined, deadline: '5WD' } : r)),
        ['g-1', 'cc-c-1', 'o-street', 'cc-s-1'],
      );
      expect(lc.validate(moved, designer, at(400))).toBeUndefined();
      stamp(lc, lc.apply(moved, designer, at(400)));
      expect(position(lc)).toEqual(['community', 'cc-c-1', 2]);
      // The community rung's new deadline is laid again from when the case arrived there.
      expect(lc.state.deadlines.escalation?.duration).toBe('5WD');
      expire(lc);
      expect(position(lc)).toEqual(['street-office', 'o-street', 3]);
    });

    it('should refuse (so the migration skips the case) when the new ladder has no rung of that id', () => {
      const lc = signedCase();
      expire(lc); // on 'grid'
      const refusal = lc.validate(migrate([RUNGS[1], RUNGS[2]], ['cc-c-1', 'cc-s-1']), designer, at(300));
      expect(refusal).toEqual({ code: 'WrongState', message: expect.stringContaining("rung 'grid'") });
    });

    it('should take a case on the fixed ladder onto the new ladder by its level', () => {
      const lc = new CaseLifecycle({ ...BEIJING_LIFECYCLE_RULES, supervision: undefined });
      stamp(
        lc,
        lc.dispatch({ ...PLAN, ladderUnits: { community: 'cc-c-1', street: 'cc-s-1' }, rungUnits: undefined }, at(0)),
      );
      lc.apply({ type: 'sign' }, lead, at(1));
      lc.apply({ type: 'escalate', reason: '上报' }, lead, at(2));
      expect(lc.state.escalationLevel).toBe('community');
      stamp(lc, lc.apply(migrate(RUNGS, PLAN.rungUnits!), designer, at(3)));
      expect(position(lc)).toEqual(['community', 'cc-c-1', 2]);
      lc.apply({ type: 'escalate', reason: '再上报' }, lead, at(4));
      expect(position(lc)).toEqual(['street', 'cc-s-1', 3]);
    });
  });

  describe('recalendar', () => {
    it('should take the recomputed deadlines it holds, record before and after, and ignore stale ones', () => {
      const lc = signedCase();
      lc.takeEvents();
      const handle = lc.state.deadlines.handle!;
      const later = { ...handle, due: at(hoursOf(handle.due) + 24), calendarVersion: 2 };
      const stale = { ...lc.state.deadlines.contact!, from: at(99), due: at(500) };
      const action: CaseAction = { type: 'recalendar', reason: '新日历', entries: [later, stale] };
      expect(lc.validate(action, lead, at(2))?.code).toBe('WrongRole');
      lc.apply(action, designer, at(2));
      expect(lc.state.deadlines.handle).toEqual(later);
      expect(lc.state.deadlines.contact?.due).not.toBe(stale.due);
      expect(lc.takeEvents()[0]).toMatchObject({
        type: 'deadlines-recalendared',
        detail: { reason: '新日历', moved: [{ kind: 'handle', before: handle.due, after: later.due }] },
      });
    });
  });
});

describe('text PostgreSQL cannot hold', () => {
  it.each<[string, CaseAction]>([
    ['a NUL in a note', { type: 'contact', note: 'a\u0000b' }],
    ['a lone surrogate in a reason', { type: 'escalate', reason: 'cut \ud83d' }],
    [
      'a NUL in a whistled department id',
      { type: 'whistle', departmentIds: ['dept-a\u0000'], grade: 'blue', reason: 'x' },
    ],
  ])('should refuse %s before it is recorded, naming the field', (_title, action) => {
    const lc = signedCase();
    const refusal = lc.validate(action, lead, at(2));
    expect(refusal?.code).toBe('InvalidArgument');
    expect(refusal?.message).toMatch(/^(note|reason|departmentIds\[0\]) contains/);
  });
});

describe('the call-back note', () => {
  it.each<[string, Extract<CaseAction, { type: 'callback' }>, string]>([
    [
      'a reached citizen',
      { type: 'callback', reached: true, solved: true, satisfaction: 'satisfied', note: '市民表示满意' },
      'called-back',
    ],
    ['an unreached citizen', { type: 'callback', reached: false, note: '电话无人接听' }, 'callback-unreached'],
  ])('should be stored with the call-back of %s', (_title, action, type) => {
    const lc = signedCase();
    lc.apply({ type: 'reply', result: 'solved', summary: '已处理' }, lead, at(2));
    const operator: Actor = { userId: 'u-op', role: 'operator', unitId: 'centre-1' };
    stamp(lc, lc.apply({ type: 'review', accepted: true }, operator, at(3)));
    lc.takeEvents();
    lc.apply(action, operator, at(4));
    expect(lc.takeEvents().find((event) => event.type === type)?.detail).toMatchObject({ note: action.note });
  });
});

describe('co-units report their part to the lead', () => {
  const coUnitCase = () => {
    const lc = new CaseLifecycle(RULES);
    stamp(lc, lc.dispatch({ ...PLAN, coUnitIds: ['dept-a', 'dept-b'] }, at(0)));
    lc.apply({ type: 'sign' }, lead, at(1));
    return lc;
  };
  const deptA: Actor = { userId: 'u-a', role: 'handler', unitId: 'dept-a' };

  it.each<[string, Actor, string, string | undefined]>([
    ['a co-unit’s handler reports', deptA, '已监测', undefined],
    ['the lead may not report for a co-unit', lead, '已监测', 'WrongUnit'],
    ['a blank summary is refused', deptA, ' ', 'InvalidArgument'],
  ])('%s', (_title, actor, summary, refusal) => {
    expect(coUnitCase().validate({ type: 'reportPart', summary }, actor, at(2))?.code).toBe(refusal);
  });

  it('should take each co-unit’s report once', () => {
    const lc = coUnitCase();
    lc.apply({ type: 'reportPart', summary: '已监测' }, deptA, at(2));
    expect(lc.state.coUnitReports).toEqual({ 'dept-a': { at: at(2), summary: '已监测' } });
    expect(lc.validate({ type: 'reportPart', summary: '再报' }, deptA, at(3))?.code).toBe('WrongState');
  });
});
