import { isValidGeoPoint } from '../../../../libs/domain/src/org/geo';
import { ancestorsOf, findUnit } from '../../../../libs/domain/src/org/org-tree';
import {
  DISTRICT_LEVEL_KINDS,
  GeoPoint,
  OrgError,
  OrgTree,
  OrgUnit,
  OrgUnitKind,
  PlaceQuery,
  ResolvedPlace,
} from '../../../../libs/domain/src/org/org.types';
import { resolvePlace } from '../../../../libs/domain/src/org/resolve-place';
import type { PlaceRef } from '../../../../libs/domain/src/case/case.types';
import { Open311Error } from './open311.errors';

/*
 * Jurisdictions and locations of Open311 requests, over the org tree (pure: no I/O).
 *
 * A jurisdiction is a scope of published rules: the city (its root unit), and each district that has a process
 * definition version of its own. The city's jurisdiction covers the districts that have none.
 */

/** One jurisdiction this server serves; its id is the id of its org unit (the city root or a district). */
export interface Jurisdiction {
  readonly id: string;
  readonly name: string;
  /** The district, for a district's jurisdiction; absent for the city's. */
  readonly districtId?: string;
  /** For the city's: the districts that are jurisdictions of their own, hence outside it. */
  readonly excludedDistrictIds: readonly string[];
}

/** The jurisdictions of a city whose districts `ownVersionDistrictIds` have versions of their own: the city first. */
export function jurisdictionsOf(tree: OrgTree, ownVersionDistrictIds: readonly string[]): Jurisdiction[] {
  const root = findUnit(tree, tree.rootId);
  const districts = ownVersionDistrictIds
    .map((id) => findUnit(tree, id))
    .filter((unit): unit is OrgUnit => unit !== undefined && DISTRICT_LEVEL_KINDS.includes(unit.kind))
    .sort((a, b) => a.id.localeCompare(b.id));
  return [
    { id: tree.rootId, name: root?.name ?? tree.rootId, excludedDistrictIds: districts.map((unit) => unit.id) },
    ...districts.map((unit) => ({ id: unit.id, name: unit.name, districtId: unit.id, excludedDistrictIds: [] })),
  ];
}

/**
 * The jurisdiction a request names. `jurisdiction_id` may be left out only while the server serves one.
 * @throws Open311Error 400 when it is needed and missing; 404 when it names none of them.
 */
export function pickJurisdiction(jurisdictions: readonly Jurisdiction[], requested: string | undefined): Jurisdiction {
  const list = jurisdictions.map((j) => `${j.id} (${j.name})`).join(', ');
  if (requested === undefined || requested === '') {
    if (jurisdictions.length === 1) return jurisdictions[0];
    throw Open311Error.badRequest(`jurisdiction_id: required, as this server serves several jurisdictions: ${list}`);
  }
  const found = jurisdictions.find((jurisdiction) => jurisdiction.id === requested);
  if (!found) throw Open311Error.notFound(`jurisdiction_id ${requested} was not found; this server serves ${list}`);
  return found;
}

/** The location parameters of `POST requests`, as sent (form fields are text). */
export interface Open311Location {
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
}

/** Where a request is: its place in the org tree, the address to record, and the point when one was sent. */
export interface LocatedRequest {
  place: PlaceRef;
  address: string;
  point?: GeoPoint;
}

/** The units an `address_id` or an address may name, most specific first, with the place field each fills. */
const ADDRESS_LEVELS: ReadonlyArray<{ key: keyof PlaceRef; kinds: readonly OrgUnitKind[] }> = [
  { key: 'gridId', kinds: ['grid'] },
  { key: 'communityId', kinds: ['community', 'village'] },
  { key: 'streetId', kinds: ['street', 'township'] },
  { key: 'districtId', kinds: DISTRICT_LEVEL_KINDS },
];

/**
 * Resolves a request's location through the org tree, inside its jurisdiction, by the first of: `lat` + `long` (the
 * grid whose outline holds the point, else the nearest grid centroid within reach — intake's `resolvePlace`);
 * `address_id` (an org unit id: grid, community or village, street or township, district); `address_string` (the
 * most specific units of the jurisdiction whose names it contains, e.g. `…湖滨街道西苑社区…`).
 *
 * @throws Open311Error 400 naming the field: no location at all, half a point, a value that is not a number or out
 *   of range, an unknown or unfit unit, an address naming no unit, a place outside the jurisdiction (named).
 */
export function locateRequest(tree: OrgTree, jurisdiction: Jurisdiction, location: Open311Location): LocatedRequest {
  const addressString = location.address_string?.trim() || undefined;
  const addressId = location.address_id?.trim() || undefined;
  const hasLat = Boolean(location.lat?.trim());
  const hasLong = Boolean(location.long?.trim());
  if (hasLat || hasLong) {
    if (!hasLat || !hasLong) {
      throw Open311Error.badRequest(`${hasLat ? 'long' : 'lat'}: required with ${hasLat ? 'lat' : 'long'}`);
    }
    const point = { lat: Number(location.lat), lng: Number(location.long) };
    const problems = [
      ...(Number.isFinite(point.lat) && Math.abs(point.lat) <= 90 ? [] : ['lat: must be a WGS-84 latitude, -90 to 90']),
      ...(Number.isFinite(point.lng) && Math.abs(point.lng) <= 180
        ? []
        : ['long: must be a WGS-84 longitude, -180 to 180']),
    ];
    if (problems.length > 0 || !isValidGeoPoint(point)) throw Open311Error.badRequest(...problems);
    const where = `lat/long (${point.lat}, ${point.lng})`;
    const place = resolveOrRefuse(tree, { point }, where, jurisdiction);
    return { place: placeRef(place), address: addressString ?? describePlace(place), point };
  }
  if (addressId) {
    const unit = findUnit(tree, addressId);
    const level = unit && ADDRESS_LEVELS.find(({ kinds }) => kinds.includes(unit.kind));
    if (!unit || !level) {
      throw Open311Error.badRequest(
        `address_id: ${addressId} is not a grid, community, village, street, township or district of ${jurisdiction.name}`,
      );
    }
    const place = resolveOrRefuse(tree, { [level.key]: unit.id }, `address_id ${addressId}`, jurisdiction);
    return { place: placeRef(place), address: addressString ?? describePlace(place) };
  }
  if (addressString) {
    const query = unitsNamedIn(tree, jurisdiction, addressString);
    if (Object.keys(query).length === 0) {
      throw Open311Error.badRequest(
        `address_string: names no district, street, township, community or village of ${jurisdiction.name} ` +
          `(${jurisdiction.id}); send lat and long, or address_id`,
      );
    }
    const place = resolveOrRefuse(tree, query, 'address_string', jurisdiction);
    return { place: placeRef(place), address: addressString };
  }
  throw Open311Error.badRequest('location: send lat and long, address_string or address_id');
}

function resolveOrRefuse(tree: OrgTree, query: PlaceQuery, where: string, jurisdiction: Jurisdiction): ResolvedPlace {
  let place: ResolvedPlace;
  try {
    place = resolvePlace(tree, query);
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    if (error.code === 'place-unresolved' && query.point) {
      throw Open311Error.badRequest(
        `${where}: lies outside jurisdiction ${jurisdiction.id} (${jurisdiction.name}): no grid of it is near`,
      );
    }
    throw Open311Error.badRequest(`${where}: ${error.message}`);
  }
  const district = place.district;
  if (jurisdiction.districtId !== undefined && district.id !== jurisdiction.districtId) {
    throw Open311Error.badRequest(
      `${where}: lies in ${district.name} (${district.id}), outside jurisdiction ${jurisdiction.id} (${jurisdiction.name})`,
    );
  }
  if (jurisdiction.excludedDistrictIds.includes(district.id)) {
    throw Open311Error.badRequest(
      `${where}: lies in ${district.name} (${district.id}), outside jurisdiction ${jurisdiction.id} ` +
        `(${jurisdiction.name}): ${district.id} is a jurisdiction of its own; file it there`,
    );
  }
  return place;
}

/** For each level, the unit of the jurisdiction with the longest name that the address contains. */
function unitsNamedIn(tree: OrgTree, jurisdiction: Jurisdiction, address: string): PlaceQuery {
  const inside = (unit: OrgUnit) => {
    const chain = [unit, ...ancestorsOf(tree, unit.id)];
    const district = chain.find((candidate) => DISTRICT_LEVEL_KINDS.includes(candidate.kind));
    if (!district) return false;
    if (jurisdiction.districtId !== undefined) return district.id === jurisdiction.districtId;
    return !jurisdiction.excludedDistrictIds.includes(district.id);
  };
  const query: Record<string, string> = {};
  for (const { key, kinds } of ADDRESS_LEVELS) {
    const named = tree.units
      .filter((unit) => kinds.includes(unit.kind) && unit.name.length >= 2 && address.includes(unit.name))
      .filter(inside)
      .sort((a, b) => b.name.length - a.name.length);
    if (named[0]) query[key] = named[0].id;
  }
  return query;
}

function placeRef(place: ResolvedPlace): PlaceRef {
  return {
    ...(place.grid ? { gridId: place.grid.id } : {}),
    ...(place.community ? { communityId: place.community.id } : {}),
    ...(place.street ? { streetId: place.street.id } : {}),
    districtId: place.district.id,
  };
}

/** The place's names from the most general to the most specific, e.g. `东湖区湖滨街道西苑社区`. */
export function describePlace(place: ResolvedPlace): string {
  return [place.district, place.street, place.community].flatMap((unit) => (unit ? [unit.name] : [])).join('');
}
