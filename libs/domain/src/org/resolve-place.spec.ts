import { DEMO_CITY } from './demo-city';
import { haversineMeters } from './geo';
import { buildOrgTree } from './org-tree';
import { OrgUnit, PlaceQuery } from './org.types';
import { isEmptyPlaceQuery, resolvePlace } from './resolve-place';

interface Expected {
  grid?: string;
  community?: string;
  street?: string;
  district: string;
}

const idsOf = (query: PlaceQuery, maxGridDistanceMeters?: number, tree = DEMO_CITY): Expected => {
  const place = resolvePlace(tree, query, { maxGridDistanceMeters });
  return {
    ...(place.grid ? { grid: place.grid.id } : {}),
    ...(place.community ? { community: place.community.id } : {}),
    ...(place.street ? { street: place.street.id } : {}),
    district: place.district.id,
  };
};

describe('resolvePlace', () => {
  it.each<[string, PlaceQuery, Expected]>([
    [
      'a grid id to its whole chain',
      { gridId: 'g-xiyuan-2' },
      { grid: 'g-xiyuan-2', community: 'c-xiyuan', street: 's-hubin', district: 'd-donghu' },
    ],
    [
      'a village id to township and district',
      { communityId: 'v-qianying' },
      { community: 'v-qianying', street: 't-shiqiao', district: 'd-xishan' },
    ],
    ['a street id to street and district', { streetId: 's-jintai' }, { street: 's-jintai', district: 'd-xishan' }],
    ['a district id to the district only', { districtId: 'd-beijiao' }, { district: 'd-beijiao' }],
    [
      'consistent ids at every level',
      { gridId: 'g-nangou-1', communityId: 'v-nangou', streetId: 't-shuangta', districtId: 'd-beijiao' },
      { grid: 'g-nangou-1', community: 'v-nangou', street: 't-shuangta', district: 'd-beijiao' },
    ],
    [
      'a point to the nearest grid',
      { point: { lat: 39.9293, lng: 116.434 } },
      { grid: 'g-xiyuan-1', community: 'c-xiyuan', street: 's-hubin', district: 'd-donghu' },
    ],
    [
      'a point in a village to its grid',
      { point: { lat: 40.1155, lng: 116.4578 } },
      { grid: 'g-nangou-1', community: 'v-nangou', street: 't-shuangta', district: 'd-beijiao' },
    ],
    [
      'a point to the nearest grid inside the given community, even when another is nearer',
      { communityId: 'c-xiyuan', point: { lat: 39.9221, lng: 116.4447 } },
      { grid: 'g-xiyuan-2', community: 'c-xiyuan', street: 's-hubin', district: 'd-donghu' },
    ],
    [
      'a point far from every grid of the given district to the district only',
      { districtId: 'd-donghu', point: { lat: 39.9391, lng: 116.3038 } },
      { district: 'd-donghu' },
    ],
    [
      'a grid id, ignoring a point elsewhere',
      { gridId: 'g-nanmen-1', point: { lat: 40.1155, lng: 116.4578 } },
      { grid: 'g-nanmen-1', community: 'c-nanmen', street: 's-xinhua', district: 'd-donghu' },
    ],
  ])('should resolve %s', (_title, query, expected) => {
    expect(idsOf(query)).toEqual(expected);
  });

  it('should report the distance to a grid found by point', () => {
    const point = { lat: 39.9293, lng: 116.434 };
    const place = resolvePlace(DEMO_CITY, { point });
    expect(place.gridDistanceMeters).toBeCloseTo(haversineMeters(point, { lat: 39.9292, lng: 116.4338 }), 6);
    expect(place.gridDistanceMeters).toBeLessThan(25);
    expect(resolvePlace(DEMO_CITY, { gridId: 'g-xiyuan-1' }).gridDistanceMeters).toBeUndefined();
  });

  it('should honour a smaller maximum grid distance', () => {
    // About 1.2 km from the nearest grid (g-huguang-1): inside the default 2 km, outside 1 km.
    const query = { streetId: 's-hubin', point: { lat: 39.9405, lng: 116.4545 } };
    expect(idsOf(query).grid).toBe('g-huguang-1');
    expect(idsOf(query, 1000)).toEqual({ street: 's-hubin', district: 'd-donghu' });
  });

  it.each<[string, PlaceQuery, string]>([
    ['an unknown grid id', { gridId: 'g-nowhere-1' }, 'unknown-unit'],
    ['a street id given as community', { communityId: 's-hubin' }, 'wrong-kind'],
    ['a grid outside the given street', { gridId: 'g-xiyuan-1', streetId: 's-jintai' }, 'place-inconsistent'],
    [
      'a community outside the given district',
      { communityId: 'c-songtao', districtId: 'd-donghu' },
      'place-inconsistent',
    ],
    ['an empty query', {}, 'place-unresolved'],
    ['a point far from every grid', { point: { lat: 31.23, lng: 121.47 } }, 'place-unresolved'],
    ['an invalid point', { point: { lat: Number.NaN, lng: 116.4 } }, 'place-unresolved'],
  ])('should refuse %s', (_title, query, code) => {
    expect(() => resolvePlace(DEMO_CITY, query)).toThrow(expect.objectContaining({ name: 'OrgError', code }));
  });
});

describe('isEmptyPlaceQuery', () => {
  it.each<[PlaceQuery, boolean]>([
    [{}, true],
    [{ districtId: 'd-donghu' }, false],
    [{ point: { lat: 39.9, lng: 116.4 } }, false],
  ])('should say %j is empty: %s', (query, expected) => {
    expect(isEmptyPlaceQuery(query)).toBe(expected);
  });
});

/**
 * A county root with a township directly under it (no district level); its two grids are outlined: g-k-1 is a long
 * strip whose centroid lies far from its northern end, g-k-2 a small square next to that end.
 */
const COUNTY_UNITS: OrgUnit[] = [
  { id: 'county-k', kind: 'county', name: '丙县', parentId: null },
  { id: 't-k', kind: 'township', name: '丙镇', parentId: 'county-k' },
  { id: 's-k', kind: 'street', name: '城关街道', parentId: 'county-k' },
  { id: 'v-k', kind: 'village', name: '丙村', parentId: 't-k' },
  { id: 'c-k', kind: 'community', name: '城关社区', parentId: 's-k' },
  {
    id: 'g-k-1',
    kind: 'grid',
    name: '丙村第一网格',
    parentId: 'v-k',
    centroid: { lat: 30.01, lng: 114.0005 },
    boundary: [
      { lat: 30, lng: 114 },
      { lat: 30, lng: 114.001 },
      { lat: 30.02, lng: 114.001 },
      { lat: 30.02, lng: 114 },
    ],
  },
  {
    id: 'g-k-2',
    kind: 'grid',
    name: '丙村第二网格',
    parentId: 'v-k',
    centroid: { lat: 30.0195, lng: 114.0015 },
    boundary: [
      { lat: 30.019, lng: 114.001 },
      { lat: 30.019, lng: 114.002 },
      { lat: 30.02, lng: 114.002 },
      { lat: 30.02, lng: 114.001 },
    ],
  },
  { id: 'g-k-3', kind: 'grid', name: '城关社区第一网格', parentId: 'c-k', centroid: { lat: 30.05, lng: 114.05 } },
];

describe('resolvePlace in a county', () => {
  const county = buildOrgTree(COUNTY_UNITS);

  it.each<[string, PlaceQuery, Expected]>([
    [
      'a grid id: the county plays the district',
      { gridId: 'g-k-3' },
      { grid: 'g-k-3', community: 'c-k', street: 's-k', district: 'county-k' },
    ],
    ['a township id', { streetId: 't-k' }, { street: 't-k', district: 'county-k' }],
    ['the county given as districtId', { districtId: 'county-k' }, { district: 'county-k' }],
    [
      'a point inside a grid outline, though another centroid is nearer',
      { point: { lat: 30.0195, lng: 114.0009 } },
      { grid: 'g-k-1', community: 'v-k', street: 't-k', district: 'county-k' },
    ],
    [
      'a point just outside that outline, by the nearest centroid',
      { point: { lat: 30.0195, lng: 114.0011 } },
      { grid: 'g-k-2', community: 'v-k', street: 't-k', district: 'county-k' },
    ],
    [
      'a point in an outline outside the given street, by centroid within the street',
      { streetId: 's-k', point: { lat: 30.0195, lng: 114.0009 } },
      { street: 's-k', district: 'county-k' },
    ],
  ])('should resolve %s', (_title, query, expected) => {
    expect(idsOf(query, undefined, county)).toEqual(expected);
  });

  it('should refuse a county id given as a street', () => {
    expect(() => resolvePlace(county, { streetId: 'county-k' })).toThrow(
      expect.objectContaining({ code: 'wrong-kind' }),
    );
  });
});
