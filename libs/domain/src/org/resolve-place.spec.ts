import { DEMO_CITY } from './demo-city';
import { haversineMeters } from './geo';
import { PlaceQuery } from './org.types';
import { isEmptyPlaceQuery, resolvePlace } from './resolve-place';

interface Expected {
  grid?: string;
  community?: string;
  street?: string;
  district: string;
}

const idsOf = (query: PlaceQuery, maxGridDistanceMeters?: number): Expected => {
  const place = resolvePlace(DEMO_CITY, query, { maxGridDistanceMeters });
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
