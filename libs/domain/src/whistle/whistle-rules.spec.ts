import { caseActionProblems } from '../lifecycle/action-problems';
import type { Actor, CaseAction, DeadlineEntry, WhistleRules } from '../lifecycle/lifecycle.types';
import { DEMO_CITY, DEMO_CITY_ID } from '../org/demo-city';
import type { OrgUnitKind } from '../org/org.types';
import { DEMO_CATALOGUE } from '../routing/demo-catalogue';
import { toLifecycleRules } from '../rules/process-definition';
import { PresetId, presetFor } from '../rules/presets';
import { validateDefinition } from '../rules/validate-definition';
import { WhistleRound } from './whistle-round';
import type { WhistleAction, WhistleOpening } from './whistle.types';

/*
 * Each preset's whistle rules as the case enacts them: the rules pinned to a case (`toLifecycleRules` of the preset
 * made for the demo city) decide who may whistle, who answers, the triggers and types a grade is for, the most
 * departments, 事不完、人不撤 and the veto. Table-driven over the presets; docs/rules.md lists these rows.
 */

const DISTRICTS: Partial<Record<PresetId, string>> = {
  pinggu: 'd-beijiao',
  'ningbo-dl': 'd-donghu',
  suyu: 'd-xishan',
  malu: 'd-xishan',
  xiangdong: 'd-beijiao',
};
const lifecycleRulesOf = (id: PresetId) =>
  toLifecycleRules(presetFor(id, { cityId: DEMO_CITY_ID, catalogue: DEMO_CATALOGUE, districtId: DISTRICTS[id] }));
const rulesOf = (id: PresetId): WhistleRules => lifecycleRulesOf(id).whistle;

const BASE = Date.UTC(2025, 2, 3, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const handler = (unitId: string, unitKind: OrgUnitKind): Actor => ({
  userId: `handler-of-${unitId}`,
  role: 'handler',
  unitId,
  unitKind,
});
const WHISTLERS: Partial<Record<OrgUnitKind, Actor>> = {
  'service-centre': {
    userId: 'operator-of-centre-donghu',
    role: 'operator',
    unitId: 'centre-donghu',
    unitKind: 'service-centre',
  },
  district: handler('d-donghu', 'district'),
  street: handler('s-hubin', 'street'),
  township: handler('t-liuhe', 'township'),
  community: handler('c-xiyuan', 'community'),
  village: handler('v-liuhe', 'village'),
};
const DEPTS = ['dept-urban-management', 'dept-housing'];

const opening = (whistler: Actor, overrides: Partial<WhistleOpening> = {}): WhistleOpening => ({
  caseNo: '20250303000001',
  round: 1,
  whistler,
  departmentIds: [...DEPTS],
  grade: 'blue',
  reason: '联合处置',
  resultDue: at(200),
  ...overrides,
});
/** Why the round refuses to open (`<Code>: <message>`), or undefined when it opens. */
const refusalOf = (id: PresetId, whistler: Actor, overrides: Partial<WhistleOpening> = {}) => {
  const refusal = WhistleRound.validateOpening(rulesOf(id), opening(whistler, overrides), at(0));
  return refusal && `${refusal.code}: ${refusal.message}`;
};
/** The problems the API reports for a whistle body, field by field. */
const problemsOf = (id: PresetId, whistler: Actor, body: Partial<Extract<CaseAction, { type: 'whistle' }>>) =>
  caseActionProblems(
    { type: 'whistle', departmentIds: [...DEPTS], grade: 'blue', reason: '联合处置', ...body },
    { actorUnitId: whistler.unitId, actorUnitKind: whistler.unitKind, rules: lifecycleRulesOf(id) },
  ).map((problem) => `${problem.field}: ${problem.message}`);

describe('whistle rules of each preset', () => {
  describe('whistlers: who may whistle', () => {
    it.each<[PresetId, OrgUnitKind[], OrgUnitKind[]]>([
      ['beijing', ['street', 'township', 'community', 'village'], ['district', 'service-centre']],
      ['jinan', ['street', 'township', 'community', 'village'], ['district', 'service-centre']],
      ['suyu', ['street', 'township', 'community', 'village'], ['district', 'service-centre']],
      ['xiangdong', ['street', 'township', 'community', 'village'], ['district', 'service-centre']],
      ['pinggu', ['township', 'street'], ['community', 'village', 'district', 'service-centre']],
      ['ningbo-dl', ['community', 'village', 'street'], ['township', 'district', 'service-centre']],
      ['nanjing', ['service-centre', 'district', 'street', 'township'], ['community', 'village']],
      ['malu', ['community', 'village'], ['street', 'township', 'district', 'service-centre']],
    ])('%s: %j may whistle, %j may not', (id, allowed, refused) => {
      // A whistler answered by its street summons one unit (the API checks that it is the street).
      const oneUnit = (kind: OrgUnitKind) => ({
        ...(rulesOf(id).answeredBy?.[kind] === 'street' ? { departmentIds: ['s-hubin'] } : {}),
        ...(id === 'pinggu' ? { whistleType: 'management' as const } : {}),
      });
      for (const kind of allowed) expect(refusalOf(id, WHISTLERS[kind]!, oneUnit(kind))).toBeUndefined();
      for (const kind of refused) expect(refusalOf(id, WHISTLERS[kind]!)).toMatch(/^WrongUnit: a .* unit may whistle/);
    });
  });

  it('nanjing: a district command centre whistles by its operators, and confirms nothing but rates as one', () => {
    const centre = WHISTLERS['service-centre']!;
    expect(refusalOf('nanjing', { ...centre, role: 'handler' })).toBe(
      'WrongRole: a whistle is blown by an operator, not a handler',
    );
    const { round } = WhistleRound.open(rulesOf('nanjing'), opening(centre, { departmentIds: [DEPTS[0]] }), at(0));
    const dept = handler(DEPTS[0], 'department');
    round.apply({ type: 'report' }, dept, at(1));
    round.apply({ type: 'result', summary: '联合处置完毕' }, dept, at(2));
    const rate = { type: 'rate', departmentId: DEPTS[0], score: 4 } as const;
    expect(round.validate(rate, { ...centre, role: 'handler' }, at(3))).toEqual({
      code: 'WrongRole',
      message: 'rate is for an operator, not a handler',
    });
    round.apply(rate, centre, at(3));
    expect(round.state.phase).toBe('completed');
  });

  describe('answeredBy: who is summoned', () => {
    it('ningbo-dl: a community or village whistles its street, one unit; a street whistles departments', () => {
      const rules = rulesOf('ningbo-dl');
      expect(rules.answeredBy).toEqual({ community: 'street', village: 'street', street: 'departments' });
      expect(refusalOf('ningbo-dl', WHISTLERS.community!)).toBe(
        'InvalidArgument: departmentIds: a community whistles its own street, one unit',
      );
      expect(problemsOf('ningbo-dl', WHISTLERS.village!, {})).toEqual([
        'departmentIds: departmentIds: a village whistles its own street, one unit',
      ]);
      expect(problemsOf('ningbo-dl', WHISTLERS.community!, { departmentIds: ['s-hubin'] })).toEqual([]);
      expect(refusalOf('ningbo-dl', WHISTLERS.street!)).toBeUndefined();
    });

    it.each<PresetId>(['beijing', 'pinggu', 'nanjing', 'malu', 'jinan', 'suyu', 'xiangdong'])(
      '%s: every whistler summons departments',
      (id) => {
        expect(new Set(Object.values(rulesOf(id).answeredBy ?? {}))).toEqual(new Set(['departments']));
      },
    );
  });

  describe('maxDepartments', () => {
    it.each<[PresetId, number]>([
      ['beijing', 6],
      ['pinggu', 6],
      ['ningbo-dl', 6],
      ['malu', 6],
      ['xiangdong', 6],
      ['nanjing', 10],
    ])('%s: a round summons at most %i departments', (id, max) => {
      const whistler = id === 'malu' ? WHISTLERS.community! : WHISTLERS.street!;
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `dept-${i + 1}`);
      const typed = id === 'pinggu' ? { whistleType: 'management' as const } : {};
      expect(refusalOf(id, whistler, { ...typed, departmentIds: ids(max) })).toBeUndefined();
      expect(refusalOf(id, whistler, { ...typed, departmentIds: ids(max + 1) })).toBe(
        `LimitReached: one whistle summons at most ${max} departments, not ${max + 1}`,
      );
    });
  });

  describe('triggers and grades', () => {
    it('beijing: any of its four triggers, citizen-demand when none is named; patrol-finding is not one', () => {
      const street = WHISTLERS.street!;
      const { round } = WhistleRound.open(rulesOf('beijing'), opening(street, { grade: 'red' }), at(0));
      expect(round.state.trigger).toBe('citizen-demand');
      expect(refusalOf('beijing', street, { grade: 'red', trigger: 'key-work' })).toBeUndefined();
      expect(problemsOf('beijing', street, { trigger: 'patrol-finding' })).toEqual([
        'trigger: trigger must be one of citizen-demand, key-work, joint-enforcement, emergency-response, not ' +
          '"patrol-finding"',
      ]);
    });

    it('pinggu: the red whistle is only for joint enforcement or emergency response, and must name which', () => {
      const township = WHISTLERS.township!;
      const red = { grade: 'red', whistleType: 'enforcement' as const };
      expect(refusalOf('pinggu', township, { ...red, trigger: 'citizen-demand' })).toBe(
        'InvalidArgument: trigger: the "red" grade is for joint-enforcement, emergency-response, not citizen-demand',
      );
      expect(refusalOf('pinggu', township, red)).toBe(
        'InvalidArgument: trigger is required: the "red" grade is for joint-enforcement, emergency-response',
      );
      expect(refusalOf('pinggu', township, { ...red, trigger: 'joint-enforcement' })).toBeUndefined();
      // The blue whistle is for key work and citizens' demands; a citizen's demand when none is named.
      const blue = { grade: 'blue', whistleType: 'management' as const };
      expect(refusalOf('pinggu', township, { ...blue, trigger: 'emergency-response' })).toMatch(/"blue" grade is for/);
      expect(WhistleRound.open(rulesOf('pinggu'), opening(township, blue), at(0)).round.state.trigger).toBe(
        'citizen-demand',
      );
    });

    it('nanjing: patrol findings are a trigger, and the rapid grade is for them only', () => {
      const street = WHISTLERS.street!;
      expect(rulesOf('nanjing').triggers).toContain('patrol-finding');
      expect(WhistleRound.open(rulesOf('nanjing'), opening(street, { grade: 'rapid' }), at(0)).round.state).toEqual(
        expect.objectContaining({ trigger: 'patrol-finding', reportLimit: 'PT1H' }),
      );
      expect(problemsOf('nanjing', street, { grade: 'rapid', trigger: 'key-work' })).toEqual([
        'trigger: trigger: the "rapid" grade is for patrol-finding, not key-work',
      ]);
      expect(refusalOf('nanjing', street, { grade: 'blue', trigger: 'patrol-finding' })).toBeUndefined();
    });
  });

  describe('types', () => {
    it('pinggu: red is an enforcement whistle, blue a management or development one, named', () => {
      const township = WHISTLERS.township!;
      const red = { grade: 'red', trigger: 'emergency-response' as const };
      expect(WhistleRound.open(rulesOf('pinggu'), opening(township, red), at(0)).round.state.whistleType).toBe(
        'enforcement',
      );
      expect(problemsOf('pinggu', township, { ...red, whistleType: 'development' })).toEqual([
        'whistleType: whistleType: the "red" grade is for enforcement, not development',
      ]);
      expect(problemsOf('pinggu', township, { grade: 'blue' })).toEqual([
        'whistleType: whistleType is required: the "blue" grade is for management, development',
      ]);
      expect(problemsOf('pinggu', township, { grade: 'blue', whistleType: 'development' })).toEqual([]);
    });

    it.each<PresetId>(['beijing', 'ningbo-dl', 'nanjing', 'malu', 'xiangdong'])(
      '%s: tells no types apart and refuses one',
      (id) => {
        const whistler = id === 'malu' ? WHISTLERS.community! : WHISTLERS.street!;
        expect(problemsOf(id, whistler, { whistleType: 'enforcement' })).toEqual([
          'whistleType: whistleType: these rules tell no whistle types apart',
        ]);
      },
    );
  });

  describe('事不完、人不撤 and the veto', () => {
    /** A round of `id` with one department that has reported and submitted its result. */
    function resulted(id: PresetId, overrides: Partial<WhistleOpening> = {}) {
      const whistler = WHISTLERS[id === 'ningbo-dl' || id === 'malu' ? 'community' : 'township']!;
      const dept =
        overrides.departmentIds?.[0] === 's-hubin' ? handler('s-hubin', 'street') : handler(DEPTS[0], 'department');
      const rules = rulesOf(id);
      const { round, requests } = WhistleRound.open(
        rules,
        opening(whistler, { whistleType: 'management', ...overrides, departmentIds: [dept.unitId] }),
        at(0),
      );
      for (const { departmentId, ...request } of requests) {
        const entry: DeadlineEntry = { ...request, calendarId: 'c', calendarVersion: 1, appliedDays: [], due: at(8) };
        round.setDeadline(entry, departmentId);
      }
      round.apply({ type: 'report' }, dept, at(1));
      round.apply({ type: 'result', summary: '已处置' }, dept, at(2));
      round.takeEvents();
      return { round, whistler, dept };
    }
    const refusal = (round: WhistleRound, action: WhistleAction, actor: Actor) => {
      const refused = round.validate(action, actor, at(3));
      return refused && `${refused.code}: ${refused.message}`;
    };

    it('pinggu: a department stays until the township confirms the work done; a result sent back is owed again', () => {
      const { round, whistler, dept } = resulted('pinggu');
      const rate = { type: 'rate', departmentId: dept.unitId, score: 5 } as const;
      expect(refusal(round, rate, whistler)).toBe(
        "WrongState: dept-urban-management's work has not been confirmed done yet (事不完、人不撤)",
      );
      expect(round.outstanding()).toEqual([{ departmentId: dept.unitId, missing: ['confirmation', 'rating'] }]);
      round.apply({ type: 'confirm', departmentId: dept.unitId, done: false, note: '围挡未拆' }, whistler, at(3));
      expect(round.department(dept.unitId)).toEqual(expect.objectContaining({ resultAt: undefined, rejections: 1 }));
      expect(refusal(round, { type: 'confirm', departmentId: dept.unitId, done: true }, whistler)).toBe(
        'WrongState: dept-urban-management has not submitted its result yet',
      );
      round.apply({ type: 'result', summary: '围挡已拆除' }, dept, at(4));
      expect(refusal(round, { type: 'result', summary: '再报' }, dept)).toMatch(/stays until t-liuhe confirms/);
      round.apply({ type: 'confirm', departmentId: dept.unitId, done: true }, whistler, at(5));
      expect(round.state.phase).toBe('open'); // the rating is still required
      round.apply({ ...rate, veto: true }, whistler, at(6));
      expect(round.state.phase).toBe('completed');
      expect(round.takeEvents().map((event) => [event.type, event.detail])).toEqual([
        ['sent-back', { departmentId: dept.unitId, note: '围挡未拆' }],
        ['result-submitted', { departmentId: dept.unitId, overdue: false, summary: '围挡已拆除' }],
        ['confirmed', { departmentId: dept.unitId, note: undefined }],
        ['rated', { departmentId: dept.unitId, score: 5, comment: undefined, veto: true }],
        ['completed', {}],
      ]);
    });

    it('pinggu: a result awaiting confirmation is not overdue; once sent back it is owed, and late, again', () => {
      const { round, whistler, dept } = resulted('pinggu');
      // While the township has the result to confirm, the result deadline (200 h) holds no timer.
      expect(round.nextTimer()).toBeUndefined();
      round.apply({ type: 'confirm', departmentId: dept.unitId, done: false, note: '未完成' }, whistler, at(201));
      const timer = round.nextTimer();
      expect(timer).toMatchObject({ kind: 'whistle-result', at: at(200), reminder: false });
      round.onTimer(timer!, at(201));
      expect(round.department(dept.unitId)).toMatchObject({ overdue: true, rejections: 1 });
      expect(round.takeEvents().map((event) => event.type)).toEqual(['sent-back', 'overdue']);
    });

    it.each<PresetId>(['beijing', 'ningbo-dl', 'nanjing', 'malu', 'jinan', 'suyu', 'xiangdong'])(
      '%s: no confirmation step and no veto',
      (id) => {
        const rules = rulesOf(id);
        expect([rules.stayUntilDone, rules.rating]).toEqual([false, { required: true, veto: false }]);
        // A ningbo-dl community summons its street, which answers like a department.
        const summoned = id === 'ningbo-dl' ? { departmentIds: ['s-hubin'] } : {};
        const { round, whistler, dept } = resulted(id, { whistleType: undefined, ...summoned });
        expect(refusal(round, { type: 'confirm', departmentId: dept.unitId, done: true }, whistler)).toBe(
          'WrongState: these rules do not keep departments until the whistler confirms (stayUntilDone)',
        );
        expect(refusal(round, { type: 'rate', departmentId: dept.unitId, score: 2, veto: true }, whistler)).toBe(
          "InvalidArgument: veto: these rules do not let the whistler veto a department's assessment",
        );
        round.apply({ type: 'rate', departmentId: dept.unitId, score: 2 }, whistler, at(3));
        expect(round.state.phase).toBe('completed');
      },
    );
  });

  it('validation: a grade may only be for whistle types the definition lists', () => {
    const pinggu = JSON.parse(
      JSON.stringify(presetFor('pinggu', { cityId: DEMO_CITY_ID, catalogue: DEMO_CATALOGUE, districtId: 'd-beijiao' })),
    );
    expect(validateDefinition(pinggu, { tree: DEMO_CITY })).toMatchObject({ ok: true });
    pinggu.whistle.types = ['management'];
    const result = validateDefinition(pinggu, { tree: DEMO_CITY });
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({ path: '/whistle/grades/0/types/1', rule: 'unknown-whistle-type' }),
      expect.objectContaining({ path: '/whistle/grades/1/types/0', rule: 'unknown-whistle-type' }),
    ]);
  });

  it('rating.required false: a round completes once every part is done; a rating before then is optional', () => {
    const rules: WhistleRules = { ...rulesOf('beijing'), rating: { required: false, veto: false } };
    const whistler = WHISTLERS.street!;
    const [a, b] = DEPTS.map((id) => handler(id, 'department'));
    const { round } = WhistleRound.open(rules, opening(whistler), at(0));
    for (const dept of [a, b]) round.apply({ type: 'report' }, dept, at(1));
    round.apply({ type: 'result', summary: '已处置' }, a, at(2));
    round.apply({ type: 'rate', departmentId: a.unitId, score: 4 }, whistler, at(3));
    expect(round.state.phase).toBe('open');
    round.apply({ type: 'result', summary: '已处置' }, b, at(4));
    expect(round.state.phase).toBe('completed');
    expect(round.result().outstanding).toEqual([]);
  });
});
