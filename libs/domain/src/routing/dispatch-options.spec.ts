import { DEMO_CITY } from '../org/demo-city';
import { DEMO_CATALOGUE } from './demo-catalogue';
import { DispatchOptions, evaluateRoute, RouteFacts } from './evaluate-route';
import { validateRoutingCatalogue } from './routing-catalogue';
import { RoutingCatalogue, RoutingCategory } from './routing.types';

const propertyAt = (place: RouteFacts['place']): RouteFacts => ({
  category: 'property-management',
  kind: 'complaint',
  place,
});
const grid = { gridId: 'g-xiyuan-1' };
const community = { communityId: 'c-xiyuan' };

describe('dispatch as the process definition says', () => {
  it.each<[string, RouteFacts, DispatchOptions, { mode: string; leadUnitId: string; copyUnitIds: string[] }]>([
    [
      'the street by default, copied to the district',
      propertyAt(grid),
      {},
      { mode: 'direct-to-street', leadUnitId: 's-hubin', copyUnitIds: ['d-donghu'] },
    ],
    [
      'the community when the definition dispatches to communities, without a copy when it says so',
      propertyAt(grid),
      { localityLevel: 'community', copyToDistrict: false },
      { mode: 'direct-to-community', leadUnitId: 'c-xiyuan', copyUnitIds: [] },
    ],
    [
      'the grid when the definition dispatches to grids',
      propertyAt(grid),
      { localityLevel: 'grid', copyToDistrict: true },
      { mode: 'direct-to-grid', leadUnitId: 'g-xiyuan-1', copyUnitIds: ['d-donghu'] },
    ],
    [
      'the nearest coarser level the place names when it names no grid',
      propertyAt(community),
      { localityLevel: 'grid', copyToDistrict: false },
      { mode: 'direct-to-community', leadUnitId: 'c-xiyuan', copyUnitIds: [] },
    ],
    [
      'the district to coordinate when only the district is known, whatever the level',
      propertyAt({ districtId: 'd-donghu' }),
      { localityLevel: 'grid' },
      { mode: 'district-coordinate', leadUnitId: 'd-donghu', copyUnitIds: [] },
    ],
  ])('should send a locality matter to %s', (_title, facts, options, expected) => {
    expect(evaluateRoute(DEMO_CATALOGUE, DEMO_CITY, facts, options)).toMatchObject(expected);
  });

  it("should let a category's own locality level win over the definition's", () => {
    const catalogue = withCategory('property-management', { localityLevel: 'community' });
    const decision = evaluateRoute(catalogue, DEMO_CITY, propertyAt(grid), { localityLevel: 'street' });
    expect([decision.mode, decision.leadUnitId]).toEqual(['direct-to-community', 'c-xiyuan']);
  });
});

describe('deadlines by request kind', () => {
  const ordinary = { sign: '1WD', contact: 'PT24H', handle: '7WD' };
  const byKind = (handle: string) => ({ sign: '1WD', contact: 'PT24H', handle });
  // Guangdong's figures by kind at the catalogue level; one category with its own figure for complaints.
  const catalogue: RoutingCatalogue = {
    ...withCategory('property-management', { kindDeadlines: { complaint: { normal: byKind('12WD') } } }),
    kindDeadlines: {
      consultation: { normal: byKind('2WD') },
      help: { normal: byKind('10WD') },
      complaint: { normal: byKind('15WD') },
    },
  };

  it.each<[string, RouteFacts, string]>([
    ['the category’s own figure for its kind first', { ...propertyAt(grid), kind: 'complaint' }, '12WD'],
    ['then the catalogue’s figure for the kind', { ...propertyAt(grid), kind: 'help' }, '10WD'],
    ['then the category’s figure when neither names the kind', { ...propertyAt(grid), kind: 'suggestion' }, '7WD'],
    [
      'the catalogue’s figure for another category',
      { category: 'noise-nuisance', kind: 'complaint', place: grid },
      '15WD',
    ],
    ['the category’s figure for another urgency', { ...propertyAt(grid), kind: 'complaint', urgency: 'urgent' }, ''],
  ])('should take %s', (_title, facts, handle) => {
    const decision = evaluateRoute(catalogue, DEMO_CITY, facts);
    const fallback = DEMO_CATALOGUE.categories.find((c) => c.id === facts.category)!.deadlines[decision.urgency];
    expect(decision.deadlines.handle).toBe(handle || fallback.handle);
    expect(ordinary.handle).toBe('7WD');
  });

  it.each<[string, RoutingCatalogue, RegExp]>([
    [
      'a category entry for a kind the category does not accept',
      withCategory('property-management', { kindDeadlines: { report: { normal: ordinary } } }),
      /property-management.*'report' can never apply/,
    ],
    [
      'an unknown kind',
      { ...DEMO_CATALOGUE, kindDeadlines: { petition: { normal: ordinary } } as never },
      /unknown request kind 'petition'/,
    ],
    [
      'a limit that is not a duration',
      { ...DEMO_CATALOGUE, kindDeadlines: { complaint: { normal: { ...ordinary, handle: '7 days' } } } },
      /complaint normal handle limit is not a duration/,
    ],
    [
      'a locality level on a department-led category',
      withCategory('heating', { localityLevel: 'grid' }),
      /heating.*locality level/,
    ],
  ])('should refuse %s', (_title, candidate, problem) => {
    expect(validateRoutingCatalogue(candidate, DEMO_CITY).join('\n')).toMatch(problem);
  });
});

function withCategory(id: string, changes: Partial<RoutingCategory>): RoutingCatalogue {
  return {
    ...DEMO_CATALOGUE,
    categories: DEMO_CATALOGUE.categories.map((category) =>
      category.id === id ? { ...category, ...changes } : category,
    ),
  };
}
