import { DEMO_CITY } from './demo-city';
import { ancestorsOf, bodyFor, buildOrgTree, childrenOf, committeeFor, findUnit, getUnit, officeFor } from './org-tree';
import { CommitteeLevel, OrgError, OrgUnit } from './org.types';

/** A minimal valid tree: city → district → street → community → grid, with committees and a department. */
function smallTree(): OrgUnit[] {
  return [
    { id: 'city-x', kind: 'city', name: '测试市', parentId: null },
    { id: 'd-a', kind: 'district', name: '甲区', parentId: 'city-x' },
    { id: 's-a', kind: 'street', name: '甲街道', parentId: 'd-a' },
    { id: 'c-a', kind: 'community', name: '甲社区', parentId: 's-a' },
    { id: 'g-a-1', kind: 'grid', name: '甲社区第一网格', parentId: 'c-a', centroid: { lat: 39.9, lng: 116.4 } },
    { id: 'dept-x', kind: 'department', name: '市某局', parentId: 'city-x', duty: 'x' },
    { id: 'cc-s-a', kind: 'committee', name: '甲街道协调委员会', parentId: 's-a', level: 'street', localityId: 's-a' },
  ];
}

/**
 * A minimal county (县): the county root with a township directly under it (no district level), a village and its
 * grid, committees at every level, a county department, offices and the county's 12345 centre.
 */
function countyTree(): OrgUnit[] {
  return [
    { id: 'county-y', kind: 'county', name: '乙县', parentId: null },
    { id: 't-y', kind: 'township', name: '乙镇', parentId: 'county-y' },
    { id: 'v-y', kind: 'village', name: '乙村', parentId: 't-y' },
    { id: 'g-y-1', kind: 'grid', name: '乙村第一网格', parentId: 'v-y', centroid: { lat: 30.1, lng: 114.1 } },
    {
      id: 'cc-county-y',
      kind: 'committee',
      name: '乙县协调委员会',
      parentId: 'county-y',
      level: 'district',
      localityId: 'county-y',
    },
    { id: 'cc-t-y', kind: 'committee', name: '乙镇协调委员会', parentId: 't-y', level: 'street', localityId: 't-y' },
    { id: 'cc-v-y', kind: 'committee', name: '乙村协调委员会', parentId: 'v-y', level: 'community', localityId: 'v-y' },
    { id: 'dept-y-water', kind: 'department', name: '乙县水利局', parentId: 'county-y', duty: 'water' },
    { id: 'o-y-gov', kind: 'office', name: '乙县人民政府办公室', parentId: 'county-y', function: 'government-office' },
    { id: 'centre-y', kind: 'service-centre', name: '乙县12345热线', parentId: 'county-y' },
  ];
}

/** The small city with offices at city and district level and a district command centre. */
function cityWithOffices(): OrgUnit[] {
  return [
    ...smallTree(),
    { id: 'o-x-gov', kind: 'office', name: '测试市政府办公厅', parentId: 'city-x', function: 'government-office' },
    {
      id: 'o-x-meeting',
      kind: 'office',
      name: '测试市政府常务会议',
      parentId: 'city-x',
      function: 'executive-meeting',
    },
    { id: 'o-a-gov', kind: 'office', name: '甲区政府办公室', parentId: 'd-a', function: 'government-office' },
    { id: 'centre-a', kind: 'service-centre', name: '甲区指挥中心', parentId: 'd-a' },
  ];
}

function problemsOf(units: OrgUnit[]): readonly string[] {
  try {
    buildOrgTree(units);
  } catch (error) {
    expect(error).toBeInstanceOf(OrgError);
    expect((error as OrgError).code).toBe('invalid-tree');
    return (error as OrgError).problems;
  }
  throw new Error('expected buildOrgTree to reject the units');
}

describe('buildOrgTree', () => {
  it('should accept a well-formed tree and index children in order', () => {
    const tree = buildOrgTree(smallTree());
    expect(tree.rootId).toBe('city-x');
    expect(tree.childIds.get('city-x')).toEqual(['d-a', 'dept-x']);
    expect(tree.childIds.get('s-a')).toEqual(['c-a', 'cc-s-a']);
  });

  it.each<[string, (units: OrgUnit[]) => OrgUnit[], string]>([
    ['a duplicate id', (u) => [...u, { ...u[1] }], "unit id 'd-a' is used more than once"],
    ['a non-ASCII id', (u) => [...u, { ...u[3], id: 'c-社区' }], "unit id 'c-社区' is not an ASCII slug"],
    ['an upper-case id', (u) => [...u, { ...u[3], id: 'C-B' }], "unit id 'C-B' is not an ASCII slug"],
    ['an unknown parent', (u) => [...u, { ...u[3], id: 'c-b', parentId: 's-zzz' }], "unknown parent 's-zzz'"],
    ['a second root', (u) => [...u, { ...u[1], id: 'd-b', parentId: null }], "unit 'd-b' (district) has no parent"],
    ['two roots', (u) => [...u, { ...u[0], id: 'county-z', kind: 'county' }], 'exactly one root (a city or a county)'],
    [
      'a district as the root',
      (u) => u.slice(1).map((x) => (x.id === 'd-a' ? { ...x, parentId: null } : x)),
      "unit 'd-a' (district) has no parent; only the root city or county may",
    ],
    ['a city under a city', (u) => [...u, { ...u[0], id: 'city-y', parentId: 'city-x' }], '(city) cannot be under'],
    [
      'a county under a city',
      (u) => [...u, { ...u[0], id: 'county-z', kind: 'county', parentId: 'city-x' }],
      'cannot be under',
    ],
    [
      'a district under a county',
      () => [...countyTree(), { id: 'd-z', kind: 'district', name: '区', parentId: 'county-y' }],
      "(district) cannot be under 'county-y' (county)",
    ],
    [
      'a street committee at a county',
      () => [
        ...countyTree().filter((x) => x.id !== 'cc-county-y'),
        { ...countyTree()[5], id: 'cc-c', parentId: 'county-y', localityId: 'county-y' },
      ],
      'of level street cannot coordinate a county',
    ],
    [
      'an office under a street',
      (u) => [...u, { id: 'o-s', kind: 'office', name: '办', parentId: 's-a', function: 'government-office' }],
      "(office) cannot be under 's-a' (street)",
    ],
    [
      'an office without a function',
      (u) => [...u, { id: 'o-x', kind: 'office', name: '办', parentId: 'city-x' }],
      "office 'o-x' needs a function slug",
    ],
    [
      'an office with a function that is not a slug',
      (u) => [...u, { id: 'o-x', kind: 'office', name: '办', parentId: 'city-x', function: '办公厅' }],
      'needs a function slug',
    ],
    [
      'a function on a department',
      (u) => [...u.slice(0, 5), { ...u[5], function: 'x' }, ...u.slice(6)],
      'is not an office but has a function',
    ],
    [
      'a service centre under a street',
      (u) => [...u, { id: 'centre-s', kind: 'service-centre', name: '中心', parentId: 's-a' }],
      'cannot be under',
    ],
    [
      'a boundary of two points',
      (u) => [
        ...u,
        {
          ...u[4],
          id: 'g-b',
          boundary: [
            { lat: 39.9, lng: 116.4 },
            { lat: 39.91, lng: 116.4 },
          ],
        },
      ],
      "unit 'g-b' has a boundary of fewer than 3 points",
    ],
    [
      'an invalid boundary point',
      (u) => [
        ...u,
        {
          ...u[4],
          id: 'g-b',
          boundary: [
            { lat: 39.9, lng: 116.4 },
            { lat: 39.91, lng: 116.4 },
            { lat: 91, lng: 116.41 },
          ],
        },
      ],
      "unit 'g-b' has an invalid boundary point",
    ],
    [
      'a boundary on a department',
      (u) => [
        ...u.slice(0, 5),
        {
          ...u[5],
          boundary: [
            { lat: 1, lng: 1 },
            { lat: 2, lng: 1 },
            { lat: 2, lng: 2 },
          ],
        },
        ...u.slice(6),
      ],
      'is not an area but has a boundary',
    ],
    ['a grid under a street', (u) => [...u, { ...u[4], id: 'g-b', parentId: 's-a' }], "cannot be under 's-a'"],
    ['a department under a street', (u) => [...u, { ...u[5], id: 'dept-y', parentId: 's-a' }], 'cannot be under'],
    ['an empty name', (u) => [...u, { ...u[3], id: 'c-b', name: ' ' }], "unit 'c-b' has an empty name"],
    [
      'an invalid centroid',
      (u) => [...u, { ...u[4], id: 'g-b', centroid: { lat: 95, lng: 116 } }],
      "unit 'g-b' has an invalid centroid",
    ],
    [
      'a committee of the wrong level',
      (u) => [...u, { ...u[6], id: 'cc-c-a', parentId: 'c-a', localityId: 'c-a' }],
      'of level street cannot coordinate a community',
    ],
    [
      'a committee whose locality is not its parent',
      (u) => [...u, { ...u[6], id: 'cc-c-a', level: 'community', parentId: 'c-a', localityId: 's-a' }],
      'must have localityId equal to its parentId',
    ],
    ['two committees for one locality', (u) => [...u, { ...u[6], id: 'cc-s-a-2' }], "'s-a' has two committees"],
    ['a duty on a street', (u) => [...u.slice(0, 2), { ...u[2], duty: 'x' }, ...u.slice(3)], 'not a department'],
  ])('should reject %s', (_title, mutate, expected) => {
    const problems = problemsOf(mutate(smallTree()));
    expect(problems.some((problem) => problem.includes(expected))).toBe(true);
  });

  it.each<[string, () => OrgUnit[], string, string[]]>([
    [
      'a county root with a township, village and grid directly under it',
      countyTree,
      'county-y',
      ['t-y', 'cc-county-y', 'dept-y-water', 'o-y-gov', 'centre-y'],
    ],
    [
      'a city with offices and a district command centre',
      cityWithOffices,
      'city-x',
      ['d-a', 'dept-x', 'o-x-gov', 'o-x-meeting'],
    ],
  ])('should accept %s', (_title, units, rootId, rootChildren) => {
    const tree = buildOrgTree(units());
    expect(tree.rootId).toBe(rootId);
    expect(tree.childIds.get(rootId)).toEqual(rootChildren);
    expect(tree.version).toBeUndefined();
  });

  it('should keep the stored version it is given, and freeze boundaries', () => {
    const boundary = [
      { lat: 39.9, lng: 116.4 },
      { lat: 39.91, lng: 116.4 },
      { lat: 39.91, lng: 116.41 },
    ];
    const tree = buildOrgTree([...smallTree(), { ...smallTree()[4], id: 'g-b', boundary }], { version: 7 });
    expect(tree.version).toBe(7);
    expect(Object.isFrozen(tree.byId.get('g-b')?.boundary)).toBe(true);
    expect(Object.isFrozen(tree.byId.get('g-b')?.boundary?.[0])).toBe(true);
  });

  it('should report every problem at once, not only the first', () => {
    const units = [...smallTree(), { ...smallTree()[3], id: 'C-1' }, { ...smallTree()[4], id: 'g-b', parentId: 'x' }];
    expect(problemsOf(units)).toHaveLength(2);
  });
});

describe('unit look-ups', () => {
  const tree = buildOrgTree(smallTree());

  it('should find a unit by id, or give undefined for an unknown id', () => {
    expect(findUnit(tree, 'c-a')?.name).toBe('甲社区');
    expect(findUnit(tree, 'c-zzz')).toBeUndefined();
    expect(findUnit(tree, 'constructor')).toBeUndefined();
  });

  it.each<[string, string, OrgUnit['kind'][] | undefined, string]>([
    ['an unknown id', 'c-zzz', undefined, 'unknown-unit'],
    ['a unit of the wrong kind', 's-a', ['community', 'village'], 'wrong-kind'],
  ])('should throw a coded OrgError from getUnit for %s', (_title, id, kinds, code) => {
    expect(() => getUnit(tree, id, kinds)).toThrow(expect.objectContaining({ name: 'OrgError', code }));
  });

  it('should list ancestors nearest first, ending with the city', () => {
    expect(ancestorsOf(tree, 'g-a-1').map((unit) => unit.id)).toEqual(['c-a', 's-a', 'd-a', 'city-x']);
    expect(ancestorsOf(tree, 'city-x')).toEqual([]);
  });

  it('should list children and throw for an unknown parent', () => {
    expect(childrenOf(tree, 'c-a').map((unit) => unit.id)).toEqual(['g-a-1']);
    expect(childrenOf(tree, 'g-a-1')).toEqual([]);
    expect(() => childrenOf(tree, 'zzz')).toThrow(expect.objectContaining({ code: 'unknown-unit' }));
  });
});

describe('committeeFor', () => {
  it.each<[string, CommitteeLevel, string]>([
    ['g-yinxingyuan-2', 'community', 'cc-c-yinxingyuan'],
    ['g-yinxingyuan-2', 'street', 'cc-s-yinxing'],
    ['g-yinxingyuan-2', 'district', 'cc-d-xishan'],
    ['v-shiqiao', 'community', 'cc-v-shiqiao'],
    ['v-shiqiao', 'street', 'cc-t-shiqiao'],
    ['t-shiqiao', 'street', 'cc-t-shiqiao'],
    ['d-beijiao', 'district', 'cc-d-beijiao'],
    ['dept-donghu-housing', 'district', 'cc-d-donghu'],
  ])('should find the committee of %s at %s level: %s', (localityId, level, expected) => {
    expect(committeeFor(DEMO_CITY, localityId, level).id).toBe(expected);
  });

  it.each<[string, CommitteeLevel, string]>([
    ['s-hubin', 'community', 'no-committee'],
    ['dept-housing', 'district', 'no-committee'],
    ['c-nowhere', 'street', 'unknown-unit'],
  ])('should refuse %s at %s level with %s', (localityId, level, code) => {
    expect(() => committeeFor(DEMO_CITY, localityId, level)).toThrow(expect.objectContaining({ code }));
  });

  it.each<[string, CommitteeLevel, string]>([
    ['g-y-1', 'community', 'cc-v-y'],
    ['g-y-1', 'street', 'cc-t-y'],
    ['g-y-1', 'district', 'cc-county-y'],
    ['dept-y-water', 'district', 'cc-county-y'],
    ['county-y', 'district', 'cc-county-y'],
  ])('should find the committee of %s at %s level in a county: %s', (localityId, level, expected) => {
    expect(committeeFor(buildOrgTree(countyTree()), localityId, level).id).toBe(expected);
  });

  it('should refuse a locality whose committee is missing', () => {
    const tree = buildOrgTree(smallTree());
    expect(() => committeeFor(tree, 'g-a-1', 'community')).toThrow(
      expect.objectContaining({
        code: 'no-committee',
        message: "locality 'c-a' has no community coordination committee",
      }),
    );
  });
});

describe('officeFor', () => {
  const city = buildOrgTree(cityWithOffices());
  const county = buildOrgTree(countyTree());

  it.each<[string, ReturnType<typeof buildOrgTree>, string, string, string]>([
    ["a grid: its district's own office before the city's", city, 'g-a-1', 'government-office', 'o-a-gov'],
    [
      "a street: the city's, when its district has none of that function",
      city,
      's-a',
      'executive-meeting',
      'o-x-meeting',
    ],
    ['the district itself: its own office', city, 'd-a', 'government-office', 'o-a-gov'],
    ["a city department: the city's", city, 'dept-x', 'government-office', 'o-x-gov'],
    ['the city itself', city, 'city-x', 'executive-meeting', 'o-x-meeting'],
    ["a county grid: the county's", county, 'g-y-1', 'government-office', 'o-y-gov'],
  ])('should find for %s', (_title, tree, unitId, fn, expected) => {
    expect(officeFor(tree, unitId, fn).id).toBe(expected);
  });

  it.each<[string, string, string, string]>([
    ['a function no unit has', 'g-y-1', 'discipline-office', 'no-office'],
    ['an unknown unit', 'g-nowhere', 'government-office', 'unknown-unit'],
  ])('should refuse %s with %s', (_title, unitId, fn, code) => {
    expect(() => officeFor(county, unitId, fn)).toThrow(expect.objectContaining({ name: 'OrgError', code }));
  });

  it('should say which function and unit found no office', () => {
    expect(() => officeFor(county, 'v-y', 'discipline-office')).toThrow(
      "no discipline-office office at or above org unit 'v-y' (village)",
    );
  });
});

describe('village bodies: offices and volunteer groups found by function (bodyFor)', () => {
  /** The county with a village governance centre and a village volunteer group, and a township-level group. */
  const villageBodies = (): OrgUnit[] => [
    ...countyTree(),
    { id: 'o-y-governance', kind: 'office', name: '乙村综治中心', parentId: 'v-y', function: 'governance-centre' },
    { id: 'vg-y-mediation', kind: 'volunteer-group', name: '乙村志愿调解队', parentId: 'v-y', function: 'mediation' },
    { id: 'vg-t-y-patrol', kind: 'volunteer-group', name: '乙镇志愿巡逻队', parentId: 't-y', function: 'patrol' },
  ];
  const tree = buildOrgTree(villageBodies());

  it.each([
    ["a grid: its village's own centre", 'g-y-1', 'governance-centre', 'o-y-governance'],
    ["a grid: its village's own group", 'g-y-1', 'mediation', 'vg-y-mediation'],
    ["a village without one: its township's group", 'v-y', 'patrol', 'vg-t-y-patrol'],
    ['an office of the county, walking up', 'g-y-1', 'government-office', 'o-y-gov'],
  ])('should find for %s', (_title, unitId, fn, expected) => {
    expect(bodyFor(tree, unitId, fn).id).toBe(expected);
  });

  it('should refuse a function no office or group at or above the place has', () => {
    expect(() => bodyFor(tree, 't-y', 'mediation')).toThrow(expect.objectContaining({ code: 'no-office' }));
  });

  it.each<[string, OrgUnit, string]>([
    [
      'a volunteer group under the county',
      { id: 'vg-x', kind: 'volunteer-group', name: '某队', parentId: 'county-y', function: 'patrol' },
      "unit 'vg-x' (volunteer-group) cannot be under 'county-y' (county)",
    ],
    [
      'a volunteer group without a function',
      { id: 'vg-x', kind: 'volunteer-group', name: '某队', parentId: 'v-y' },
      "volunteer-group 'vg-x' needs a function slug",
    ],
    [
      'an office under a grid',
      { id: 'o-x', kind: 'office', name: '某中心', parentId: 'g-y-1', function: 'governance-centre' },
      "unit 'o-x' (office) cannot be under 'g-y-1' (grid)",
    ],
  ])('should reject %s', (_title, unit, expected) => {
    expect(() => buildOrgTree([...villageBodies(), unit])).toThrow(
      expect.objectContaining({ problems: expect.arrayContaining([expect.stringContaining(expected)]) }),
    );
  });
});
