import { CaseFacts } from '../case/case.types';
import { DEMO_CITY } from '../org/demo-city';
import { OrgError } from '../org/org.types';
import { DEMO_CATALOGUE } from './demo-catalogue';
import { DispatchDecision, evaluateRoute, RouteFacts } from './evaluate-route';
import { RoutingCatalogue, RoutingError } from './routing.types';

type Expected = Pick<DispatchDecision, 'mode' | 'leadUnitId' | 'coUnitIds' | 'copyUnitIds'> &
  Partial<Pick<DispatchDecision, 'urgency' | 'deadlines' | 'enforcementOrMediation'>>;

describe('evaluateRoute', () => {
  it.each<[string, RouteFacts, Expected]>([
    [
      'a locality matter with a known grid directly to its street, copied to its district',
      { category: 'property-management', kind: 'complaint', place: { gridId: 'g-xiyuan-1' } },
      {
        mode: 'direct-to-street',
        leadUnitId: 's-hubin',
        coUnitIds: ['dept-donghu-housing'],
        copyUnitIds: ['d-donghu'],
        urgency: 'normal',
        deadlines: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
        enforcementOrMediation: false,
      },
    ],
    [
      'a locality matter located by point to the township',
      { category: 'back-street-environment', kind: 'report', place: { point: { lat: 39.9552, lng: 116.2581 } } },
      {
        mode: 'direct-to-street',
        leadUnitId: 't-shiqiao',
        coUnitIds: ['dept-city-management'],
        copyUnitIds: ['d-xishan'],
      },
    ],
    [
      'a locality matter with only the district known to the district to coordinate',
      { category: 'noise-nuisance', kind: 'complaint', place: { districtId: 'd-beijiao' } },
      { mode: 'district-coordinate', leadUnitId: 'd-beijiao', coUnitIds: ['dept-ecology'], copyUnitIds: [] },
    ],
    [
      'illegal construction to the street, with district enforcement and city planning as co-units',
      { category: 'illegal-construction', kind: 'report', place: { communityId: 'c-wenhua' } },
      {
        mode: 'direct-to-street',
        leadUnitId: 's-wenchang',
        coUnitIds: ['dept-donghu-urban-management', 'dept-planning'],
        copyUnitIds: ['d-donghu'],
        deadlines: { sign: '1WD', contact: 'PT24H', handle: '15WD' },
        enforcementOrMediation: true,
      },
    ],
    [
      'a department matter to the same-duty department of the district',
      { category: 'food-safety', kind: 'report', place: { streetId: 's-beiyuan' } },
      { mode: 'department', leadUnitId: 'dept-beijiao-market-regulation', coUnitIds: [], copyUnitIds: [] },
    ],
    [
      'a department matter without a place to the city-level department',
      { category: 'food-safety', kind: 'complaint' },
      { mode: 'department', leadUnitId: 'dept-market-regulation', coUnitIds: [], copyUnitIds: [] },
    ],
    [
      'a department matter with an empty place like one without a place',
      { category: 'restaurant-fumes', kind: 'complaint', place: {} },
      { mode: 'department', leadUnitId: 'dept-urban-management', coUnitIds: ['dept-ecology'], copyUnitIds: [] },
    ],
    [
      'a department matter with no district-level counterpart to the city department, with the street as co-unit',
      { category: 'elderly-care', kind: 'help', place: { gridId: 'g-liuhe-1' } },
      { mode: 'department', leadUnitId: 'dept-civil-affairs', coUnitIds: ['t-liuhe'], copyUnitIds: [] },
    ],
    [
      'a department matter whose locality co-unit is the district when only it is known',
      { category: 'drainage', kind: 'help', place: { districtId: 'd-xishan' } },
      { mode: 'department', leadUnitId: 'dept-water', coUnitIds: ['d-xishan'], copyUnitIds: [] },
    ],
    [
      'a department matter dropping the locality co-unit when there is no place',
      { category: 'shared-bikes', kind: 'complaint' },
      { mode: 'department', leadUnitId: 'dept-transport', coUnitIds: [], copyUnitIds: [] },
    ],
    [
      'a utility matter to the company at its default urgency with natural-time limits',
      { category: 'heating', kind: 'complaint', place: { gridId: 'g-songtao-1' } },
      {
        mode: 'department',
        leadUnitId: 'dept-heating-company',
        coUnitIds: [],
        copyUnitIds: [],
        urgency: 'urgent',
        deadlines: { sign: 'PT2H', contact: 'PT2H', handle: 'PT24H' },
      },
    ],
    [
      'a stated emergency with the 2-hour limits',
      { category: 'gas-supply', kind: 'help', urgency: 'emergency' },
      {
        mode: 'department',
        leadUnitId: 'dept-gas-company',
        coUnitIds: [],
        copyUnitIds: [],
        urgency: 'emergency',
        deadlines: { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' },
      },
    ],
    [
      'a stated urgency over the category default',
      { category: 'property-management', kind: 'help', urgency: 'urgent', place: { streetId: 's-xinhua' } },
      {
        mode: 'direct-to-street',
        leadUnitId: 's-xinhua',
        coUnitIds: ['dept-donghu-housing'],
        copyUnitIds: ['d-donghu'],
        urgency: 'urgent',
        deadlines: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
      },
    ],
  ])('should send %s', (_title, facts, expected) => {
    expect(evaluateRoute(DEMO_CATALOGUE, DEMO_CITY, facts)).toMatchObject(expected);
  });

  it('should record the resolved place, the catalogue version and a reason for each step', () => {
    const decision = evaluateRoute(DEMO_CATALOGUE, DEMO_CITY, {
      category: 'property-management',
      kind: 'complaint',
      place: { gridId: 'g-xiyuan-1' },
    });
    expect(decision.place).toEqual({
      gridId: 'g-xiyuan-1',
      communityId: 'c-xiyuan',
      streetId: 's-hubin',
      districtId: 'd-donghu',
    });
    expect(decision.catalogueRef).toBe('demo@1');
    expect(decision.reasons).toEqual([
      'urgency normal by default of category property-management (物业管理)',
      'place resolved to g-xiyuan-1 (西苑社区第一网格) < c-xiyuan (西苑社区) < s-hubin (湖滨街道) < d-donghu (东湖区)',
      'locality matter at the street level: direct dispatch to s-hubin (湖滨街道), copy to d-donghu (东湖区)',
      'dept-housing handled at district level by dept-donghu-housing (东湖区住房和城乡建设委员会)',
      'co-units: dept-donghu-housing',
      'deadlines (normal, from category property-management): sign 1WD, contact PT24H, handle 7WD',
    ]);
  });

  it("should accept a case's recorded facts as they are", () => {
    const facts: CaseFacts = {
      kind: 'complaint',
      category: 'group-renting',
      urgency: 'normal',
      channel: 'hotline',
      place: { communityId: 'c-jintaili' },
    };
    expect(evaluateRoute(DEMO_CATALOGUE, DEMO_CITY, facts)).toMatchObject({
      mode: 'direct-to-street',
      leadUnitId: 's-jintai',
      coUnitIds: ['dept-xishan-housing', 'dept-public-security'],
      copyUnitIds: ['d-xishan'],
      deadlines: { handle: '15WD' },
    });
  });

  it('should never list the lead among the co-units', () => {
    const catalogue: RoutingCatalogue = {
      ...DEMO_CATALOGUE,
      categories: [{ ...DEMO_CATALOGUE.categories[0], id: 'x', handler: 'dept-housing', coUnits: ['dept-housing'] }],
    };
    const decision = evaluateRoute(catalogue, DEMO_CITY, { category: 'x', kind: 'complaint' });
    expect(decision).toMatchObject({ leadUnitId: 'dept-housing', coUnitIds: [] });
  });

  it.each<[string, RouteFacts, typeof RoutingError | typeof OrgError, string]>([
    ['an unknown category', { category: 'ufo-sighting', kind: 'report' }, RoutingError, 'unknown-category'],
    [
      'a kind the category does not accept',
      { category: 'school-enrollment', kind: 'report', place: { districtId: 'd-donghu' } },
      RoutingError,
      'kind-not-applicable',
    ],
    [
      'a locality matter without a place',
      { category: 'noise-nuisance', kind: 'complaint' },
      RoutingError,
      'place-required',
    ],
    [
      'a locality matter with an empty place',
      { category: 'noise-nuisance', kind: 'complaint', place: {} },
      RoutingError,
      'place-required',
    ],
    [
      'an unknown grid',
      { category: 'noise-nuisance', kind: 'complaint', place: { gridId: 'g-nowhere-9' } },
      OrgError,
      'unknown-unit',
    ],
    [
      'a point near no grid',
      { category: 'noise-nuisance', kind: 'complaint', place: { point: { lat: 31.23, lng: 121.47 } } },
      OrgError,
      'place-unresolved',
    ],
  ])('should refuse %s', (_title, facts, errorClass, code) => {
    let thrown: unknown;
    try {
      evaluateRoute(DEMO_CATALOGUE, DEMO_CITY, facts);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errorClass);
    expect(thrown).toMatchObject({ code });
  });
});

describe('evaluateRoute: bodies named by function (function:<slug>)', () => {
  const category = {
    ...DEMO_CATALOGUE.categories[0],
    id: 'village-x',
    kinds: ['help' as const],
    handler: 'function:governance-centre',
    coUnits: ['function:volunteer-mediation'],
  };
  const catalogue: RoutingCatalogue = { ...DEMO_CATALOGUE, categories: [category] };

  it("should give the lead to the place's own body of that function, with no district copy, and its group", () => {
    const decision = evaluateRoute(catalogue, DEMO_CITY, {
      category: 'village-x',
      kind: 'help',
      place: { gridId: 'g-nangou-1' },
    });
    expect(decision).toMatchObject({
      mode: 'body-by-function',
      leadUnitId: 'o-nangou-governance',
      coUnitIds: ['vg-nangou-mediation'],
      copyUnitIds: [],
    });
    expect(decision.reasons).toContain(
      'category village-x is led by the function:governance-centre of the place: o-nangou-governance (南沟村综治中心)',
    );
  });

  it('should drop a co-unit by function when the case has no place, as a locality co-unit is dropped', () => {
    const led: RoutingCatalogue = { ...catalogue, categories: [{ ...category, handler: 'dept-civil-affairs' }] };
    const decision = evaluateRoute(led, DEMO_CITY, { category: 'village-x', kind: 'help' });
    expect(decision).toMatchObject({ leadUnitId: 'dept-civil-affairs', coUnitIds: [] });
  });

  it.each<[string, RouteFacts, string]>([
    ['a lead by function without a place', { category: 'village-x', kind: 'help' }, 'place-required'],
    [
      'a place with no such body at or above it',
      { category: 'village-x', kind: 'help', place: { communityId: 'c-xiyuan' } },
      'no-office',
    ],
  ])('should refuse %s', (_title, facts, code) => {
    expect(() => evaluateRoute(catalogue, DEMO_CITY, facts)).toThrow(expect.objectContaining({ code }));
  });
});
