import { DEMO_CITY } from '../org/demo-city';
import { validateRoutingCatalogue } from '../routing/routing-catalogue';
import { parseDuration } from '../calendar/duration';
import { ProcessDefinition } from './process-definition';
import { DEMO_PRESETS as PRESETS } from '../../../persistence/src/seed/demo-presets';
import { PRESET_IDS } from './presets';
import { DefinitionContext, DefinitionError, mayOutlast, validateDefinition } from './validate-definition';

type Editable<T> = T extends readonly (infer U)[]
  ? Editable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Editable<T[K]> }
    : T;
type Doc = Editable<ProcessDefinition>;

/** A fresh, editable JSON copy of a preset. */
const copyOf = (id: keyof typeof PRESETS = 'beijing'): Doc => JSON.parse(JSON.stringify(PRESETS[id])) as Doc;

/** Sets a field the type does not allow (a wrong type, an unknown field). */
const put = (target: object, key: string, value: unknown): void => {
  (target as Record<string, unknown>)[key] = value;
};
const drop = (target: object, key: string): void => {
  delete (target as Record<string, unknown>)[key];
};

const errorsOf = (doc: unknown, context: DefinitionContext = { tree: DEMO_CITY }): DefinitionError[] => {
  const result = validateDefinition(doc, context);
  return result.ok ? [] : result.errors;
};
const pathsAndRules = (errors: DefinitionError[]) => errors.map(({ path, rule }) => ({ path, rule }));

describe('validateDefinition', () => {
  it.each(PRESET_IDS)('should accept the %s preset against the demo city', (id) => {
    expect(errorsOf(PRESETS[id])).toEqual([]);
  });

  it.each(PRESET_IDS)('should find no problem the catalogue validator finds in the %s preset', (id) => {
    expect(validateRoutingCatalogue(PRESETS[id].routing, DEMO_CITY)).toEqual([]);
  });

  it('should return a deeply frozen copy of a valid document', () => {
    const doc = copyOf();
    const result = validateDefinition(doc, { tree: DEMO_CITY });
    if (!result.ok) throw new Error('expected the beijing copy to be valid');
    expect(result.definition).toEqual(doc);
    expect(result.definition).not.toBe(doc);
    expect(Object.isFrozen(result.definition.lifecycle.ladder.rungs[0])).toBe(true);
  });

  it('should return every error of a document with many mistakes at once, each with its path', () => {
    const doc = copyOf();
    doc.lifecycle.returnWindow = '2 days';
    doc.lifecycle.reminderFraction = 1;
    doc.lifecycle.ladder.rungs[3] = { ...doc.lifecycle.ladder.rungs[3], deadline: '1WD', next: 'community' };
    put(doc.whistle.grades[0], 'colour', 'blue');
    drop(doc.whistle.grades[1], 'reportLimit');
    doc.routing.categories[0].coUnits = ['s-hubin'];
    doc.routing.categories[3].handler = 'dept-nowhere';
    doc.scoring.weights.response = 25;

    expect(errorsOf(doc)).toEqual([
      {
        path: '/lifecycle/returnWindow',
        rule: 'duration',
        message: expect.stringContaining('Invalid duration "2 days"') as string,
      },
      { path: '/lifecycle/reminderFraction', rule: 'exclusive-maximum', message: 'must be less than 1; got 1' },
      {
        path: '/whistle/grades/0/colour',
        rule: 'unknown-field',
        message: "unknown field 'colour' (allowed: id, name, description, reportLimit, triggers, types)",
      },
      { path: '/whistle/grades/1/reportLimit', rule: 'required', message: "'reportLimit' is required" },
      {
        path: '/routing/categories/0/coUnits/0',
        rule: 'not-a-department',
        message: "'s-hubin' is a street; use 'locality' or a department",
      },
      {
        path: '/routing/categories/3/handler',
        rule: 'unknown-unit',
        message: "no unit 'dept-nowhere' in the org tree (use 'locality' or a department)",
      },
      {
        path: '/lifecycle/ladder/rungs/3/next',
        rule: 'ladder-cycle',
        message: 'the ladder loops (community → street → district → city → community) and never ends',
      },
      {
        path: '/scoring/weights',
        rule: 'weights-sum',
        message: 'weights must sum to 100; response 25 + resolution 35 + satisfaction 35 = 95',
      },
    ]);
  });

  it.each<[string, (doc: Doc) => void, Array<{ path: string; rule: string }>]>([
    // Structure: types, required fields, enums, bounds, unknown fields.
    ['an unknown top-level field', (doc) => put(doc, 'colour', 'red'), [{ path: '/colour', rule: 'unknown-field' }]],
    [
      'an unknown field in a rung',
      (doc) => put(doc.lifecycle.ladder.rungs[0], 'deadlne', '3WD'),
      [{ path: '/lifecycle/ladder/rungs/0/deadlne', rule: 'unknown-field' }],
    ],
    ['another schema version', (doc) => put(doc, 'schemaVersion', 2), [{ path: '/schemaVersion', rule: 'const' }]],
    ['a missing section', (doc) => drop(doc, 'scoring'), [{ path: '/scoring', rule: 'required' }]],
    [
      'a number written as text',
      (doc) => put(doc.whistle, 'maxDepartments', '6'),
      [{ path: '/whistle/maxDepartments', rule: 'type' }],
    ],
    [
      'an unknown locality level',
      (doc) => put(doc.dispatch, 'localityLevel', 'town'),
      [{ path: '/dispatch/localityLevel', rule: 'enum' }],
    ],
    ['a non-slug id', (doc) => (doc.id = 'Beijing 2'), [{ path: '/id', rule: 'pattern' }]],
    [
      'a blank name',
      (doc) => (doc.routing.categories[2].name = '  '),
      [{ path: '/routing/categories/2/name', rule: 'pattern' }],
    ],
    [
      'a repeated request kind',
      (doc) => (doc.routing.categories[1].kinds = ['complaint', 'complaint']),
      [{ path: '/routing/categories/1/kinds/1', rule: 'unique-items' }],
    ],
    ['no categories', (doc) => (doc.routing.categories = []), [{ path: '/routing/categories', rule: 'min-items' }]],
    [
      'a reminder fraction of 1',
      (doc) => (doc.lifecycle.reminderFraction = 1),
      [{ path: '/lifecycle/reminderFraction', rule: 'exclusive-maximum' }],
    ],
    [
      'a reminder fraction of 0',
      (doc) => (doc.lifecycle.reminderFraction = 0),
      [{ path: '/lifecycle/reminderFraction', rule: 'exclusive-minimum' }],
    ],
    [
      'a grade without a report limit',
      (doc) => drop(doc.whistle.grades[2], 'reportLimit'),
      [{ path: '/whistle/grades/2/reportLimit', rule: 'required' }],
    ],
    // Durations.
    [
      'a bad duration',
      (doc) => (doc.lifecycle.callback.window = '2 days'),
      [{ path: '/lifecycle/callback/window', rule: 'duration' }],
    ],
    [
      'a rung deadline of zero',
      (doc) => (doc.lifecycle.ladder.rungs[1].deadline = '0WD'),
      [{ path: '/lifecycle/ladder/rungs/1/deadline', rule: 'duration' }],
    ],
    [
      'a duration in weeks',
      (doc) => (doc.routing.categories[0].deadlines.normal.handle = 'P1W'),
      [{ path: '/routing/categories/0/deadlines/normal/handle', rule: 'duration' }],
    ],
    [
      'a duration with spaces',
      (doc) => (doc.lifecycle.returnWindow = ' 2WD'),
      [{ path: '/lifecycle/returnWindow', rule: 'duration' }],
    ],
    // Units of the org tree.
    [
      'an unknown handler',
      (doc) => (doc.routing.categories[5].handler = 'dept-nowhere'),
      [{ path: '/routing/categories/5/handler', rule: 'unknown-unit' }],
    ],
    [
      'a community as handler',
      (doc) => (doc.routing.categories[5].handler = 'c-xiyuan'),
      [{ path: '/routing/categories/5/handler', rule: 'not-a-department' }],
    ],
    [
      'a co-unit repeating the handler',
      (doc) => (doc.routing.categories[0].coUnits = ['locality']),
      [{ path: '/routing/categories/0/coUnits/0', rule: 'duplicate-unit' }],
    ],
    [
      'an unknown city',
      (doc) => (doc.jurisdiction.cityId = 'city-nowhere'),
      [{ path: '/jurisdiction/cityId', rule: 'unknown-unit' }],
    ],
    [
      'a street as jurisdiction district',
      (doc) => (doc.jurisdiction.districtId = 's-hubin'),
      [{ path: '/jurisdiction/districtId', rule: 'wrong-kind' }],
    ],
    [
      "another district's department under a district jurisdiction",
      (doc) => {
        doc.jurisdiction.districtId = 'd-beijiao';
        doc.routing.categories[0].coUnits = ['dept-donghu-housing'];
      },
      [{ path: '/routing/categories/0/coUnits/0', rule: 'outside-jurisdiction' }],
    ],
    // Catalogue semantics.
    [
      'a repeated category id',
      (doc) => (doc.routing.categories[4].id = doc.routing.categories[1].id),
      [{ path: '/routing/categories/4/id', rule: 'duplicate-id' }],
    ],
    [
      'a knowledge answer on a category without consultations',
      (doc) => (doc.routing.categories[0].kinds = ['complaint']),
      [{ path: '/routing/categories/0/knowledgeAnswer', rule: 'knowledge-answer-without-consultation' }],
    ],
    [
      'a working-day sign limit against a 24-hour handle limit',
      (doc) => {
        const utility = doc.routing.categories.find((category) => category.deadlines.normal.handle === 'PT24H');
        if (!utility) throw new Error('the demo catalogue has utility categories');
        utility.deadlines = { ...utility.deadlines, normal: { sign: '1WD', contact: 'PT2H', handle: 'PT24H' } };
        doc.routing.categories = [utility];
      },
      [{ path: '/routing/categories/0/deadlines/normal/sign', rule: 'limit-after-handle' }],
    ],
    // The ladder.
    [
      'a ladder without its final rung',
      (doc) => doc.lifecycle.ladder.rungs.pop(),
      [
        { path: '/lifecycle/ladder/rungs/2/next', rule: 'unknown-rung' },
        { path: '/lifecycle/ladder/rungs', rule: 'ladder-no-end' },
      ],
    ],
    [
      'a rung leading to itself',
      (doc) => (doc.lifecycle.ladder.rungs[1].next = 'street'),
      [{ path: '/lifecycle/ladder/rungs/1/next', rule: 'ladder-cycle' }],
    ],
    [
      'two rungs leading to the same rung',
      (doc) => (doc.lifecycle.ladder.rungs[0].next = 'district'),
      [{ path: '/lifecycle/ladder/rungs/1/next', rule: 'ladder-branch' }],
    ],
    [
      'a rung off the chain',
      (doc) => doc.lifecycle.ladder.rungs.push({ id: 'extra', name: '额外', coordinator: { unitId: 'city-demo' } }),
      [{ path: '/lifecycle/ladder/rungs/4', rule: 'ladder-unreachable' }],
    ],
    [
      'committees climbing down',
      (doc) => (doc.lifecycle.ladder.rungs[2].coordinator = { committee: 'community' }),
      [{ path: '/lifecycle/ladder/rungs/2/coordinator/committee', rule: 'ladder-order' }],
    ],
    [
      'a rung with two coordinators',
      (doc) => (doc.lifecycle.ladder.rungs[0].coordinator = { committee: 'community', unitId: 'centre-12345' }),
      [{ path: '/lifecycle/ladder/rungs/0/coordinator', rule: 'coordinator' }],
    ],
    [
      'a grid coordinating a rung',
      (doc) => (doc.lifecycle.ladder.rungs[3].coordinator = { unitId: 'g-xiyuan-1' }),
      [{ path: '/lifecycle/ladder/rungs/3/coordinator/unitId', rule: 'wrong-kind' }],
    ],
    [
      'a final rung with a deadline',
      (doc) => (doc.lifecycle.ladder.rungs[3].deadline = '5WD'),
      [{ path: '/lifecycle/ladder/rungs/3/deadline', rule: 'final-deadline' }],
    ],
    [
      'a rung that climbs without a deadline',
      (doc) => drop(doc.lifecycle.ladder.rungs[0], 'deadline'),
      [{ path: '/lifecycle/ladder/rungs/0/deadline', rule: 'deadline-required' }],
    ],
    [
      'a repeated rung id',
      (doc) => (doc.lifecycle.ladder.rungs[3].id = 'street'),
      [
        { path: '/lifecycle/ladder/rungs/3/id', rule: 'duplicate-id' },
        // The renamed rung no longer answers to 'city'.
        { path: '/lifecycle/ladder/rungs/2/next', rule: 'unknown-rung' },
      ],
    ],
    // Whistle, intake, scoring, suspension.
    [
      'a grade for a trigger the whistle does not allow',
      (doc) => (doc.whistle.grades[0].triggers = ['patrol-finding']),
      [{ path: '/whistle/grades/0/triggers/0', rule: 'unknown-trigger' }],
    ],
    [
      'two rules for one whistler kind',
      (doc) => doc.whistle.whistlers.push({ kind: 'street', answeredBy: 'departments' }),
      [{ path: '/whistle/whistlers/4/kind', rule: 'duplicate-kind' }],
    ],
    [
      'a street whistle answered by the street',
      (doc) => (doc.whistle.whistlers[0].answeredBy = 'street'),
      [{ path: '/whistle/whistlers/0/answeredBy', rule: 'answered-by' }],
    ],
    [
      'a veto without ratings',
      (doc) => {
        doc.whistle.rating = { required: false, veto: true };
        doc.scoring.doubleAssessment = false;
      },
      [{ path: '/whistle/rating/veto', rule: 'veto-without-rating' }],
    ],
    [
      'a double assessment without ratings',
      (doc) => (doc.whistle.rating.required = false),
      [{ path: '/scoring/doubleAssessment', rule: 'double-assessment-without-rating' }],
    ],
    [
      'repeat thresholds out of order',
      (doc) => (doc.intake.repeat = { elevatedAt: 3, highAt: 2, supervisionAt: 5 }),
      [{ path: '/intake/repeat/highAt', rule: 'repeat-order' }],
    ],
    [
      'weights summing to 101',
      (doc) => (doc.scoring.weights.satisfaction = 36),
      [{ path: '/scoring/weights', rule: 'weights-sum' }],
    ],
    [
      'a negative weight',
      (doc) => (doc.scoring.weights = { response: -10, resolution: 55, satisfaction: 55 }),
      [{ path: '/scoring/weights/response', rule: 'minimum' }],
    ],
    [
      'suspension allowed without reasons',
      (doc) => (doc.lifecycle.suspension = { reasons: [] }),
      [{ path: '/lifecycle/suspension/reasons', rule: 'suspension-reasons' }],
    ],
    [
      'accountability taken up by an office the org tree does not have',
      (doc) => (doc.lifecycle.accountability = { target: 'mayor-office', deadline: '10WD' }),
      [{ path: '/lifecycle/accountability/target', rule: 'accountability-target' }],
    ],
    [
      'accountability without a deadline for the office to decide',
      (doc) => (doc.lifecycle.accountability = { target: 'discipline-office' } as never),
      [{ path: '/lifecycle/accountability/deadline', rule: 'required' }],
    ],
    [
      'an audit call-back share of 0',
      (doc) =>
        (doc.lifecycle.callback.audit = {
          fraction: 0,
          sampling: 'case-number-hash',
          deadline: '5WD',
          flagEffect: 'audit-answer',
        }),
      [{ path: '/lifecycle/callback/audit/fraction', rule: 'exclusive-minimum' }],
    ],
    [
      'an audit call-back with a sampling or flag effect nothing carries out',
      (doc) =>
        (doc.lifecycle.callback.audit = {
          fraction: 0.1,
          sampling: 'random' as never,
          deadline: '5 days',
          flagEffect: 'deduct-points' as never,
        }),
      [
        { path: '/lifecycle/callback/audit/sampling', rule: 'enum' },
        { path: '/lifecycle/callback/audit/deadline', rule: 'duration' },
        { path: '/lifecycle/callback/audit/flagEffect', rule: 'enum' },
      ],
    ],
  ])('should reject %s', (_title, change, expected) => {
    const doc = copyOf();
    change(doc);
    const errors = errorsOf(doc);
    expect(pathsAndRules(errors)).toEqual(expected);
    for (const error of errors) expect(error.message).toMatch(/\S{3}/);
  });

  it('should accept suspension forbidden without reasons', () => {
    const doc = copyOf();
    doc.lifecycle.suspension = { maxCount: 0, reasons: [] };
    expect(errorsOf(doc)).toEqual([]);
  });

  it('should reject a calendar the platform does not have, when told which it has', () => {
    expect(pathsAndRules(errorsOf(copyOf(), { tree: DEMO_CITY, calendarIds: ['cn-hk'] }))).toEqual([
      { path: '/calendarId', rule: 'unknown-calendar' },
    ]);
    expect(validateDefinition(copyOf(), { tree: DEMO_CITY, calendarIds: ['cn-mainland'] }).ok).toBe(true);
  });

  it.each<[string, unknown]>([
    ['text', 'beijing'],
    ['null', null],
    ['an array', []],
  ])('should reject %s as a document with one error at the root', (_title, doc) => {
    expect(pathsAndRules(errorsOf(doc))).toEqual([{ path: '', rule: 'type' }]);
  });

  it('should escape / and ~ in the paths of unknown fields', () => {
    const doc = copyOf();
    put(doc.intake, 'a/b~c', 1);
    expect(pathsAndRules(errorsOf(doc))).toEqual([{ path: '/intake/a~1b~0c', rule: 'unknown-field' }]);
  });
});

describe('mayOutlast', () => {
  it.each<[string, string, boolean]>([
    ['1WD', 'PT24H', true], // a Friday-evening case: the working day ends on Monday
    ['4WH', 'PT24H', true],
    ['PT2H', '7WD', false],
    ['PT24H', '7WD', false],
    ['PT24H', '1WD', true], // 1WD can be as short as 18 hours
    ['PT18H', '1WD', false],
    ['1WD', '7WD', false],
    ['3WD', '2WD', true],
    ['4WH', '1WD', false],
    ['8WH', '1WD', true],
    ['1WD', '15WH', false],
    ['1WD', '4WH', true],
    ['PT2H', 'PT2H', false],
    ['PT3H', 'PT2H', true],
  ])('should say whether %s can end after %s: %s', (a, b, expected) => {
    expect(mayOutlast(parseDuration(a), parseDuration(b))).toBe(expected);
  });
});
