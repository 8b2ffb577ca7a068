import { defineSearchAttributeKey, SearchAttributeType, SearchAttributeUpdatePair } from '@temporalio/common';
import { CASE_SEARCH_ATTRIBUTES as A } from '../../libs/domain/src/case/search-attributes';
import type { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import { ESCALATION_LEVELS } from '../../libs/domain/src/lifecycle/lifecycle.types';
import { openTasks } from '../../libs/domain/src/lifecycle/open-tasks';
import { DEMO_SERVICE_CENTRE_ID } from '../../libs/domain/src/org/demo-city';
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
  pairs.push(
    { key: levelKey, value: ESCALATION_LEVELS.indexOf(state.escalationLevel) },
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
    supervision: state.supervision,
    overdue: state.overdue,
    outcome: state.outcome,
    deadlines: { ...state.deadlines },
    nextDeadline: timer ? state.deadlines[timer.kind]?.due : undefined,
    timestamps: { ...state.timestamps },
    suspendedSince: state.suspension?.since,
    category: snapshot.facts.category,
    rulesVersion: snapshot.rulesVersion,
    tasks: openTasks(state, snapshot.caseNo, DEMO_SERVICE_CENTRE_ID),
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
