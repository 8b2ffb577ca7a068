/*
 * The city drawn from its own org tree (no map tiles): each grid's centroid becomes a cell of a Voronoi diagram,
 * clipped to a disc around the centroid so the city keeps an outline of its own; a street or district with an outline
 * of its own (`boundary`) is drawn from it instead. Cells are grouped by their street (or township), which is what
 * hotspots and scores name. Pure functions: the SVG component only renders what they return.
 */

export interface LatLng {
  lat: number;
  lng: number;
}

export interface XY {
  x: number;
  y: number;
}

/** An area unit as `GET /api/v1/org/map` returns it. */
export interface MapUnit {
  id: string;
  kind: string;
  name: string;
  parentId: string | null;
  centroid?: LatLng;
  boundary?: LatLng[];
}

/** One street's (or township's) shape: polygons in SVG coordinates, where to put its label, its district. */
export interface MapArea {
  id: string;
  name: string;
  districtId: string | null;
  polygons: XY[][];
  label: XY;
}

export interface CityMap {
  width: number;
  height: number;
  areas: MapArea[];
  /** Districts' names at the mean of their streets' labels. */
  districts: { id: string; name: string; label: XY }[];
}

/**
 * An equirectangular projection (longitude scaled by the cosine of the mean latitude: true shapes for a city-sized
 * area) that fits `points` into `width` × `height` with `padding`, north up. Keeps the aspect ratio, centred.
 */
export function fitProjection(points: readonly LatLng[], width: number, height: number, padding = 16) {
  if (points.length === 0) return (_point: LatLng): XY => ({ x: width / 2, y: height / 2 });
  const lats = points.map((point) => point.lat);
  const lngs = points.map((point) => point.lng);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLng - minLng) * k || 1e-9;
  const spanY = maxLat - minLat || 1e-9;
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return (point: LatLng): XY => ({
    x: offsetX + (point.lng - minLng) * k * scale,
    y: offsetY + (maxLat - point.lat) * scale,
  });
}

/** Sutherland–Hodgman: the part of `polygon` where `a·x + b·y ≤ c`. */
export function clipHalfPlane(polygon: readonly XY[], a: number, b: number, c: number): XY[] {
  const inside = (p: XY) => a * p.x + b * p.y <= c + 1e-9;
  const out: XY[] = [];
  for (let i = 0; i < polygon.length; i++) {
    const current = polygon[i];
    const previous = polygon[(i + polygon.length - 1) % polygon.length];
    const crossing = (): XY => {
      const denominator = a * (current.x - previous.x) + b * (current.y - previous.y);
      const t = (c - a * previous.x - b * previous.y) / denominator;
      return { x: previous.x + t * (current.x - previous.x), y: previous.y + t * (current.y - previous.y) };
    };
    if (inside(current)) {
      if (!inside(previous)) out.push(crossing());
      out.push(current);
    } else if (inside(previous)) out.push(crossing());
  }
  return out;
}

/** A regular polygon of `sides` around `centre` (a disc, near enough). */
export function disc(centre: XY, radius: number, sides = 16): XY[] {
  return Array.from({ length: sides }, (_, i) => {
    const angle = (2 * Math.PI * i) / sides;
    return { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
  });
}

/**
 * The Voronoi cell of each site, each clipped to a disc of `radius` around its site: the points nearer that site than
 * any other (half-plane intersection; O(n²), ample for a city's grids).
 */
export function voronoiCells(sites: readonly XY[], radius: number): XY[][] {
  return sites.map((site, i) => {
    let cell = disc(site, radius);
    for (let j = 0; j < sites.length && cell.length > 0; j++) {
      if (j === i) continue;
      const other = sites[j];
      if (other.x === site.x && other.y === site.y) continue;
      // Nearer `site` than `other`: (other − site)·p ≤ (|other|² − |site|²) / 2.
      const a = other.x - site.x;
      const b = other.y - site.y;
      const c = (other.x ** 2 + other.y ** 2 - site.x ** 2 - site.y ** 2) / 2;
      cell = clipHalfPlane(cell, a, b, c);
    }
    return cell;
  });
}

/** The SVG path of polygons (each closed). */
export function pathOf(polygons: readonly XY[][]): string {
  return polygons
    .filter((polygon) => polygon.length >= 3)
    .map((polygon) => `M${polygon.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('L')}Z`)
    .join('');
}

const STREET_KINDS = new Set(['street', 'township']);
const DISTRICT_KINDS = new Set(['district', 'county']);

/** The street (or township) and district above each unit, by walking up the tree. */
function ancestors(units: readonly MapUnit[]) {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const find = (unit: MapUnit, kinds: Set<string>): MapUnit | undefined => {
    for (let at: MapUnit | undefined = unit; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      if (kinds.has(at.kind)) return at;
    }
    return undefined;
  };
  return {
    street: (unit: MapUnit) => find(unit, STREET_KINDS),
    district: (unit: MapUnit) => find(unit, DISTRICT_KINDS),
  };
}

/**
 * The map of the city's streets: grid cells (or community points where a street has no grid) grouped by street, an
 * outline where the tree has one. Streets without any geometry are left out (the page lists them beside the map).
 */
export function buildCityMap(units: readonly MapUnit[], width: number, height: number): CityMap {
  const { street, district } = ancestors(units);
  const streets = units.filter((unit) => STREET_KINDS.has(unit.kind));
  // The sites: grids with a centroid; a street without one falls back to its communities' (or villages') centroids.
  const pointsUnder = (kinds: Set<string>) => {
    const found = new Map<string, LatLng[]>();
    for (const unit of units) {
      const owner = kinds.has(unit.kind) && unit.centroid ? street(unit) : undefined;
      if (owner && !owner.boundary) found.set(owner.id, [...(found.get(owner.id) ?? []), unit.centroid!]);
    }
    return found;
  };
  const grids = pointsUnder(new Set(['grid']));
  const communities = pointsUnder(new Set(['community', 'village']));
  const sitesOf = new Map<string, LatLng[]>();
  for (const unit of streets) {
    const points = grids.get(unit.id) ?? communities.get(unit.id);
    if (points) sitesOf.set(unit.id, points);
  }
  const allPoints = [...[...sitesOf.values()].flat(), ...streets.flatMap((unit) => unit.boundary ?? [])];
  // Cells reach most of the way to the next street, so a street's grids read as one area and neighbours touch; the
  // map is fitted again with room for the outer cells and the district names.
  const layout = (padding: number) => {
    const project = fitProjection(allPoints, width, height, padding);
    const sites: { streetId: string; xy: XY }[] = [];
    for (const [streetId, points] of sitesOf) for (const point of points) sites.push({ streetId, xy: project(point) });
    const centres = [...sitesOf.keys()].map((id) =>
      mean(sites.filter((site) => site.streetId === id).map((s) => s.xy)),
    );
    const radius = Math.max(cellRadius(sites.map((site) => site.xy)), 0.9 * medianNearest(centres));
    return { project, sites, radius };
  };
  const first = layout(24);
  const { project, sites, radius } = layout(
    Math.min(Math.max(24, first.radius * 0.8 + 20), Math.min(width, height) / 4),
  );
  const cells = voronoiCells(
    sites.map((site) => site.xy),
    radius,
  );
  const areas: MapArea[] = [];
  for (const unit of streets) {
    const polygons = unit.boundary
      ? [unit.boundary.map(project)]
      : cells.filter((_, i) => sites[i].streetId === unit.id).filter((cell) => cell.length >= 3);
    if (polygons.length === 0) continue;
    const own = unit.boundary
      ? unit.boundary.map(project)
      : sites.filter((s) => s.streetId === unit.id).map((s) => s.xy);
    areas.push({ id: unit.id, name: unit.name, districtId: district(unit)?.id ?? null, polygons, label: mean(own) });
  }
  // A district's name above its northernmost street.
  const districts = units
    .filter((unit) => DISTRICT_KINDS.has(unit.kind))
    .map((unit) => ({ unit, own: areas.filter((area) => area.districtId === unit.id) }))
    .filter((entry) => entry.own.length > 0)
    .map(({ unit, own }) => {
      const points = own.flatMap((area) => area.polygons.flat());
      const top = Math.min(...points.map((p) => p.y));
      return {
        id: unit.id,
        name: unit.name,
        label: { x: mean(own.map((area) => area.label)).x, y: Math.max(14, top - 6) },
      };
    });
  return { width, height, areas, districts };
}

/** The median distance from each point to its nearest other point (0 with fewer than two points). */
export function medianNearest(points: readonly XY[]): number {
  if (points.length < 2) return 0;
  const nearest = points
    .map((point, i) =>
      Math.min(
        ...points
          .filter((_, j) => j !== i)
          .map((other) => Math.hypot(other.x - point.x, other.y - point.y) || Infinity),
      ),
    )
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return nearest.length ? nearest[Math.floor(nearest.length / 2)] : 0;
}

/** 1.5 × the median distance from a site to its nearest neighbour, at least 12 (a lone site: 60). */
export function cellRadius(sites: readonly XY[]): number {
  if (sites.length < 2) return 60;
  return Math.max(12, 1.5 * (medianNearest(sites) || 40 / 1.5));
}

function mean(points: readonly XY[]): XY {
  if (points.length === 0) return { x: 0, y: 0 };
  return {
    x: points.reduce((sum, p) => sum + p.x, 0) / points.length,
    y: points.reduce((sum, p) => sum + p.y, 0) / points.length,
  };
}

/** Fill of a density: 0 (no case) a pale neutral, then light to deep red in five steps relative to `max`. */
export const DENSITY_STEPS = ['#f3f0ee', '#fde0d2', '#f9b095', '#ef7a5c', '#d4442f', '#9e1b12'] as const;
export function densityStep(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((value / max) * 5)));
}

/**
 * The legend of a map whose busiest street has `max` cases: each colour step actually used, with the range of case
 * counts it stands for (`0`, `1`, `2–3` …).
 */
export function densityLegend(max: number): { step: number; label: string }[] {
  const legend = [{ step: 0, label: '0' }];
  if (max <= 0) return legend;
  let from = 1;
  for (let step = 1; step <= 5; step++) {
    const to = Math.floor((max * step) / 5);
    if (to < from) continue;
    legend.push({ step, label: from === to ? `${from}` : `${from}–${to}` });
    from = to + 1;
  }
  return legend;
}
