import { GeoPoint } from './org.types';

/** Mean Earth radius in metres (IUGG), the usual figure for haversine distances. */
const EARTH_RADIUS_METERS = 6_371_008.8;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * Great-circle distance in metres between two WGS-84 points by the haversine formula. Accurate to about 0.5 %
 * (the Earth is not a sphere), which is ample for duplicate radii and nearest-grid look-ups.
 */
export function haversineMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  // min() guards against h creeping above 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when `point` has finite coordinates within the WGS-84 ranges (lat −90..90, lng −180..180). */
export function isValidGeoPoint(point: GeoPoint): boolean {
  return (
    Number.isFinite(point.lat) && Number.isFinite(point.lng) && Math.abs(point.lat) <= 90 && Math.abs(point.lng) <= 180
  );
}

/**
 * True when `point` lies inside the polygon `ring` (at least three points; closing the ring is optional), by the
 * even-odd ray-casting rule on plain lat/lng — exact enough for grid and village outlines, which are small and never
 * cross the antimeridian. A point exactly on an edge may count as either side.
 */
export function isPointInPolygon(point: GeoPoint, ring: readonly GeoPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a.lat > point.lat !== b.lat > point.lat) {
      const lngAtLat = a.lng + ((point.lat - a.lat) / (b.lat - a.lat)) * (b.lng - a.lng);
      if (point.lng < lngAtLat) inside = !inside;
    }
  }
  return inside;
}

/**
 * The centroid of the polygon `ring` by the shoelace formula on plain lat/lng (small areas), rounded to 6 decimals;
 * the mean of its points when the ring has no area (collinear points).
 */
export function polygonCentroid(ring: readonly GeoPoint[]): GeoPoint {
  let area = 0;
  let lat = 0;
  let lng = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j].lng * ring[i].lat - ring[i].lng * ring[j].lat;
    area += cross;
    lng += (ring[j].lng + ring[i].lng) * cross;
    lat += (ring[j].lat + ring[i].lat) * cross;
  }
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  if (Math.abs(area) < 1e-12) {
    return {
      lat: round(ring.reduce((sum, p) => sum + p.lat, 0) / ring.length),
      lng: round(ring.reduce((sum, p) => sum + p.lng, 0) / ring.length),
    };
  }
  return { lat: round(lat / (3 * area)), lng: round(lng / (3 * area)) };
}
