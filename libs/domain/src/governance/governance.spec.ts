import { DEMO_PRESETS } from '../../../persistence/src/seed/demo-presets';
import type { Actor } from '../lifecycle/lifecycle.types';
import { DEMO_CITY } from '../org/demo-city';
import { validateDefinition } from '../rules/validate-definition';
import { PRESET_IDS, presetFor } from '../rules/presets';
import type { RoutingCatalogue } from '../routing/routing.types';
import { GovernanceActionRefused, GovernanceItem } from './governance-item';
import type { GovernanceAction } from './governance.types';
import { effectOf, HotspotCount, proactiveTriggers, RankedUnit, rectificationTargets } from './triggers';

const NOW = '2026-11-02T02:00:00.000Z';
const handler: Actor = { userId: 'u-h', role: 'handler', unitId: 's-hubin' };
const outsider: Actor = { userId: 'u-o', role: 'handler', unitId: 's-other' };
const operator: Actor = { userId: 'u-op', role: 'operator', unitId: 'centre' };

function item(): GovernanceItem {
  return new GovernanceItem(
    {
      itemId: 'g-1',
      kind: 'problem-of-the-month',
      title: '噪声扰民',
      ownerUnitIds: ['s-hubin'],
      scope: { categories: ['noise'], places: ['s-hubin'] },
    },
    NOW,
  );
}
const plan: GovernanceAction = {
  type: 'submitPlan',
  plan: '夜间巡查',
  milestones: [{ title: '排查' }, { title: '整治' }],
};

describe('GovernanceItem', () => {
  it('should run open → planned → milestones done → reported → closed for the owner unit and the centre', () => {
    const governance = item();
    governance.apply(plan, handler, NOW);
    governance.apply({ type: 'completeMilestone', index: 0 }, handler, NOW);
    governance.apply({ type: 'completeMilestone', index: 1, note: '已完成' }, handler, NOW);
    governance.apply({ type: 'report', report: '已整治', outcome: 'resolved' }, handler, NOW);
    governance.apply({ type: 'close', note: '验收通过' }, operator, NOW);
    expect(governance.state).toMatchObject({ status: 'closed', outcome: 'resolved', closeNote: '验收通过' });
    expect(governance.state.milestones.map((m) => m.doneBy)).toEqual(['u-h', 'u-h']);
    expect(governance.state.events.map((e) => e.type)).toEqual([
      'opened',
      'plan-submitted',
      'milestone-completed',
      'milestone-completed',
      'reported',
      'closed',
    ]);
  });

  it.each<[string, (g: GovernanceItem) => void, GovernanceAction, Actor, string]>([
    ['another unit plans', () => undefined, plan, outsider, 'WrongUnit'],
    ['the centre plans', () => undefined, plan, operator, 'WrongRole'],
    [
      'a plan without milestones',
      () => undefined,
      { ...plan, milestones: [] } as GovernanceAction,
      handler,
      'InvalidArgument',
    ],
    ['a milestone before a plan', () => undefined, { type: 'completeMilestone', index: 0 }, handler, 'WrongState'],
    [
      'a report before a plan',
      () => undefined,
      { type: 'report', report: 'x', outcome: 'resolved' },
      handler,
      'WrongState',
    ],
    [
      'a report with milestones open',
      (g) => g.apply(plan, handler, NOW),
      { type: 'report', report: 'x', outcome: 'resolved' },
      handler,
      'WrongState',
    ],
    [
      'a milestone that is not there',
      (g) => g.apply(plan, handler, NOW),
      { type: 'completeMilestone', index: 5 },
      handler,
      'InvalidArgument',
    ],
    [
      'a close before the report',
      (g) => g.apply(plan, handler, NOW),
      { type: 'close', note: 'x' },
      operator,
      'WrongState',
    ],
    [
      'a handler closing',
      (g) => {
        g.apply(plan, handler, NOW);
        g.apply({ type: 'completeMilestone', index: 0 }, handler, NOW);
        g.apply({ type: 'completeMilestone', index: 1 }, handler, NOW);
        g.apply({ type: 'report', report: 'x', outcome: 'partly' }, handler, NOW);
      },
      { type: 'close', note: 'x' },
      handler,
      'WrongRole',
    ],
    [
      'a new plan after a milestone is done',
      (g) => {
        g.apply(plan, handler, NOW);
        g.apply({ type: 'completeMilestone', index: 0 }, handler, NOW);
      },
      plan,
      handler,
      'WrongState',
    ],
  ])('should refuse %s', (_what, before, action, actor, code) => {
    const governance = item();
    before(governance);
    expect(governance.validate(action, actor)?.code).toBe(code);
    expect(() => governance.apply(action, actor, NOW)).toThrow(GovernanceActionRefused);
  });

  it('should mark an unreported item overdue under daily supervision, raise it to the top, and leave a reported one', () => {
    const governance = item();
    governance.remind(NOW);
    governance.markOverdue(NOW);
    expect(governance.state).toMatchObject({ reminded: true, overdue: true, supervision: 'daily' });
    expect(governance.raiseSupervision(NOW)).toBe(true);
    expect(governance.raiseSupervision(NOW)).toBe(true);
    expect(governance.state.supervision).toBe('interview');
    expect(governance.raiseSupervision(NOW)).toBe(false);

    const reported = item();
    reported.apply({ ...plan, milestones: [{ title: '一步' }] } as GovernanceAction, handler, NOW);
    reported.apply({ type: 'completeMilestone', index: 0 }, handler, NOW);
    reported.apply({ type: 'report', report: '已整治', outcome: 'resolved' }, handler, NOW);
    reported.markOverdue(NOW);
    expect(reported.state).toMatchObject({ overdue: false, supervision: 'none' });
  });
});

const street = (unitId: string, score: number | null, eligible = true): RankedUnit => ({
  unitId,
  unitKind: 'street',
  score,
  eligible,
});

describe('rectificationTargets', () => {
  it('should take the bottom N of each kind, worst first, ties at the cut all in, ineligible units never', () => {
    const units = [
      street('s-a', 90),
      street('s-b', 70),
      street('s-c', 70),
      street('s-d', 50),
      street('s-e', 10, false),
      { unitId: 'dept-x', unitKind: 'department', score: 60, eligible: true },
      { unitId: 'dept-y', unitKind: 'department', score: 80, eligible: true },
    ];
    expect(rectificationTargets(units, 2).map((t) => t.unitId)).toEqual(['dept-x', 'dept-y', 's-d', 's-b', 's-c']);
    expect(rectificationTargets(units, 1).map((t) => t.unitId)).toEqual(['dept-x', 's-d']);
  });

  it('should refuse a bottom N that is not a positive integer', () => {
    expect(() => rectificationTargets([], 0)).toThrow(RangeError);
  });
});

const hotspot = (month: string, cases: number, streetId: string | null = 's-hubin'): HotspotCount => ({
  month,
  category: 'noise',
  districtId: 'd-donghu',
  streetId,
  cases,
});

describe('proactiveTriggers', () => {
  const rule = { growthThreshold: 3, minimumCount: 5 };
  it.each([
    ['grew by the threshold to the minimum', 5, 2, true],
    ['grew by one less than the threshold', 5, 3, false],
    ['grew enough but stayed under the minimum', 4, 0, false],
    ['is new this month at the minimum', 5, undefined, true],
  ])('when the hotspot %s (%i cases, %p the month before): opens one = %p', (_what, cases, previous, opens) => {
    const hotspots = [hotspot('2026-10', cases), ...(previous === undefined ? [] : [hotspot('2026-09', previous)])];
    const triggers = proactiveTriggers('2026-10', hotspots, rule);
    expect(triggers.length).toBe(opens ? 1 : 0);
    if (opens) expect(triggers[0]).toMatchObject({ ownerUnitId: 's-hubin', cases, previousCases: previous ?? 0 });
  });

  it('should give a place without a street to its district', () => {
    expect(proactiveTriggers('2026-10', [hotspot('2026-10', 9, null)], rule)[0].ownerUnitId).toBe('d-donghu');
  });
});

describe('effectOf', () => {
  it('should list every category × place of the scope, zero where no case came, with the totals', () => {
    const effect = effectOf(
      { categories: ['noise'], places: ['s-b', 's-a'] },
      [{ category: 'noise', place: 's-a', before: 6, since: 2 }],
      { adoptedAt: NOW, months: 3, beforeFrom: '2026-08-02T02:00:00.000Z', asOf: NOW },
    );
    expect(effect.rows).toEqual([
      { category: 'noise', place: 's-a', before: 6, since: 2 },
      { category: 'noise', place: 's-b', before: 0, since: 0 },
    ]);
    expect([effect.before, effect.since]).toEqual([6, 2]);
  });
});

const CATALOGUE: RoutingCatalogue = {
  id: 'qingshan',
  version: '1',
  name: '青山县派单目录',
  categories: [
    {
      id: 'noise',
      name: '噪声扰民',
      kinds: ['complaint'],
      defaultUrgency: 'normal',
      handler: 'locality',
      deadlines: {
        normal: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
        urgent: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
        emergency: { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' },
      },
    },
  ],
};

describe.each(PRESET_IDS)('preset %s: what scores lead to', (id) => {
  const { scoring } = presetFor(id, { cityId: 'qingshan', catalogue: CATALOGUE, districtId: 'qs-east' });

  it(`should give the ${scoring.bottomN} bottom units of a month (bottomN) a rectification item due in ${scoring.rectification?.deadline}`, () => {
    const units = Array.from({ length: scoring.bottomN + 5 }, (_, i) => street(`s-${i}`, 100 - i));
    const targets = rectificationTargets(units, scoring.bottomN);
    expect(targets).toHaveLength(scoring.bottomN);
    expect(targets[0].unitId).toBe(`s-${scoring.bottomN + 4}`);
    expect(scoring.rectification?.deadline).toMatch(/^\d+WD$/);
  });

  it(`should open a proactive item exactly when a hotspot grows by ${scoring.proactive?.growthThreshold} to at least ${scoring.proactive?.minimumCount} cases`, () => {
    const rule = scoring.proactive!;
    const at = (cases: number, previous: number) =>
      proactiveTriggers('2026-10', [hotspot('2026-10', cases), hotspot('2026-09', previous)], rule).length;
    const cases = Math.max(rule.minimumCount, rule.growthThreshold);
    expect(at(cases, cases - rule.growthThreshold)).toBe(1);
    expect(at(cases, cases - rule.growthThreshold + 1)).toBe(0);
    expect(at(rule.minimumCount - 1, 0)).toBe(0);
  });
});

describe("the definition's governance rules (scoring.rectification, scoring.proactive)", () => {
  const errorsOf = (scoring: object) => {
    const result = validateDefinition(
      { ...DEMO_PRESETS.beijing, scoring: { ...DEMO_PRESETS.beijing.scoring, ...scoring } },
      { tree: DEMO_CITY },
    );
    return result.ok ? [] : result.errors.map((error) => `${error.path} ${error.rule}`);
  };

  it('should accept beijing as published, and a definition without either section', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ rectification: undefined, proactive: undefined })).toEqual([]);
  });

  it('should refuse a deadline the calendar cannot lay and a threshold under 1, naming the field', () => {
    expect(errorsOf({ rectification: { deadline: '0WD' } })).toEqual(['/scoring/rectification/deadline duration']);
    expect(errorsOf({ proactive: { growthThreshold: 0, minimumCount: 5, deadline: '5WD' } })).toEqual([
      expect.stringMatching(/^\/scoring\/proactive\/growthThreshold /),
    ]);
    expect(errorsOf({ proactive: { growthThreshold: 3, deadline: '5WD' } })).toEqual([
      expect.stringMatching(/^\/scoring\/proactive/),
    ]);
  });
});
