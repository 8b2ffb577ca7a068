import { haversineMeters, isValidGeoPoint } from './geo';
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
