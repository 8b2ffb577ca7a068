import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree, OrgUnitKind } from '../../../../libs/domain/src/org/org.types';
import type { UserRole } from './auth.decorators';

/**
 * Which kinds of unit each role can belong to: operators sit at the service centre, handlers in a unit that
 * receives cases (an office such as a village's governance centre, a volunteer group among them), coordinators in a
 * coordination committee; designers, auditors and admins anywhere.
 */
export const ROLE_UNIT_KINDS: Readonly<Record<UserRole, readonly OrgUnitKind[] | 'any'>> = {
  operator: ['service-centre'],
  handler: [
    'district',
    'street',
    'township',
    'community',
    'village',
    'grid',
    'department',
    'office',
    'volunteer-group',
  ],
  coordinator: ['committee'],
  designer: 'any',
  auditor: 'any',
  admin: 'any',
};

/**
 * Why a role cannot be held at a unit of the tree, or `undefined` when it can. One role and one unit per account.
 */
export function membershipProblem(tree: OrgTree, role: UserRole, unitId: string): string | undefined {
  const unit = findUnit(tree, unitId);
  if (!unit) return `unit ${unitId} is not in the org tree`;
  const kinds = ROLE_UNIT_KINDS[role];
  if (kinds !== 'any' && !kinds.includes(unit.kind)) {
    return `a ${role} belongs to a unit of kind ${kinds.join(' / ')}, not ${unit.kind} (${unitId})`;
  }
  return undefined;
}

/**
 * The domain {@link Actor} of an account: its unit kind looked up in the tree (absent if the unit left it, or while
 * no tree is stored).
 */
export function actorOf(tree: OrgTree | undefined, userId: string, role: UserRole, unitId: string): Actor {
  const kind = tree && findUnit(tree, unitId)?.kind;
  return kind ? { userId, role, unitId, unitKind: kind } : { userId, role, unitId };
}
