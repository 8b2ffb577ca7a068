import type { LifecycleState } from './case-lifecycle';
import type { ActorRole, DeadlineEntry } from './lifecycle.types';

/** A human step a case has open, as the task inbox shows it. */
export interface OpenTask {
  /** Stable per (case, step, unit, round): the inbox row is upserted by it. */
  key: string;
  /**
   * The action that ends it: sign, contact, handle, extension-decision, resume, coordinate, review, callback,
   * redispatch, accountability-decision (the accountability body), audit-callback (the centre, on a closed case).
   */
  step: string;
  unitId: string;
  role: Exclude<ActorRole, 'system'>;
  dueAt?: string;
  reminderAt?: string;
  reminded: boolean;
  overdue: boolean;
}

/**
 * The human steps the case waits on, derived from its state: who must act next and by when. Every other task of the
 * case is closed. `centreUnitId` is the service centre that dispatches, reviews and calls back. Whistled departments'
 * steps live on their whistle round.
 */
export function openTasks(state: LifecycleState, caseNo: string, centreUnitId: string): OpenTask[] {
  const tasks: OpenTask[] = [];
  const add = (step: string, unitId: string | undefined, role: OpenTask['role'], deadline?: DeadlineEntry) => {
    if (!unitId) return;
    tasks.push({
      key: `${caseNo}:${step}:${unitId}:${state.returns}:${state.rehandles}`,
      step,
      unitId,
      role,
      dueAt: deadline?.due,
      reminderAt: deadline?.reminderAt,
      reminded: deadline?.reminded === true,
      overdue: state.overdue,
    });
  };
  const d = state.deadlines;
  switch (state.phase) {
    case 'awaiting-dispatch':
      if (state.plan) add('redispatch', centreUnitId, 'operator');
      break;
    case 'awaiting-sign':
      add('sign', state.leadUnitId, 'handler', d.sign ?? d.escalation);
      break;
    case 'handling':
      if (state.suspension) add('resume', state.leadUnitId, 'handler');
      else if (!state.contacted) add('contact', state.leadUnitId, 'handler', d.contact);
      else add('handle', state.leadUnitId, 'handler', d.handle ?? d.escalation);
      if (state.extension.pending) add('extension-decision', centreUnitId, 'operator');
      // Each co-unit reports its part to the lead (首接负责制), by the handling deadline.
      if (!state.suspension && state.coUnitReports) {
        for (const unitId of state.coUnitIds) {
          if (!state.coUnitReports[unitId]) add('co-unit-report', unitId, 'handler', d.handle ?? d.escalation);
        }
      }
      break;
    case 'in-review':
      add('review', centreUnitId, 'operator');
      break;
    case 'awaiting-callback':
      add('callback', centreUnitId, 'operator', d.callback);
      break;
    case 'accountability':
      add(
        'accountability-decision',
        state.accountability?.unitId,
        state.accountability?.role ?? 'handler',
        d.accountability,
      );
      break;
    case 'closed':
      // Sampled for an audit call-back (民意访评): the service centre calls the citizen back again.
      if (state.audit?.status === 'pending') add('audit-callback', centreUnitId, 'operator', d.audit);
      break;
  }
  if ((state.phase === 'handling' || state.phase === 'awaiting-sign') && state.escalationUnitId) {
    add(`coordinate-${state.escalationLevel}`, state.escalationUnitId, state.rung?.role ?? 'coordinator', d.escalation);
  }
  return tasks;
}
