import { haversineMeters, isPointInPolygon, isValidGeoPoint } from './geo';
import { ancestorsOf, getUnit } from './org-tree';
import {
  DISTRICT_LEVEL_KINDS,
  GeoPoint,
  OrgError,
  OrgTree,
  OrgUnit,
  OrgUnitKind,
  PlaceQuery,
  ResolvedPlace,
} from './org.types';

/**
 * Default for {@link ResolvePlaceOptions.maxGridDistanceMeters}: a point farther than 2 km from every grid centroid is
 * not trusted to lie in any of them (urban grids are a few hundred metres across; village grids up to a kilometre or
 * two).
 */
export const DEFAULT_MAX_GRID_DISTANCE_METERS = 2000;

/** Options of {@link resolvePlace}. */
export interface ResolvePlaceOptions {
  /** Farthest distance in metres from a point to a grid centroid for the grid to be chosen. */
  readonly maxGridDistanceMeters?: number;
}

/** Query fields from the most specific to the least, with the unit kinds each may name. */
const LEVELS: ReadonlyArray<{
  key: 'gridId' | 'communityId' | 'streetId' | 'districtId';
  kinds: readonly OrgUnitKind[];
}> = [
  { key: 'gridId', kinds: ['grid'] },
  { key: 'communityId', kinds: ['community', 'village'] },
  { key: 'streetId', kinds: ['street', 'township'] },
  { key: 'districtId', kinds: DISTRICT_LEVEL_KINDS },
];

/** True when the query names no unit and has no point, i.e. the place is not known at all. */
export function isEmptyPlaceQuery(query: PlaceQuery): boolean {
  return LEVELS.every(({ key }) => query[key] === undefined) && query.point === undefined;
}

/**
 * Resolves a place to grid → community → street → district through the org tree. In a county (a county root, no
 * district level) the county plays the district's part: `districtId` may name it and `district` is the county.
 *
 * 1. Every id given is looked up and must be of the right kind; the most specific one is the anchor, and every
 *    coarser id given must be one of its ancestors.
 * 2. If the anchor is not a grid and a point is given, the point picks the grid under the anchor — or anywhere in the
 *    tree when no id was given — whose boundary contains it (the first listed, if outlines overlap), else the nearest
 *    grid by centroid within `maxGridDistanceMeters`. Ties go to the grid listed first. A point in and near no grid
 *    leaves the anchor as it is.
 * 3. The result holds the anchor and its locality ancestors. If only a district is known, only `district` is set.
 *
 * @throws OrgError `unknown-unit` / `wrong-kind` for a bad id; `place-inconsistent` when ids contradict each other;
 *   `place-unresolved` when no id was given and the point (if any) is near no grid, or the point is invalid.
 */
export function resolvePlace(tree: OrgTree, query: PlaceQuery, options: ResolvePlaceOptions = {}): ResolvedPlace {
  const maxDistance = options.maxGridDistanceMeters ?? DEFAULT_MAX_GRID_DISTANCE_METERS;
  const given = LEVELS.filter(({ key }) => query[key] !== undefined).map(({ key, kinds }) =>
    getUnit(tree, query[key] as string, kinds),
  );
  let anchor: OrgUnit | undefined = given[0];
  if (anchor) {
    const ancestorIds = new Set(ancestorsOf(tree, anchor.id).map((unit) => unit.id));
    for (const coarser of given.slice(1)) {
      if (!ancestorIds.has(coarser.id)) {
        throw new OrgError('place-inconsistent', `org unit '${anchor.id}' does not lie in '${coarser.id}'`);
      }
    }
  }

  let gridDistanceMeters: number | undefined;
  if (query.point && anchor?.kind !== 'grid') {
    if (!isValidGeoPoint(query.point)) {
      throw new OrgError('place-unresolved', `point (${query.point.lat}, ${query.point.lng}) is not a valid location`);
    }
    const nearest = nearestGrid(tree, query.point, anchor, maxDistance);
    if (nearest) {
      anchor = nearest.grid;
      gridDistanceMeters = nearest.distanceMeters;
    }
  }
  if (!anchor) {
    throw new OrgError(
      'place-unresolved',
      query.point
        ? `no grid centroid lies within ${maxDistance} m of (${query.point.lat}, ${query.point.lng})`
        : 'the place names no grid, community, street or district and has no point',
    );
  }

  const chain = [anchor, ...ancestorsOf(tree, anchor.id)];
  const pick = (kinds: readonly OrgUnitKind[]) => chain.find((unit) => kinds.includes(unit.kind));
  const district = pick(DISTRICT_LEVEL_KINDS);
  if (!district) {
    // Unreachable for a valid tree: every locality kind lies under a district or a county root.
    throw new OrgError('place-unresolved', `org unit '${anchor.id}' lies in no district`);
  }
  return {
    ...optional('grid', pick(['grid'])),
    ...optional('community', pick(['community', 'village'])),
    ...optional('street', pick(['street', 'township'])),
    district,
    ...(gridDistanceMeters === undefined ? {} : { gridDistanceMeters }),
  };
}

/** `{ [key]: unit }` or `{}`, so that absent levels are absent keys rather than `undefined` values. */
function optional<K extends string>(key: K, unit: OrgUnit | undefined): Partial<Record<K, OrgUnit>> {
  return unit ? ({ [key]: unit } as Record<K, OrgUnit>) : {};
}

function nearestGrid(
  tree: OrgTree,
  point: GeoPoint,
  within: OrgUnit | undefined,
  maxDistance: number,
): { grid: OrgUnit; distanceMeters: number } | undefined {
  let best: { grid: OrgUnit; distanceMeters: number } | undefined;
  const grids = tree.units.filter(
    (unit) =>
      unit.kind === 'grid' && (!within || ancestorsOf(tree, unit.id).some((ancestor) => ancestor.id === within.id)),
  );
  const containing = grids.find((grid) => grid.boundary && isPointInPolygon(point, grid.boundary));
  if (containing) {
    return {
      grid: containing,
      distanceMeters: containing.centroid ? haversineMeters(point, containing.centroid) : 0,
    };
  }
  for (const unit of grids) {
    if (!unit.centroid) continue;
    const distanceMeters = haversineMeters(point, unit.centroid);
    if (distanceMeters <= maxDistance && (!best || distanceMeters < best.distanceMeters)) {
      best = { grid: unit, distanceMeters };
    }
  }
  return best;
}
