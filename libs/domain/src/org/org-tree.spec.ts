import { DEMO_CITY } from './demo-city';
import { ancestorsOf, buildOrgTree, childrenOf, committeeFor, findUnit, getUnit } from './org-tree';
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
    ['no city', (u) => u.slice(1).map((x) => (x.id === 'd-a' ? { ...x, parentId: null } : x)), 'exactly one city'],
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
