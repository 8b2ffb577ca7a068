import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';

/**
 * The district an operator is confined to: the district of their unit when it is a district command centre (a
 * service centre under a district: two-level command, `dispatch.command: city-and-district`, as in `nanjing`);
 * undefined for an operator of the city's service centre and for every other role.
 *
 * Under two-level command a district's centre dispatches, reviews and calls back the cases of its district, and only
 * those; the city's centre keeps every case. A district centre's operator is never city-wide, whatever command mode a
 * case's version has: under city-only command the city's centre holds every operator step, so they lose nothing.
 */
export function commandDistrictOf(
  tree: OrgTree | undefined,
  actor: Pick<Actor, 'role' | 'unitId'>,
): string | undefined {
  if (actor.role !== 'operator' || !tree) return undefined;
  const unit = findUnit(tree, actor.unitId);
  if (unit?.kind !== 'service-centre' || !unit.parentId) return undefined;
  return findUnit(tree, unit.parentId)?.kind === 'district' ? unit.parentId : undefined;
}

/**
 * Why the actor may not act on or read a case in `districtId` under two-level command, or undefined when they may:
 * a district command centre's operator handles the cases of their district only (a case with no district belongs
 * to the city's centre).
 */
export function commandScopeProblem(
  tree: OrgTree | undefined,
  actor: Pick<Actor, 'role' | 'unitId'>,
  caseNo: string,
  districtId: string | null | undefined,
): string | undefined {
  const own = commandDistrictOf(tree, actor);
  if (!own || districtId === own) return undefined;
  const where = districtId ? `in ${districtId}` : 'not in a district';
  return `WrongUnit: case ${caseNo} is ${where}; the operators of ${actor.unitId} handle the cases of ${own} only`;
}
