/**
 * The org tree: every unit that can receive, handle, coordinate or supervise a case, from the city down to the grid.
 *
 * Units are plain JSON-serialisable objects so that they can be stored in PostgreSQL, embedded in rule documents and
 * passed into workflows; an {@link OrgTree} indexes them for the pure look-ups in `org-tree.ts`.
 */

/**
 * Kinds of unit.
 *
 * - `city` (市): a root with districts under it.
 * - `county` (县 / 县级市): a root at district level, with townships and streets directly under it (no district
 *   level). For place resolution and district committees a county plays the district's part.
 * - `district` (区), under the city.
 * - `street` (街道) and `township` (乡镇): the locality level under a district or a county root; both handle direct
 *   dispatch.
 * - `community` (社区) and `village` (村): under a street or township.
 * - `grid` (网格): the smallest area, under a community or village; has a centroid.
 * - `department` (职能部门): a functional department at city, district or county level, or a public-utility company
 *   (`utility: true`) that receives cases like a department.
 * - `committee` (协调委员会): the coordination committee of one community/village, street/township or district/county.
 * - `service-centre`: the 12345 service centre (the dispatcher and arbiter), under the root, or a district's command
 *   centre under its district (a two-level command, as in Nanjing).
 * - `office`: a named body with a {@link OrgUnit.function} under the root or a district: the government office
 *   (政府办公厅), the executive meeting (常务会议), the discipline office (纪委监委), a command centre (指挥中心) …;
 *   or under a community/village, e.g. a village's comprehensive governance centre (村级综治中心, `governance-centre`).
 * - `volunteer-group` (志愿服务队、自治组织): a volunteer or self-organised group under a street/township or a
 *   community/village, with a {@link OrgUnit.function} saying what it does (`volunteer-mediation`, `volunteer-patrol`
 *   …); a unit that can be summoned to a case like a department (a co-unit, a convened unit).
 */
export type OrgUnitKind =
  | 'city'
  | 'county'
  | 'district'
  | 'street'
  | 'township'
  | 'community'
  | 'village'
  | 'grid'
  | 'department'
  | 'committee'
  | 'service-centre'
  | 'office'
  | 'volunteer-group';

/** The kinds that may be the root of a tree. */
export const ROOT_KINDS: readonly OrgUnitKind[] = ['city', 'county'];

/**
 * The kinds that play the district's part for place resolution, district committees and district-level departments:
 * a district, or a county root.
 */
export const DISTRICT_LEVEL_KINDS: readonly OrgUnitKind[] = ['district', 'county'];

/**
 * The three levels that have a coordination committee (the escalation ladder: community → street → district). A
 * `district` committee coordinates a district or a county root.
 */
export type CommitteeLevel = 'community' | 'street' | 'district';

/** A WGS-84 point in decimal degrees. */
export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

/**
 * One unit of the org tree.
 *
 * `id` is a stable ASCII slug (lower-case letters, digits and single hyphens), conventionally prefixed by kind:
 * `d-` district, `s-` street, `t-` township, `c-` community, `v-` village, `g-` grid, `dept-` department,
 * `cc-<locality id>` committee, `o-` office. Ids are recorded in case histories: never rename one.
 */
export interface OrgUnit {
  readonly id: string;
  readonly kind: OrgUnitKind;
  /** Chinese display name, e.g. `湖滨街道`. */
  readonly name: string;
  /** The parent unit; `null` only for the root (city or county). A committee's parent is its locality. */
  readonly parentId: string | null;
  /** Representative point of a grid (required for place resolution by point) or community/village (optional). */
  readonly centroid?: GeoPoint;
  /**
   * The area's outline as a closed ring of at least three points (the last need not repeat the first), e.g. a
   * grid's boundary. A point inside a grid's boundary resolves to that grid whatever the centroid distances.
   */
  readonly boundary?: readonly GeoPoint[];
  /**
   * Departments only: the line of duty (条) the department belongs to, e.g. `urban-management`. A district-level
   * department shares the duty key of its city-level counterpart; routing prefers the district-level one when the
   * place of the case is in that district (分级负责).
   */
  readonly duty?: string;
  /** Departments only: true for a public-utility company (power, gas, water, heating) rather than a government body. */
  readonly utility?: boolean;
  /** Committees only: the level of the committee. */
  readonly level?: CommitteeLevel;
  /** Committees only: the locality the committee coordinates; always equal to `parentId`. */
  readonly localityId?: string;
  /**
   * Offices and volunteer groups only (required on both): what the body does, as a slug: `government-office`
   * (政府办公厅/办公室), `executive-meeting` (常务会议), `discipline-office` (纪委监委), `command-centre` (指挥中心),
   * `governance-centre` (村级综治中心), `volunteer-mediation` (志愿调解队), or any other slug a city needs. Looked up by
   * `officeFor` (offices) and `bodyFor` (offices and volunteer groups).
   */
  readonly function?: string;
}

/** Office functions the product knows by name (a city may add others; any slug is a valid function). */
export const OFFICE_FUNCTIONS = [
  'government-office',
  'executive-meeting',
  'discipline-office',
  'command-centre',
] as const;

/**
 * An indexed, validated org tree. Build it with `buildOrgTree(units)`; to pass a tree across a serialisation boundary
 * (workflow input, JSON column) pass `units` and rebuild.
 */
export interface OrgTree {
  /** The id of the root unit: the city, or the county. */
  readonly rootId: string;
  /** Every unit, in the order given to the builder. */
  readonly units: readonly OrgUnit[];
  /** Units by id. */
  readonly byId: ReadonlyMap<string, OrgUnit>;
  /** Child ids by parent id, in the order given to the builder; a unit without children has no entry. */
  readonly childIds: ReadonlyMap<string, readonly string[]>;
  /** The stored org tree version (1, 2, …) the tree was loaded from; absent for a tree built in memory. */
  readonly version?: number;
}

/**
 * A place as the intake knows it: any mix of explicit ids and a point. Explicit ids win; a point only refines the
 * most specific id given (to the nearest grid under it) or, with no id, locates the nearest grid in the whole tree.
 */
export interface PlaceQuery {
  readonly gridId?: string;
  readonly communityId?: string;
  readonly streetId?: string;
  /** A district, or the county root of a county. */
  readonly districtId?: string;
  readonly point?: GeoPoint;
}

/**
 * A place resolved through the org tree. `district` is always known; the finer levels are present only when the
 * query determined them. `community` may be a village, `street` a township, and `district` a county root.
 */
export interface ResolvedPlace {
  readonly grid?: OrgUnit;
  readonly community?: OrgUnit;
  readonly street?: OrgUnit;
  readonly district: OrgUnit;
  /** Distance in metres from the query point to the chosen grid's centroid, when the grid was found by point. */
  readonly gridDistanceMeters?: number;
}

/** Codes of {@link OrgError}. */
export type OrgErrorCode =
  /** An id does not name any unit of the tree. */
  | 'unknown-unit'
  /** An id names a unit of the wrong kind for where it was used (e.g. a street id given as `communityId`). */
  | 'wrong-kind'
  /** The units given to the builder do not form a valid tree; `problems` lists every defect found. */
  | 'invalid-tree'
  /** The place query named no unit and its point (if any) is not near any grid. */
  | 'place-unresolved'
  /** The ids of a place query contradict each other (e.g. the grid is not in the given street). */
  | 'place-inconsistent'
  /** No coordination committee exists for the locality at the requested level. */
  | 'no-committee'
  /** No office of the requested function exists at the unit or above it. */
  | 'no-office'
  /** No stored org tree has the requested version. */
  | 'unknown-version';

/** Error thrown by org-tree functions; `code` is stable and machine-readable, `message` explains it to a developer. */
export class OrgError extends Error {
  override readonly name = 'OrgError';

  constructor(
    readonly code: OrgErrorCode,
    message: string,
    /** For `invalid-tree`: every problem found, one sentence each. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}
