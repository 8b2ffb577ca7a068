import { bodyFor, childrenOf, getUnit } from '../org/org-tree';
import { OrgTree, OrgUnit, PlaceQuery, ResolvedPlace } from '../org/org.types';
import { isEmptyPlaceQuery, resolvePlace } from '../org/resolve-place';
import { getCategory } from './routing-catalogue';
import { CaseKind, Urgency } from '../case/case.types';
import {
  DeadlineSet,
  handlerFunction,
  LOCALITY_HANDLER,
  RouteHandler,
  RoutingCatalogue,
  RoutingError,
  RoutingLocalityLevel,
} from './routing.types';

/**
 * The facts dispatch is decided on, as intake recorded them. A `CaseFacts` (case.types) is a valid `RouteFacts`: its
 * `place` carries ids only.
 */
export interface RouteFacts {
  /** Category id in the routing catalogue. */
  readonly category: string;
  readonly kind: CaseKind;
  /** Urgency decided at intake; the category's default when absent. */
  readonly urgency?: Urgency;
  /** Where the matter is; may be absent or empty for department-handled categories. */
  readonly place?: PlaceQuery;
}

/**
 * How a case is dispatched:
 * - `direct-to-street` / `direct-to-community` / `direct-to-grid`: a locality matter goes to the place's unit of the
 *   category's locality level (or the nearest coarser one the place names), with a copy to its district where the
 *   definition says so;
 * - `department`: the category names a department as lead;
 * - `body-by-function`: the category names a body by function (`function:<slug>`): the nearest such office or
 *   volunteer group at or above the place leads (a village's comprehensive governance centre);
 * - `district-coordinate`: a locality matter where only the district is known goes to the district to coordinate.
 */
export type DispatchMode =
  | 'direct-to-street'
  | 'direct-to-community'
  | 'direct-to-grid'
  | 'department'
  | 'body-by-function'
  | 'district-coordinate';

/** What the process definition says about dispatch (`ProcessDefinition.dispatch`); defaults are Beijing's. */
export interface DispatchOptions {
  /** Where a `locality` category goes unless the category says otherwise; default `street`. */
  readonly localityLevel?: RoutingLocalityLevel;
  /** Direct dispatch to a locality copies its district; default true. */
  readonly copyToDistrict?: boolean;
}

/** The resolved place of a dispatch decision, as unit ids (the finer levels only when known). */
export interface DispatchPlace {
  readonly gridId?: string;
  readonly communityId?: string;
  readonly streetId?: string;
  readonly districtId: string;
}

/** The outcome of {@link evaluateRoute}: who leads, who helps, who is copied, and the limits to stamp. */
export interface DispatchDecision {
  readonly mode: DispatchMode;
  /** Category id. */
  readonly category: string;
  /** `<catalogue id>@<version>`, to pin on the case. */
  readonly catalogueRef: string;
  readonly urgency: Urgency;
  /** The unit that owns the case (首接负责). */
  readonly leadUnitId: string;
  /** Units that report their part to the lead; never contains the lead; order as in the catalogue. */
  readonly coUnitIds: readonly string[];
  /** Units that receive a copy to supervise (the district on direct dispatch); they do not handle. */
  readonly copyUnitIds: readonly string[];
  /** Durations for sign, contact and handle; the calendar turns them into instants from the dispatch time. */
  readonly deadlines: DeadlineSet;
  /** True when the category is excluded from satisfaction scoring. */
  readonly enforcementOrMediation: boolean;
  /** The resolved place, when the facts had one. */
  readonly place?: DispatchPlace;
  /** Why: one sentence per step of the decision, for the audit log and the dispatcher's screen. */
  readonly reasons: readonly string[];
}

/**
 * Decides where a case goes (职权法定、属地管理、分级负责).
 *
 * - Handler `locality`: the place's unit at the category's locality level (else `options.localityLevel`, else the
 *   street/township) leads — or the nearest coarser level the place names — and its district is copied unless
 *   `options.copyToDistrict` is false; if the place resolves only to a district, the district leads
 *   (`district-coordinate`).
 * - Handler a department: it leads (`department`). A city-level department is replaced by the department of the
 *   place's district that has the same `duty`, when there is one (e.g. `dept-urban-management` →
 *   `dept-donghu-urban-management` for a place in 东湖区). Co-units are resolved the same way; a `locality` co-unit is
 *   the street (or the district when only it is known) and is dropped when the case has no place.
 * - Handler `function:<slug>`: the office or volunteer group of that function nearest to the place leads
 *   (`body-by-function`; no district copy); as a co-unit it is resolved the same way, dropped without a place.
 * - Urgency is the fact's, else the category default. Deadlines, most specific first: the category's
 *   `kindDeadlines` for the kind and urgency, the catalogue's `kindDeadlines` for them, the category's `deadlines`.
 *
 * @throws RoutingError `unknown-category`; `kind-not-applicable` when the category does not accept the kind;
 *   `place-required` for a locality or `function:` category without a place. OrgError from place resolution
 *   (unknown ids, inconsistent place, point near no grid) and `no-office` when the place has no body of a function.
 */
export function evaluateRoute(
  catalogue: RoutingCatalogue,
  tree: OrgTree,
  facts: RouteFacts,
  options: DispatchOptions = {},
): DispatchDecision {
  const category = getCategory(catalogue, facts.category);
  if (!category.kinds.includes(facts.kind)) {
    throw new RoutingError(
      'kind-not-applicable',
      `category '${category.id}' accepts ${category.kinds.join(', ')}, not '${facts.kind}'`,
    );
  }
  const reasons: string[] = [];
  const urgency = facts.urgency ?? category.defaultUrgency;
  reasons.push(
    facts.urgency
      ? `urgency ${urgency} as stated at intake`
      : `urgency ${urgency} by default of category ${category.id} (${category.name})`,
  );
  const place = facts.place && !isEmptyPlaceQuery(facts.place) ? resolvePlace(tree, facts.place) : undefined;
  if (place) reasons.push(`place resolved to ${describePlace(place)}`);

  let mode: DispatchMode;
  let lead: OrgUnit;
  const copyUnitIds: string[] = [];
  if (category.handler === LOCALITY_HANDLER) {
    if (!place) {
      throw new RoutingError('place-required', `category '${category.id}' is dispatched to the locality: give a place`);
    }
    const level = category.localityLevel ?? options.localityLevel ?? 'street';
    const local = localityAt(place, level);
    if (local) {
      mode = LOCALITY_MODES[local.level];
      lead = local.unit;
      const copy = options.copyToDistrict ?? true;
      if (copy) copyUnitIds.push(place.district.id);
      reasons.push(
        `locality matter at the ${level} level: direct dispatch to ${unitLabel(lead)}` +
          (local.level !== level ? ` (the place names no ${level})` : '') +
          (copy ? `, copy to ${unitLabel(place.district)}` : ''),
      );
    } else {
      mode = 'district-coordinate';
      lead = place.district;
      reasons.push(`locality matter with only the district known: ${unitLabel(lead)} coordinates`);
    }
  } else if (handlerFunction(category.handler) !== undefined) {
    mode = 'body-by-function';
    lead = resolveBody(tree, category.handler, category.id, place);
    reasons.push(`category ${category.id} is led by the ${category.handler} of the place: ${unitLabel(lead)}`);
  } else {
    mode = 'department';
    lead = resolveDepartment(tree, category.handler, place, reasons);
    reasons.push(`category ${category.id} is led by ${unitLabel(lead)}`);
  }

  const coUnitIds: string[] = [];
  for (const ref of category.coUnits ?? []) {
    const unit = resolveCoUnit(tree, ref, place, reasons);
    if (unit && unit.id !== lead.id && !coUnitIds.includes(unit.id)) coUnitIds.push(unit.id);
  }
  if (coUnitIds.length > 0) reasons.push(`co-units: ${coUnitIds.join(', ')}`);

  const byCategoryKind = category.kindDeadlines?.[facts.kind]?.[urgency];
  const byCatalogueKind = catalogue.kindDeadlines?.[facts.kind]?.[urgency];
  const deadlines = byCategoryKind ?? byCatalogueKind ?? category.deadlines[urgency];
  const source = byCategoryKind
    ? `category ${category.id} for ${facts.kind}`
    : byCatalogueKind
      ? `the catalogue for ${facts.kind}`
      : `category ${category.id}`;
  reasons.push(
    `deadlines (${urgency}, from ${source}): sign ${deadlines.sign}, contact ${deadlines.contact}, handle ${deadlines.handle}`,
  );
  return {
    mode,
    category: category.id,
    catalogueRef: `${catalogue.id}@${catalogue.version}`,
    urgency,
    leadUnitId: lead.id,
    coUnitIds,
    copyUnitIds,
    deadlines,
    enforcementOrMediation: category.enforcementOrMediation === true,
    ...(place ? { place: placeIds(place) } : {}),
    reasons,
  };
}

const LOCALITY_MODES: Readonly<Record<RoutingLocalityLevel, DispatchMode>> = {
  street: 'direct-to-street',
  community: 'direct-to-community',
  grid: 'direct-to-grid',
};

/** The place's unit at `level`, or at the nearest coarser locality level the place knows; none if only the district. */
function localityAt(
  place: ResolvedPlace,
  level: RoutingLocalityLevel,
): { unit: OrgUnit; level: RoutingLocalityLevel } | undefined {
  const order: RoutingLocalityLevel[] = ['grid', 'community', 'street'];
  for (const candidate of order.slice(order.indexOf(level))) {
    const unit = place[candidate];
    if (unit) return { unit, level: candidate };
  }
  return undefined;
}

function resolveCoUnit(
  tree: OrgTree,
  ref: RouteHandler,
  place: ResolvedPlace | undefined,
  reasons: string[],
): OrgUnit | undefined {
  if (handlerFunction(ref) !== undefined) {
    if (!place) {
      reasons.push(`co-unit ${ref} dropped: the case has no place`);
      return undefined;
    }
    return resolveBody(tree, ref, undefined, place);
  }
  if (ref !== LOCALITY_HANDLER) return resolveDepartment(tree, ref, place, reasons);
  if (!place) {
    reasons.push('locality co-unit dropped: the case has no place');
    return undefined;
  }
  return place.street ?? place.district;
}

/**
 * The office or volunteer group a `function:<slug>` reference names at the place: the nearest one walking up from the
 * place's finest unit (`bodyFor`).
 * @throws RoutingError `place-required` for a lead without a place; OrgError `no-office` when the place has none.
 */
function resolveBody(
  tree: OrgTree,
  ref: RouteHandler,
  categoryId: string | undefined,
  place: ResolvedPlace | undefined,
): OrgUnit {
  if (!place) {
    throw new RoutingError('place-required', `category '${categoryId}' is led by ${ref} of the place: give a place`);
  }
  const finest = place.grid ?? place.community ?? place.street ?? place.district;
  return bodyFor(tree, finest.id, handlerFunction(ref) as string);
}

/** The department `id`, or its same-duty counterpart in the place's district (分级负责). */
function resolveDepartment(tree: OrgTree, id: string, place: ResolvedPlace | undefined, reasons: string[]): OrgUnit {
  const department = getUnit(tree, id, ['department']);
  if (!place || department.duty === undefined || department.parentId === place.district.id) return department;
  const local = childrenOf(tree, place.district.id).find(
    (unit) => unit.kind === 'department' && unit.duty === department.duty,
  );
  if (!local) return department;
  reasons.push(`${department.id} handled at district level by ${unitLabel(local)}`);
  return local;
}

function placeIds(place: ResolvedPlace): DispatchPlace {
  return {
    ...(place.grid ? { gridId: place.grid.id } : {}),
    ...(place.community ? { communityId: place.community.id } : {}),
    ...(place.street ? { streetId: place.street.id } : {}),
    districtId: place.district.id,
  };
}

function describePlace(place: ResolvedPlace): string {
  return [place.grid, place.community, place.street, place.district]
    .filter((unit): unit is OrgUnit => unit !== undefined)
    .map(unitLabel)
    .join(' < ');
}

const unitLabel = (unit: OrgUnit): string => `${unit.id} (${unit.name})`;
