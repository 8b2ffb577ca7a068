import { defineSearchAttributeKey, SearchAttributeType, SearchAttributeUpdatePair } from '@temporalio/common';
import { CASE_SEARCH_ATTRIBUTES as A } from '../../libs/domain/src/case/search-attributes';
import type { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import { ESCALATION_LEVELS } from '../../libs/domain/src/lifecycle/lifecycle.types';

type EscalationLevelName = (typeof ESCALATION_LEVELS)[number];

/**
 * The service centre of cases dispatched before dispatch plans named theirs (`DispatchPlan.serviceCentreId`): only
 * the demo city ran then, and this was its 12345 centre. Recorded histories still need it.
 */
const LEGACY_SERVICE_CENTRE_ID = 'centre-12345';
import { openTasks } from '../../libs/domain/src/lifecycle/open-tasks';
import type { CaseProjection } from '../../activities/lifecycle.activities';
import type { CaseSnapshot } from './messages';

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);
const statusKey = keyword(A.status.name);
const stageKey = keyword(A.stage.name);
const categoryKey = keyword(A.category.name);
const rulesVersionKey = keyword(A.rulesVersion.name);
const streetKey = keyword(A.street.name);
const districtKey = keyword(A.district.name);
const unitKey = keyword(A.responsibleUnit.name);
const levelKey = defineSearchAttributeKey(A.escalationLevel.name, SearchAttributeType.INT);
const rungKey = keyword(A.escalationRung.name);
const deadlineKey = defineSearchAttributeKey(A.nextDeadline.name, SearchAttributeType.DATETIME);
const overdueKey = defineSearchAttributeKey(A.overdue.name, SearchAttributeType.BOOL);

/** The search attributes a case implies; operational facts only, never personal data. */
export function caseSearchAttributes(snapshot: CaseSnapshot, lifecycle?: CaseLifecycle): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: statusKey, value: snapshot.status },
    { key: stageKey, value: snapshot.stage },
    { key: categoryKey, value: snapshot.facts.category },
    { key: rulesVersionKey, value: snapshot.rulesVersion },
  ];
  if (snapshot.facts.place.streetId) pairs.push({ key: streetKey, value: snapshot.facts.place.streetId });
  if (snapshot.facts.place.districtId) pairs.push({ key: districtKey, value: snapshot.facts.place.districtId });
  if (!lifecycle || !snapshot.lifecycle) return pairs;
  const state = lifecycle.state;
  const unit = lifecycle.responsibleUnit();
  const timer = lifecycle.nextTimer();
  const due = timer && state.deadlines[timer.kind]?.due;
  // A pinned ladder: the rung's position and id; the fixed ladder: the level's index (its cases never set the rung).
  const level = state.rung?.position ?? ESCALATION_LEVELS.indexOf(state.escalationLevel as EscalationLevelName);
  if (state.plan?.rungUnits) pairs.push({ key: rungKey, value: state.rung?.id ?? null });
  pairs.push(
    { key: levelKey, value: Math.max(0, level) },
    { key: overdueKey, value: state.overdue },
    { key: unitKey, value: unit ?? null },
    { key: deadlineKey, value: due ? new Date(due) : null },
  );
  return pairs;
}

/** The row the case projection activity writes. */
export function caseProjection(snapshot: CaseSnapshot, lifecycle: CaseLifecycle): CaseProjection {
  const state = lifecycle.state;
  const timer = lifecycle.nextTimer();
  return {
    caseNo: snapshot.caseNo,
    phase: state.phase,
    status: snapshot.status,
    stage: snapshot.stage,
    leadUnitId: state.leadUnitId,
    coUnitIds: state.coUnitIds,
    copyUnitIds: state.copyUnitIds,
    responsibleUnitId: lifecycle.responsibleUnit(),
    escalationLevel: state.escalationLevel,
    escalationPosition:
      state.rung?.position ?? Math.max(0, ESCALATION_LEVELS.indexOf(state.escalationLevel as EscalationLevelName)),
    supervision: state.supervision,
    overdue: state.overdue,
    outcome: state.outcome,
    deadlines: { ...state.deadlines },
    nextDeadline: timer ? state.deadlines[timer.kind]?.due : undefined,
    timestamps: { ...state.timestamps },
    suspendedSince: state.suspension?.since,
    category: snapshot.facts.category,
    rulesVersion: snapshot.rulesVersion,
    ...(state.plan?.orgVersion !== undefined ? { orgVersion: state.plan.orgVersion } : {}),
    ...(state.audit ? { auditStatus: state.audit.status } : {}),
    tasks: openTasks(state, snapshot.caseNo, state.plan?.serviceCentreId ?? LEGACY_SERVICE_CENTRE_ID),
    repeatCount: state.repeatCount,
    priority: state.priority,
    whistleRounds: state.whistleRounds.map(({ round, departmentIds, grade, status, startedAt, finishedAt }) => ({
      round,
      departmentIds,
      grade,
      status,
      startedAt,
      finishedAt,
    })),
  };
}
