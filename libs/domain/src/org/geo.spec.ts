import { haversineMeters, isPointInPolygon, isValidGeoPoint, polygonCentroid } from './geo';
import { GeoPoint } from './org.types';

describe('haversineMeters', () => {
  it.each<[string, GeoPoint, GeoPoint, number, number]>([
    ['zero for the same point', { lat: 39.9, lng: 116.4 }, { lat: 39.9, lng: 116.4 }, 0, 0.001],
    ['about 111.2 km for one degree of latitude', { lat: 39, lng: 116.4 }, { lat: 40, lng: 116.4 }, 111_195, 10],
    ['about 85.3 km for one degree of longitude at lat 40', { lat: 40, lng: 116 }, { lat: 40, lng: 117 }, 85_180, 50],
    ['about 250 m for 0.002245 degrees of latitude', { lat: 39.9, lng: 116.4 }, { lat: 39.902248, lng: 116.4 }, 250, 1],
    ['half the circumference for antipodes', { lat: 0, lng: 0 }, { lat: 0, lng: 180 }, 20_015_114, 100],
  ])('should give %s', (_title, a, b, expected, tolerance) => {
    expect(Math.abs(haversineMeters(a, b) - expected)).toBeLessThanOrEqual(tolerance);
    expect(haversineMeters(b, a)).toBeCloseTo(haversineMeters(a, b), 9);
  });
});

describe('isValidGeoPoint', () => {
  it.each<[GeoPoint, boolean]>([
    [{ lat: 39.9, lng: 116.4 }, true],
    [{ lat: -90, lng: 180 }, true],
    [{ lat: 90.1, lng: 0 }, false],
    [{ lat: 0, lng: -180.5 }, false],
    [{ lat: Number.NaN, lng: 0 }, false],
    [{ lat: 0, lng: Number.POSITIVE_INFINITY }, false],
  ])('should judge %j valid: %s', (point, expected) => {
    expect(isValidGeoPoint(point)).toBe(expected);
  });
});

/** A 0.01° square with its south-west corner at (30, 114), and an L-shaped (concave) outline. */
const SQUARE: GeoPoint[] = [
  { lat: 30, lng: 114 },
  { lat: 30, lng: 114.01 },
  { lat: 30.01, lng: 114.01 },
  { lat: 30.01, lng: 114 },
];
const L_SHAPE: GeoPoint[] = [
  { lat: 0, lng: 0 },
  { lat: 0, lng: 2 },
  { lat: 1, lng: 2 },
  { lat: 1, lng: 1 },
  { lat: 2, lng: 1 },
  { lat: 2, lng: 0 },
];

describe('isPointInPolygon', () => {
  it.each<[string, GeoPoint, readonly GeoPoint[], boolean]>([
    ['the middle of a square', { lat: 30.005, lng: 114.005 }, SQUARE, true],
    ['a point east of a square', { lat: 30.005, lng: 114.02 }, SQUARE, false],
    ['a point north of a square', { lat: 30.02, lng: 114.005 }, SQUARE, false],
    ['the square closed explicitly', { lat: 30.005, lng: 114.005 }, [...SQUARE, SQUARE[0]], true],
    ['the inner arm of an L', { lat: 1.5, lng: 0.5 }, L_SHAPE, true],
    ['the notch of an L', { lat: 1.5, lng: 1.5 }, L_SHAPE, false],
  ])('should judge %s', (_title, point, ring, expected) => {
    expect(isPointInPolygon(point, ring)).toBe(expected);
  });
});

describe('polygonCentroid', () => {
  it.each<[string, readonly GeoPoint[], GeoPoint]>([
    ['a square: its middle', SQUARE, { lat: 30.005, lng: 114.005 }],
    ['an L: pulled into its larger part', L_SHAPE, { lat: 0.833333, lng: 0.833333 }],
    [
      'collinear points: their mean',
      [
        { lat: 0, lng: 0 },
        { lat: 1, lng: 1 },
        { lat: 2, lng: 2 },
      ],
      { lat: 1, lng: 1 },
    ],
  ])('should give for %s', (_title, ring, expected) => {
    expect(polygonCentroid(ring)).toEqual(expected);
  });
});
