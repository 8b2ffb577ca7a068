import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { CaseEntity } from '../../../../libs/persistence/src';
import { ApiError, ApiErrorCode } from '../common/api-error';

/**
 * Why the citizen's contact details are shown unmasked (logged with each access): the service centre calls the
 * citizen back (DESIGN.md §3 step 9), or the lead unit contacts the citizen and handles the case (step 4 and 5).
 */
export type ContactPurpose = 'call-back' | 'audit call-back' | 'contact and handling';

/**
 * Decides whether `actor` sees the citizen's unmasked contact details of a case now. The caller has already checked
 * that the actor may see the case at all (scope before state: a case outside it answers 404 before this runs).
 * - an operator: while the case awaits its call-back, or, closed, its audit call-back (`auditPending`: the case has
 *   an open `audit-callback` task);
 * - a handler of the case's lead unit: while the case is handled — the phase in which the unit contacts the citizen
 *   and handles the request (`handling`, which a case enters when its lead unit signs for it).
 * @returns the purpose of the access, to be logged.
 * @throws ApiError ActionForbidden (403) for a handler of another unit (a co-unit, a copied or whistled unit) and for
 *   any other role; ActionRefused (409, `WrongState`) outside those phases.
 */
export function citizenContactAccess(
  caseNo: string,
  record: Pick<CaseEntity, 'phase' | 'stage' | 'leadUnitId'>,
  actor: Actor,
  auditPending = false,
): ContactPurpose {
  const where = record.phase ?? record.stage;
  if (actor.role === 'operator') {
    if (record.phase === 'awaiting-callback') return 'call-back';
    if (record.phase === 'closed' && auditPending) return 'audit call-back';
    throw new ApiError(
      ApiErrorCode.ActionRefused,
      `WrongState: contact details are shown to operators only while the case awaits call-back; case ${caseNo} is ${where}`,
    );
  }
  if (actor.role !== 'handler' || !record.leadUnitId || actor.unitId !== record.leadUnitId) {
    throw new ApiError(
      ApiErrorCode.ActionForbidden,
      `WrongUnit: the citizen's contact details are shown to the service centre's operators and to the handlers of the case's lead unit only`,
    );
  }
  if (record.phase === 'handling') return 'contact and handling';
  throw new ApiError(
    ApiErrorCode.ActionRefused,
    `WrongState: contact details are shown to the lead unit only while it contacts the citizen and handles the case; case ${caseNo} is ${where}`,
  );
}
