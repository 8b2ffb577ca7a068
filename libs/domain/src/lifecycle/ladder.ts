import { committeeFor, ancestorsOf, childrenOf, getUnit } from '../org/org-tree';
import { OrgError, OrgTree, OrgUnit } from '../org/org.types';
import type { RungRules } from './lifecycle.types';

/** The units of a case's place that a ladder resolves its bodies from (ids of the resolved place). */
export interface LadderPlace {
  gridId?: string;
  communityId?: string;
  streetId?: string;
  districtId?: string;
}

/** Why a rung's body cannot be found for a place; `rungId` names the rung. */
export class LadderError extends Error {
  override readonly name = 'LadderError';

  constructor(
    readonly rungId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The service centre that dispatches a case at `districtId`: under two-level command (`city-and-district`) the
 * district's own command centre when it has one, else the city's service centre (the root's).
 * @throws OrgError `unknown-unit` when the tree has no service centre under its root.
 */
export function serviceCentreFor(tree: OrgTree, districtId: string | undefined, twoLevel: boolean): OrgUnit {
  if (twoLevel && districtId && tree.byId.has(districtId)) {
    const own = childrenOf(tree, districtId).find((unit) => unit.kind === 'service-centre');
    if (own) return own;
  }
  const centre = childrenOf(tree, tree.rootId).find((unit) => unit.kind === 'service-centre');
  if (!centre) throw new OrgError('unknown-unit', `the org tree has no service centre under '${tree.rootId}'`);
  return centre;
}

/**
 * Resolves each rung's body to a unit of the org tree at the case's place, in ladder order: the committee of a level
 * (`committee`), the place's own unit of a level (`place`), the nearest office of a function walking up from the
 * place (`office`), the dispatching service centre (`serviceCentre`), or a fixed unit (`unitId`).
 *
 * There are no fallbacks: a case climbs exactly the rungs of its version, so a rung whose body the place does not
 * have is an error.
 * @throws LadderError naming the rung and what is missing.
 */
export function resolveRungUnits(
  tree: OrgTree,
  rungs: readonly RungRules[],
  place: LadderPlace,
  serviceCentreId: string,
): string[] {
  const finest = place.gridId ?? place.communityId ?? place.streetId ?? place.districtId;
  return rungs.map((rung) => {
    const body = rung.body;
    const fail = (what: string): never => {
      throw new LadderError(rung.id, `rung '${rung.id}' (${rung.name}): ${what}`);
    };
    if (body.unitId !== undefined) {
      return tree.byId.has(body.unitId) ? body.unitId : fail(`no unit '${body.unitId}' in the org tree`);
    }
    if (body.serviceCentre) return serviceCentreId;
    if (body.place !== undefined) {
      const key = `${body.place}Id` as keyof LadderPlace;
      return place[key] ?? fail(`the case's place has no ${body.place}`);
    }
    if (!finest) return fail('the case has no place');
    if (body.committee !== undefined) {
      try {
        return committeeFor(tree, finest, body.committee as 'community' | 'street' | 'district').id;
      } catch (error) {
        if (error instanceof OrgError) return fail(error.message);
        throw error;
      }
    }
    if (body.office !== undefined) {
      const office = officeAbove(tree, finest, body.office);
      return office?.id ?? fail(`no '${body.office}' office above ${finest}`);
    }
    return fail('the rung names no body');
  });
}

/**
 * The accountability body (`LifecycleRules.accountability.target`) at the case's place: the nearest office of that
 * function walking up from the place (a district's before the city's), as for a rung's `office`.
 * @throws LadderError (rung id `accountability`) when the place has none above it.
 */
export function resolveAccountabilityUnit(tree: OrgTree, target: string, place: LadderPlace): string {
  const finest = place.gridId ?? place.communityId ?? place.streetId ?? place.districtId ?? tree.rootId;
  const office = officeAbove(tree, finest, target);
  if (!office) throw new LadderError('accountability', `accountability: no '${target}' office above ${finest}`);
  return office.id;
}

/** The nearest office of function `fn` among the children of the unit and of each of its ancestors. */
function officeAbove(tree: OrgTree, unitId: string, fn: string): OrgUnit | undefined {
  for (const unit of [getUnit(tree, unitId), ...ancestorsOf(tree, unitId)]) {
    const office = childrenOf(tree, unit.id).find((child) => child.kind === 'office' && child.function === fn);
    if (office) return office;
  }
  return undefined;
}
