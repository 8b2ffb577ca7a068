import { diffOrgUnits, isEmptyOrgDiff, sameOrgUnit } from './org-diff';
import { OrgUnit } from './org.types';

const county: OrgUnit = { id: 'county-y', kind: 'county', name: '乙县', parentId: null };
const township: OrgUnit = { id: 't-y', kind: 'township', name: '乙镇', parentId: 'county-y' };
const grid: OrgUnit = { id: 'g-y-1', kind: 'grid', name: '第一网格', parentId: 't-y', centroid: { lat: 30, lng: 114 } };

describe('sameOrgUnit', () => {
  it.each<[string, OrgUnit, OrgUnit, boolean]>([
    [
      'the same fields in another key order',
      grid,
      { centroid: { lng: 114, lat: 30 }, parentId: 't-y', name: '第一网格', kind: 'grid', id: 'g-y-1' },
      true,
    ],
    ['an undefined field against an absent one', county, { ...county, duty: undefined }, true],
    ['another name', township, { ...township, name: '乙乡' }, false],
    ['a moved centroid', grid, { ...grid, centroid: { lat: 30.001, lng: 114 } }, false],
    [
      'a boundary added',
      grid,
      {
        ...grid,
        boundary: [
          { lat: 1, lng: 1 },
          { lat: 2, lng: 1 },
          { lat: 2, lng: 2 },
        ],
      },
      false,
    ],
    ['a utility flag added', township, { ...township, utility: true }, false],
  ])('should judge %s', (_title, a, b, expected) => {
    expect(sameOrgUnit(a, b)).toBe(expected);
  });
});

describe('diffOrgUnits', () => {
  it('should list added, changed and removed units by id, in list order', () => {
    const renamed = { ...township, name: '乙乡' };
    const added: OrgUnit = { id: 'v-y', kind: 'village', name: '乙村', parentId: 't-y' };
    const diff = diffOrgUnits([county, township, grid], [county, renamed, added]);
    expect(diff).toEqual({ added: [added], changed: [{ before: township, after: renamed }], removed: [grid] });
    expect(isEmptyOrgDiff(diff)).toBe(false);
  });

  it('should find nothing between equal lists in another order', () => {
    expect(isEmptyOrgDiff(diffOrgUnits([county, township, grid], [grid, county, { ...township }]))).toBe(true);
  });

  it('should add everything to an empty tree', () => {
    expect(diffOrgUnits([], [county, township])).toEqual({ added: [county, township], changed: [], removed: [] });
  });
});
