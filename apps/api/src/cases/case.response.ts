import { maskName, maskPhone } from './case.dto';
import type { CaseView } from './case.service';

/** The JSON of a case: citizen contact details masked, everything else as recorded. */
export function toCaseResponse(view: CaseView) {
  const record = view.record;
  return {
    caseNo: view.caseNo,
    workflowId: view.workflowId,
    intakeStatus: view.intakeStatus,
    receivedAt: view.receivedAt.toISOString(),
    case: record && {
      kind: record.kind,
      category: record.category,
      urgency: record.urgency,
      channel: record.channel,
      status: record.status,
      stage: record.stage,
      description: record.description,
      address: record.address,
      location: record.latitude === null ? null : { lat: record.latitude, lng: record.longitude },
      citizen: { name: maskName(record.citizenName), phone: maskPhone(record.citizenPhone) },
      place: {
        gridId: record.gridId,
        communityId: record.communityId,
        streetId: record.streetId,
        districtId: record.districtId,
      },
      rulesVersion: record.rulesVersion,
      phase: record.phase,
      leadUnitId: record.leadUnitId,
      coUnitIds: record.coUnitIds,
      copyUnitIds: record.copyUnitIds,
      responsibleUnitId: record.responsibleUnitId,
      escalationLevel: record.escalationLevel,
      escalationPosition: record.escalationPosition,
      auditStatus: record.auditStatus,
      supervision: record.supervision,
      overdue: record.overdue,
      outcome: record.outcome,
      deadlines: record.deadlines,
      repeatCount: record.repeatCount,
      priority: record.priority,
      linkedCaseNo: record.linkedCaseNo,
      suspendedSince: iso(record.suspendedSince),
      whistleRounds: record.whistleRounds,
      lifecycle: {
        dispatchedAt: iso(record.dispatchedAt),
        signedAt: iso(record.signedAt),
        contactedAt: iso(record.contactedAt),
        repliedAt: iso(record.repliedAt),
        calledBackAt: iso(record.calledBackAt),
        closedAt: iso(record.closedAt),
      },
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    },
    workflow: view.workflow,
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
