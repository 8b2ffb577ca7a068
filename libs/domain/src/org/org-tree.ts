import { isValidGeoPoint } from './geo';
import { CommitteeLevel, OrgError, OrgTree, OrgUnit, OrgUnitKind, ROOT_KINDS } from './org.types';

/** Stable ASCII slug: lower-case letters and digits in hyphen-separated words, e.g. `s-hubin`, `dept-housing`. */
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Which parent kinds each kind of unit may hang under (committees are checked by level instead; roots have none). */
const PARENT_KINDS: Readonly<Record<Exclude<OrgUnitKind, 'committee'>, readonly OrgUnitKind[]>> = {
  city: [],
  county: [],
  district: ['city'],
  street: ['district', 'county'],
  township: ['district', 'county'],
  community: ['street', 'township'],
  village: ['street', 'township'],
  grid: ['community', 'village'],
  department: ['city', 'district', 'county'],
  'service-centre': ['city', 'county', 'district'],
  office: ['city', 'district', 'county', 'community', 'village'],
  'volunteer-group': ['street', 'township', 'community', 'village'],
};

/** The kinds whose units may have a boundary (areas); departments, committees, centres and offices are bodies. */
const AREA_KINDS: readonly OrgUnitKind[] = [
  'city',
  'county',
  'district',
  'street',
  'township',
  'community',
  'village',
  'grid',
];

/** The locality kinds that a committee of each level coordinates (a county root is coordinated at district level). */
export const LOCALITY_KINDS_BY_LEVEL: Readonly<Record<CommitteeLevel, readonly OrgUnitKind[]>> = {
  community: ['community', 'village'],
  street: ['street', 'township'],
  district: ['district', 'county'],
};

const KINDS = new Set<string>(['committee', ...Object.keys(PARENT_KINDS)]);

/** Options of {@link buildOrgTree}. */
export interface BuildOrgTreeOptions {
  /** The stored version the units were loaded from, kept as {@link OrgTree.version}. */
  readonly version?: number;
}

/**
 * Validates `units` and returns an indexed, deeply frozen {@link OrgTree}.
 *
 * Checks: ids are unique ASCII slugs; names are non-empty; exactly one root, a `city` or a `county`, the only unit
 * without a parent; every `parentId` exists and has a kind allowed for the child (district under a city;
 * street/township under a district or a county; community/village under street/township; grid under
 * community/village; department under the root or a district; office under the root, a district or a
 * community/village; volunteer group under a street/township or a community/village; service centre under the root
 * or a district); committees carry `level` and `localityId === parentId` of the matching locality kind (a district
 * committee coordinates a district or a county), one per locality; `duty`/`utility` appear only on departments,
 * `function` (a slug) on every office and volunteer group and nowhere else; centroids and boundary points are valid
 * WGS-84 points, a boundary has at least three and belongs to an area (not a body such as a department). The kind constraints make
 * cycles impossible.
 *
 * @throws OrgError `invalid-tree` listing every problem found.
 */
export function buildOrgTree(units: readonly OrgUnit[], options: BuildOrgTreeOptions = {}): OrgTree {
  const problems: string[] = [];
  const byId = new Map<string, OrgUnit>();
  for (const unit of units) {
    if (!ID_PATTERN.test(unit.id)) problems.push(`unit id '${unit.id}' is not an ASCII slug`);
    if (byId.has(unit.id)) problems.push(`unit id '${unit.id}' is used more than once`);
    if (!KINDS.has(unit.kind)) problems.push(`unit '${unit.id}' has unknown kind '${unit.kind}'`);
    if (unit.name.trim() === '') problems.push(`unit '${unit.id}' has an empty name`);
    if (unit.centroid && !isValidGeoPoint(unit.centroid)) problems.push(`unit '${unit.id}' has an invalid centroid`);
    problems.push(...boundaryProblems(unit));
    byId.set(unit.id, freezeUnit(unit));
  }

  const roots = units.filter((unit) => unit.parentId === null);
  if (roots.length !== 1) {
    problems.push(`the tree needs exactly one root (a city or a county), found ${roots.length}`);
  }
  for (const root of roots) {
    if (!ROOT_KINDS.includes(root.kind)) {
      problems.push(`unit '${root.id}' (${root.kind}) has no parent; only the root city or county may`);
    }
  }

  const childIds = new Map<string, string[]>();
  const committeeOf = new Map<string, string>();
  for (const unit of units) {
    problems.push(...fieldProblems(unit));
    if (unit.parentId === null) continue;
    const parent = byId.get(unit.parentId);
    if (!parent) {
      problems.push(`unit '${unit.id}' has unknown parent '${unit.parentId}'`);
      continue;
    }
    childIds.set(parent.id, [...(childIds.get(parent.id) ?? []), unit.id]);
    problems.push(...kindProblems(unit, parent));
    if (unit.kind === 'committee' && unit.localityId !== undefined) {
      const existing = committeeOf.get(unit.localityId);
      if (existing) problems.push(`locality '${unit.localityId}' has two committees: '${existing}', '${unit.id}'`);
      committeeOf.set(unit.localityId, unit.id);
    }
  }

  if (problems.length > 0) {
    throw new OrgError('invalid-tree', `invalid org tree: ${problems.length} problem(s): ${problems[0]}`, problems);
  }
  const frozenChildIds = new Map<string, readonly string[]>();
  for (const [parentId, ids] of childIds) frozenChildIds.set(parentId, Object.freeze(ids));
  return Object.freeze({
    rootId: roots[0].id,
    units: Object.freeze(units.map((unit) => byId.get(unit.id) as OrgUnit)),
    byId,
    childIds: frozenChildIds,
    ...(options.version === undefined ? {} : { version: options.version }),
  });
}

/** Where a unit hangs: its kind against its parent's (committees by level). */
function kindProblems(unit: OrgUnit, parent: OrgUnit): string[] {
  const problems: string[] = [];
  if (unit.kind === 'committee') {
    if (!unit.level || !(unit.level in LOCALITY_KINDS_BY_LEVEL)) {
      problems.push(`committee '${unit.id}' needs a level (community, street or district)`);
    } else if (!LOCALITY_KINDS_BY_LEVEL[unit.level].includes(parent.kind)) {
      problems.push(`committee '${unit.id}' of level ${unit.level} cannot coordinate a ${parent.kind}`);
    }
    if (unit.localityId !== unit.parentId) {
      problems.push(`committee '${unit.id}' must have localityId equal to its parentId '${unit.parentId}'`);
    }
  } else {
    const allowed = PARENT_KINDS[unit.kind as keyof typeof PARENT_KINDS];
    if (allowed && !allowed.includes(parent.kind)) {
      problems.push(`unit '${unit.id}' (${unit.kind}) cannot be under '${parent.id}' (${parent.kind})`);
    }
  }
  return problems;
}

/** The fields a unit may only carry as a department, committee or office. */
function fieldProblems(unit: OrgUnit): string[] {
  const problems: string[] = [];
  if (unit.kind !== 'committee' && (unit.level !== undefined || unit.localityId !== undefined)) {
    problems.push(`unit '${unit.id}' (${unit.kind}) is not a committee but has level/localityId`);
  }
  if (unit.kind !== 'department' && (unit.duty !== undefined || unit.utility !== undefined)) {
    problems.push(`unit '${unit.id}' (${unit.kind}) is not a department but has duty/utility`);
  }
  if (unit.kind === 'office' || unit.kind === 'volunteer-group') {
    if (unit.function === undefined || !ID_PATTERN.test(unit.function)) {
      const example = unit.kind === 'office' ? 'government-office' : 'volunteer-mediation';
      problems.push(`${unit.kind} '${unit.id}' needs a function slug (e.g. ${example})`);
    }
  } else if (unit.function !== undefined) {
    problems.push(
      `unit '${unit.id}' (${unit.kind}) is not an office but has a function (only offices and volunteer groups do)`,
    );
  }
  return problems;
}

function boundaryProblems(unit: OrgUnit): string[] {
  if (unit.boundary === undefined) return [];
  if (!AREA_KINDS.includes(unit.kind)) return [`unit '${unit.id}' (${unit.kind}) is not an area but has a boundary`];
  if (unit.boundary.length < 3) return [`unit '${unit.id}' has a boundary of fewer than 3 points`];
  if (!unit.boundary.every(isValidGeoPoint)) return [`unit '${unit.id}' has an invalid boundary point`];
  return [];
}

function freezeUnit(unit: OrgUnit): OrgUnit {
  const copy: OrgUnit = {
    ...unit,
    ...(unit.centroid ? { centroid: Object.freeze({ ...unit.centroid }) } : {}),
    ...(unit.boundary ? { boundary: Object.freeze(unit.boundary.map((point) => Object.freeze({ ...point }))) } : {}),
  };
  return Object.freeze(copy);
}

/** The unit with this id, or `undefined` when there is none. */
export function findUnit(tree: OrgTree, id: string): OrgUnit | undefined {
  return tree.byId.get(id);
}

/**
 * The unit with this id.
 *
 * @param kinds when given, the unit must be of one of these kinds.
 * @throws OrgError `unknown-unit` when no unit has the id; `wrong-kind` when it is not of one of `kinds`.
 */
export function getUnit(tree: OrgTree, id: string, kinds?: readonly OrgUnitKind[]): OrgUnit {
  const unit = tree.byId.get(id);
  if (!unit) throw new OrgError('unknown-unit', `no org unit has id '${id}'`);
  if (kinds && !kinds.includes(unit.kind)) {
    throw new OrgError('wrong-kind', `org unit '${id}' is a ${unit.kind}, expected ${kinds.join(' or ')}`);
  }
  return unit;
}

/**
 * The direct children of a unit, in tree order (empty for a leaf).
 *
 * @throws OrgError `unknown-unit`.
 */
export function childrenOf(tree: OrgTree, id: string): OrgUnit[] {
  getUnit(tree, id);
  return (tree.childIds.get(id) ?? []).map((childId) => tree.byId.get(childId) as OrgUnit);
}

/**
 * The ancestors of a unit, nearest first, ending with the root; the unit itself is not included (the root has none).
 *
 * @throws OrgError `unknown-unit`.
 */
export function ancestorsOf(tree: OrgTree, id: string): OrgUnit[] {
  const ancestors: OrgUnit[] = [];
  let current = getUnit(tree, id);
  while (current.parentId !== null) {
    current = tree.byId.get(current.parentId) as OrgUnit;
    ancestors.push(current);
  }
  return ancestors;
}

/**
 * The coordination committee at `level` for the locality that contains `localityId`: the unit itself if it is a
 * locality of that level, else its nearest ancestor of that level. So `committeeFor(tree, gridId, 'street')` is the
 * street committee of the street the grid lies in; a district-level department maps to its district's committee.
 *
 * @throws OrgError `unknown-unit`; `no-committee` when the unit lies in no locality of that level (e.g. a city-level
 *   department, or a street asked for its community committee) or that locality has no committee.
 */
export function committeeFor(tree: OrgTree, localityId: string, level: CommitteeLevel): OrgUnit {
  const self = getUnit(tree, localityId);
  const kinds = LOCALITY_KINDS_BY_LEVEL[level];
  const locality = [self, ...ancestorsOf(tree, localityId)].find((unit) => kinds.includes(unit.kind));
  if (!locality) {
    throw new OrgError('no-committee', `org unit '${localityId}' (${self.kind}) lies in no ${level}-level locality`);
  }
  const committee = childrenOf(tree, locality.id).find((unit) => unit.kind === 'committee');
  if (!committee) {
    throw new OrgError('no-committee', `locality '${locality.id}' has no ${level} coordination committee`);
  }
  return committee;
}

/**
 * The office of function `fn` nearest to a unit, walking up from it: an office among the children of the unit
 * itself, else of its parent, and so on to the root. So for a street, its district's own office comes before the
 * city's; for a county's township, the county's.
 *
 * @throws OrgError `unknown-unit`; `no-office` when neither the unit nor any ancestor has such an office.
 */
export function officeFor(tree: OrgTree, placeUnitId: string, fn: string): OrgUnit {
  const self = getUnit(tree, placeUnitId);
  for (const unit of [self, ...ancestorsOf(tree, placeUnitId)]) {
    const office = childrenOf(tree, unit.id).find((child) => child.kind === 'office' && child.function === fn);
    if (office) return office;
  }
  throw new OrgError('no-office', `no ${fn} office at or above org unit '${placeUnitId}' (${self.kind})`);
}

/** The kinds of body found by function ({@link bodyFor}). */
export const FUNCTION_BODY_KINDS: readonly OrgUnitKind[] = ['office', 'volunteer-group'];

/**
 * The office or volunteer group of function `fn` nearest to a unit, walking up from it as {@link officeFor} does: so
 * for a grid of a village, the village's own governance centre or mediation group before anything above it.
 *
 * @throws OrgError `unknown-unit`; `no-office` when neither the unit nor any ancestor has such a body.
 */
export function bodyFor(tree: OrgTree, placeUnitId: string, fn: string): OrgUnit {
  const self = getUnit(tree, placeUnitId);
  for (const unit of [self, ...ancestorsOf(tree, placeUnitId)]) {
    const body = childrenOf(tree, unit.id).find(
      (child) => FUNCTION_BODY_KINDS.includes(child.kind) && child.function === fn,
    );
    if (body) return body;
  }
  throw new OrgError('no-office', `no office or volunteer group '${fn}' at or above org unit '${placeUnitId}'`);
}
