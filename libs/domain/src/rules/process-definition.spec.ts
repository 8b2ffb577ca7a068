import { DEFAULT_DUPLICATE_RADIUS_METERS, DEFAULT_REPEAT_POLICY } from '../intake/duplicate';
import { BEIJING_LIFECYCLE_RULES } from '../lifecycle/presets';
import { DEMO_CATALOGUE } from '../routing/demo-catalogue';
import { ladderChain, ladderCommitteeLevels, ProcessDefinition, toLifecycleRules } from './process-definition';
import { DEMO_PRESETS as PRESETS } from '../../../persistence/src/seed/demo-presets';
import { PRESET_IDS } from './presets';

const gradeOf = (definition: ProcessDefinition, id: string) =>
  definition.whistle.grades.find((grade) => grade.id === id);
const rungIds = (definition: ProcessDefinition) => ladderChain(definition.lifecycle.ladder).map((rung) => rung.id);

describe('toLifecycleRules', () => {
  it('should give BEIJING_LIFECYCLE_RULES plus the ladder as rungs for the beijing preset', () => {
    const { rungs, command, dispatch, suspension, accountability, ...rest } = toLifecycleRules(PRESETS.beijing);
    expect(rest).toStrictEqual(BEIJING_LIFECYCLE_RULES);
    // Cases pinned before the accountability step (BEIJING_LIFECYCLE_RULES) close flagged at once; the preset's go on.
    expect(accountability).toEqual({ target: 'discipline-office', deadline: '10WD', role: 'handler' });
    expect(suspension).toEqual({ reasonIds: ['awaiting-citizen'] });
    expect([command, dispatch]).toEqual(['city', { localityLevel: 'street', copyToDistrict: true }]);
    expect(rungs).toEqual([
      {
        id: 'community',
        name: '社区协调委员会',
        body: { committee: 'community' },
        deadline: '3WD',
        role: 'coordinator',
        actions: ['instruct', 'reassign'],
      },
      {
        id: 'street',
        name: '街道（乡镇）协调委员会',
        body: { committee: 'street' },
        deadline: '5WD',
        role: 'coordinator',
        actions: ['instruct', 'reassign'],
      },
      {
        id: 'district',
        name: '区协调委员会',
        body: { committee: 'district' },
        deadline: '7WD',
        role: 'coordinator',
        actions: ['instruct', 'reassign'],
      },
      {
        id: 'city',
        name: '市级挂牌督办',
        body: { serviceCentre: true },
        supervision: 'posted',
        role: 'operator',
        actions: ['instruct', 'reassign', 'convene'],
      },
    ]);
  });

  it.each(PRESET_IDS)('should give the %s preset’s ladder to the lifecycle rung by rung, in climbing order', (id) => {
    const rules = toLifecycleRules(PRESETS[id]);
    const chain = ladderChain(PRESETS[id].lifecycle.ladder);
    expect(rules.rungs?.map((rung) => rung.id)).toEqual(chain.map((rung) => rung.id));
    expect(rules.rungs?.map((rung) => rung.deadline)).toEqual(chain.map((rung) => rung.deadline));
    expect(rules.rungs?.at(-1)?.deadline).toBeUndefined();
  });

  it.each(PRESET_IDS)('should carry the %s preset’s grades, whistlers and lifecycle limits', (id) => {
    const definition = PRESETS[id];
    const rules = toLifecycleRules(definition);
    expect(Object.keys(rules.whistle.grades)).toEqual(definition.whistle.grades.map((grade) => grade.id));
    expect(rules.whistle.whistlerKinds).toEqual(definition.whistle.whistlers.map((rule) => rule.kind));
    expect(rules.returnWindow).toBe(definition.lifecycle.returnWindow);
    expect(rules.rehandle).toEqual(definition.lifecycle.rehandle);
    for (const rung of ladderChain(definition.lifecycle.ladder)) {
      if (rung.coordinator.committee && rung.deadline) {
        expect(rules.ladder[rung.coordinator.committee]).toBe(rung.deadline);
      }
    }
  });

  it("should give a committee level the ladder skips the last timed rung's deadline", () => {
    // nanjing climbs the street committee 3WD → district command 5WD → city command: one committee rung.
    expect(toLifecycleRules(PRESETS.nanjing).ladder).toEqual({ community: '5WD', street: '3WD', district: '5WD' });
    expect(ladderCommitteeLevels(PRESETS.nanjing)).toEqual(['street']);
  });

  it('should fall back to the supervision step when no rung is timed', () => {
    const definition: ProcessDefinition = {
      ...PRESETS.beijing,
      lifecycle: {
        ...PRESETS.beijing.lifecycle,
        ladder: { rungs: [{ id: 'city', name: '市级督办', coordinator: { serviceCentre: true } }] },
      },
    };
    expect(toLifecycleRules(definition).ladder).toEqual({ community: '5WD', street: '5WD', district: '5WD' });
  });
});

describe('ladderChain', () => {
  it('should order rungs by next, whatever their order in the document', () => {
    const rungs = [...PRESETS.beijing.lifecycle.ladder.rungs].reverse();
    expect(ladderChain({ rungs }).map((rung) => rung.id)).toEqual(['community', 'street', 'district', 'city']);
  });

  it('should stop at a loop instead of running forever', () => {
    const rungs = [
      { id: 'a', name: 'A', coordinator: { committee: 'community' as const }, deadline: '1WD', next: 'b' },
      { id: 'b', name: 'B', coordinator: { committee: 'street' as const }, deadline: '1WD', next: 'a' },
    ];
    expect(ladderChain({ rungs })).toEqual([]);
  });
});

describe('the presets', () => {
  it('should be keyed by their own ids, deeply frozen', () => {
    expect(Object.keys(PRESETS)).toEqual([...PRESET_IDS]);
    for (const id of PRESET_IDS) {
      expect(PRESETS[id].id).toBe(id);
      expect(Object.isFrozen(PRESETS[id].whistle.grades[0])).toBe(true);
    }
  });

  it('should give beijing the demo catalogue, the intake defaults and our scoring defaults', () => {
    const { routing, intake, scoring, dispatch } = PRESETS.beijing;
    expect(routing).toBe(DEMO_CATALOGUE);
    expect(intake.duplicateRadiusMeters).toBe(DEFAULT_DUPLICATE_RADIUS_METERS);
    expect(intake.repeat).toEqual(DEFAULT_REPEAT_POLICY);
    expect(scoring).toMatchObject({ weights: { response: 30, resolution: 35, satisfaction: 35 }, minimumSample: 10 });
    expect(scoring.bottomN).toBe(10);
    expect(dispatch).toEqual({ localityLevel: 'street', copyToDistrict: true, command: 'city' });
  });

  it('should make pinggu departments report within 30 minutes to a red enforcement whistle, stay and face a veto', () => {
    const { whistle } = PRESETS.pinggu;
    expect(gradeOf(PRESETS.pinggu, 'red')).toMatchObject({
      reportLimit: 'PT30M',
      triggers: ['joint-enforcement', 'emergency-response'],
    });
    expect(whistle.stayUntilDone).toBe(true);
    expect(whistle.rating).toEqual({ required: true, veto: true });
    expect(whistle.whistlers.map((rule) => rule.kind)).toEqual(['township', 'street']);
    expect(PRESETS.beijing.whistle.stayUntilDone).toBe(false);
  });

  it('should make the ningbo-dl community whistle answered by the street, on a grid → community → street ladder', () => {
    const definition = PRESETS['ningbo-dl'];
    expect(definition.whistle.whistlers).toContainEqual({ kind: 'community', answeredBy: 'street' });
    expect(definition.dispatch.localityLevel).toBe('grid');
    expect(ladderCommitteeLevels(definition)).toEqual(['community', 'street']);
    expect(rungIds(definition)).toEqual(['grid', 'community', 'street']);
  });

  it('should send a second suyu dissatisfaction to the discipline office and audit a fifth of closed cases', () => {
    const { lifecycle } = PRESETS.suyu;
    expect(lifecycle.rehandle.maxCount).toBe(1);
    expect(lifecycle.accountability).toEqual({ target: 'discipline-office', deadline: '10WD', role: 'handler' });
    expect(lifecycle.callback.maxAttempts).toBe(5);
    expect(toLifecycleRules(PRESETS.suyu).callback.audit).toEqual({
      fraction: 0.2,
      sampling: 'case-number-hash',
      deadline: '5WD',
      flagEffect: 'audit-answer',
    });
    expect(PRESETS.beijing.lifecycle.callback.audit).toBeUndefined();
  });

  it('should give jinan 5 working days and the hotline → city government office → executive meeting ladder', () => {
    const ordinary = PRESETS.jinan.routing.categories.find((category) => category.id === 'property-management');
    expect(ordinary?.deadlines.normal.handle).toBe('5WD');
    expect(rungIds(PRESETS.jinan)).toEqual(['hotline-convenes', 'city-government-office', 'executive-meeting']);
    expect(ladderCommitteeLevels(PRESETS.jinan)).toEqual([]);
  });

  it('should give nanjing two-level command and rapid multi-department joint action on patrol findings', () => {
    const definition = PRESETS.nanjing;
    expect(definition.dispatch.command).toBe('city-and-district');
    expect(gradeOf(definition, 'rapid')).toMatchObject({ reportLimit: 'PT1H', triggers: ['patrol-finding'] });
    expect(definition.whistle.maxDepartments).toBeGreaterThan(PRESETS.beijing.whistle.maxDepartments);
    expect(definition.routing.categories.map((category) => category.id)).toContain('patrol-joint-action');
  });

  it('should let only malu’s community layer whistle, under the town', () => {
    const definition = PRESETS.malu;
    expect(definition.whistle.whistlers.map((rule) => rule.kind)).toEqual(['community', 'village']);
    expect(definition.dispatch.localityLevel).toBe('community');
    expect(rungIds(definition)).toEqual(['village-residence', 'community-layer', 'town']);
  });
});
