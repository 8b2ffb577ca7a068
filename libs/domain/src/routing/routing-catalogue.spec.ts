import { DEMO_CITY } from '../org/demo-city';
import { DEADLINE_PRESETS, DEMO_CATALOGUE } from './demo-catalogue';
import { buildRoutingCatalogue, getCategory, validateRoutingCatalogue } from './routing-catalogue';
import { RoutingCatalogue, RoutingCategory } from './routing.types';

const baseCategory: RoutingCategory = {
  id: 'test-category',
  name: '测试类别',
  kinds: ['complaint'],
  defaultUrgency: 'normal',
  handler: 'locality',
  deadlines: DEADLINE_PRESETS.ordinary,
};

const catalogueWith = (...categories: RoutingCategory[]): RoutingCatalogue => ({
  id: 'test',
  version: '1',
  name: '测试目录',
  categories,
});

describe('validateRoutingCatalogue', () => {
  it('should accept a minimal valid catalogue', () => {
    expect(validateRoutingCatalogue(catalogueWith(baseCategory), DEMO_CITY)).toEqual([]);
  });

  it.each<[string, Partial<RoutingCategory>, string]>([
    ['a non-ASCII id', { id: '物业' }, 'id is not an ASCII slug'],
    ['an empty name', { name: '' }, 'empty name'],
    ['no kinds', { kinds: [] }, 'accepts no request kind'],
    ['an unknown kind', { kinds: ['praise' as never] }, "unknown request kind 'praise'"],
    ['an unknown urgency', { defaultUrgency: 'low' as never }, "unknown default urgency 'low'"],
    ['an unknown handler', { handler: 'dept-nowhere' }, "'dept-nowhere' is neither 'locality' nor a department"],
    ['a street as handler', { handler: 's-hubin' }, "'s-hubin' is neither"],
    ['a co-unit repeating the handler', { coUnits: ['locality'] }, 'handler and co-units repeat a unit'],
    [
      'a malformed duration',
      { deadlines: { ...DEADLINE_PRESETS.ordinary, urgent: { sign: '2 hours', contact: 'PT2H', handle: '3WD' } } },
      "urgent sign limit '2 hours' is not a duration",
    ],
    [
      'a zero duration',
      { deadlines: { ...DEADLINE_PRESETS.ordinary, normal: { sign: '1WD', contact: 'PT0H', handle: '7WD' } } },
      "normal contact limit 'PT0H' is not a duration",
    ],
    [
      'a duration in weeks',
      { deadlines: { ...DEADLINE_PRESETS.ordinary, normal: { sign: '1WD', contact: 'PT24H', handle: 'P1W' } } },
      "normal handle limit 'P1W' is not a duration",
    ],
    [
      'a missing urgency',
      { deadlines: { normal: DEADLINE_PRESETS.ordinary.normal } as never },
      "no deadlines for urgency 'emergency'",
    ],
    ['a knowledge answer without consultations', { knowledgeAnswer: '答复' }, 'does not accept consultations'],
  ])('should reject a category with %s', (_title, change, expected) => {
    const problems = validateRoutingCatalogue(catalogueWith({ ...baseCategory, ...change }), DEMO_CITY);
    expect(problems.some((problem) => problem.includes(expected))).toBe(true);
  });

  it('should reject duplicate category ids and an empty catalogue', () => {
    expect(validateRoutingCatalogue(catalogueWith(baseCategory, baseCategory), DEMO_CITY)).toEqual([
      "category 'test-category': id is used more than once",
    ]);
    expect(validateRoutingCatalogue(catalogueWith(), DEMO_CITY)).toEqual(['the catalogue has no categories']);
  });

  it('should throw a coded RoutingError listing every problem from buildRoutingCatalogue', () => {
    const invalid = catalogueWith({ ...baseCategory, handler: 'dept-nowhere', kinds: [] });
    expect(() => buildRoutingCatalogue(invalid, DEMO_CITY)).toThrow(
      expect.objectContaining({ name: 'RoutingError', code: 'invalid-catalogue', problems: expect.any(Array) }),
    );
  });

  it('should return a frozen copy from buildRoutingCatalogue', () => {
    const input = catalogueWith(baseCategory);
    const built = buildRoutingCatalogue(input, DEMO_CITY);
    expect(built).toEqual(input);
    expect(built).not.toBe(input);
    expect(Object.isFrozen(built.categories[0].deadlines.normal)).toBe(true);
  });
});

describe('demo catalogue 示范市派单目录', () => {
  it('should have at least 30 categories with ASCII ids and Chinese names, valid against the demo city', () => {
    expect(DEMO_CATALOGUE.categories.length).toBeGreaterThanOrEqual(30);
    for (const category of DEMO_CATALOGUE.categories) {
      expect(category.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(category.name).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    expect(validateRoutingCatalogue(DEMO_CATALOGUE, DEMO_CITY)).toEqual([]);
  });

  it.each([
    'property-management',
    'old-estate-renovation',
    'back-street-environment',
    'illegal-construction',
    'garbage-sorting',
    'noise-nuisance',
    'night-construction',
    'heating',
    'water-supply',
    'power-supply',
    'gas-supply',
    'parking-management',
    'street-vending',
    'restaurant-fumes',
    'street-lights',
    'manhole-covers',
    'greening',
    'stray-animals',
    'dog-keeping',
    'group-renting',
    'elevator-retrofit',
    'wage-arrears',
    'food-safety',
    'road-damage',
    'shared-bikes',
    'public-toilets',
    'drainage',
    'school-enrollment',
    'medical-services',
    'elderly-care',
  ])('should include the category %s', (id) => {
    expect(getCategory(DEMO_CATALOGUE, id).id).toBe(id);
  });

  it.each<[string, string, string]>([
    ['heating', 'PT24H', 'PT2H'],
    ['water-supply', 'PT24H', 'PT2H'],
    ['property-management', '7WD', '1WD'],
    ['illegal-construction', '15WD', '1WD'],
  ])('should give %s a normal handle limit of %s and sign limit of %s', (id, handle, sign) => {
    const { normal } = getCategory(DEMO_CATALOGUE, id).deadlines;
    expect(normal).toMatchObject({ handle, sign });
  });

  it('should give every category the 2-hour emergency handle limit and a knowledge answer only to consultations', () => {
    for (const category of DEMO_CATALOGUE.categories) {
      expect(category.deadlines.emergency.handle).toBe('PT2H');
      expect(category.deadlines.urgent).toMatchObject({ sign: 'PT2H', contact: 'PT2H' });
      if (category.knowledgeAnswer) expect(category.kinds).toContain('consultation');
    }
  });

  it('should throw unknown-category for an id not in the catalogue', () => {
    expect(() => getCategory(DEMO_CATALOGUE, 'ufo-sighting')).toThrow(
      expect.objectContaining({ name: 'RoutingError', code: 'unknown-category' }),
    );
  });
});
