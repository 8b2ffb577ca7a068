import type { Actor } from '../lifecycle/lifecycle.types';
import {
  GOVERNANCE_OUTCOMES,
  GOVERNANCE_SUPERVISION,
  GovernanceAction,
  GovernanceDeadline,
  GovernanceItemSpec,
  GovernanceItemState,
  GovernanceRefusal,
  MAX_MILESTONES,
} from './governance.types';

/** Roles of the service centre: they close items (and adopt problems of the month). */
export const CENTRE_ROLES: readonly string[] = ['operator', 'admin'];
/** Roles of an owner unit's people who plan, complete milestones and report. */
export const OWNER_ROLES: readonly string[] = ['handler', 'coordinator'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/**
 * The state machine of one governance item: who may do what when. Pure: every method takes `now` (ISO) and the
 * workflow enacts the result. `validate` answers a refusal or undefined; `apply` validates and changes the state.
 */
export class GovernanceItem {
  readonly state: GovernanceItemState;

  constructor(spec: GovernanceItemSpec, now: string) {
    this.state = {
      ...spec,
      status: 'open',
      milestones: [],
      reminded: false,
      overdue: false,
      supervision: 'none',
      events: [{ type: 'opened', at: now, detail: { kind: spec.kind, ownerUnitIds: spec.ownerUnitIds } }],
    };
  }

  /** Why `actor` may not take `action` now; undefined when it may. */
  validate(action: GovernanceAction, actor: Actor): GovernanceRefusal | undefined {
    const { state } = this;
    if (state.status === 'closed') return { code: 'WrongState', message: `item ${state.itemId} is closed` };
    if (action.type === 'close') {
      if (!CENTRE_ROLES.includes(actor.role)) {
        return { code: 'WrongRole', message: 'only the service centre (operator, admin) closes an item' };
      }
      if (state.status !== 'reported') {
        return { code: 'WrongState', message: `an item is closed after its report; it is ${state.status}` };
      }
      if (blank(action.note)) return { code: 'InvalidArgument', message: 'note must say why the item is closed' };
      return undefined;
    }
    if (!OWNER_ROLES.includes(actor.role)) {
      return { code: 'WrongRole', message: `${action.type} is for a handler or coordinator of an owner unit` };
    }
    if (!state.ownerUnitIds.includes(actor.unitId)) {
      return { code: 'WrongUnit', message: `unit ${actor.unitId} is not an owner of item ${state.itemId}` };
    }
    switch (action.type) {
      case 'submitPlan': {
        if (state.milestones.some((milestone) => milestone.doneAt)) {
          return { code: 'WrongState', message: 'the plan cannot change once a milestone is done' };
        }
        if (state.status !== 'open' && state.status !== 'planned') {
          return { code: 'WrongState', message: `a plan is submitted before the report; the item is ${state.status}` };
        }
        if (blank(action.plan)) return { code: 'InvalidArgument', message: 'plan must not be blank' };
        const milestones = Array.isArray(action.milestones) ? action.milestones : [];
        if (milestones.length < 1 || milestones.length > MAX_MILESTONES) {
          return { code: 'InvalidArgument', message: `a plan has 1 to ${MAX_MILESTONES} milestones` };
        }
        const bad = milestones.findIndex((m) => blank(m?.title) || (m.due !== undefined && !DATE.test(m.due)));
        if (bad >= 0) {
          return { code: 'InvalidArgument', message: `milestone ${bad} needs a title and, if any, a due YYYY-MM-DD` };
        }
        return undefined;
      }
      case 'completeMilestone': {
        if (state.status !== 'planned') {
          return { code: 'WrongState', message: `milestones are completed while planned; the item is ${state.status}` };
        }
        const milestone = state.milestones[action.index];
        if (!Number.isInteger(action.index) || !milestone) {
          return { code: 'InvalidArgument', message: `the plan has no milestone ${String(action.index)}` };
        }
        if (milestone.doneAt) return { code: 'WrongState', message: `milestone ${action.index} is already done` };
        return undefined;
      }
      case 'report': {
        if (state.status !== 'planned') {
          return { code: 'WrongState', message: `a report follows a plan; the item is ${state.status}` };
        }
        const open = state.milestones.filter((milestone) => !milestone.doneAt).length;
        if (open > 0) return { code: 'WrongState', message: `${open} milestone(s) of the plan are not done` };
        if (blank(action.report)) return { code: 'InvalidArgument', message: 'report must not be blank' };
        if (!GOVERNANCE_OUTCOMES.includes(action.outcome)) {
          return { code: 'InvalidArgument', message: `outcome must be one of ${GOVERNANCE_OUTCOMES.join(', ')}` };
        }
        return undefined;
      }
      default:
        return { code: 'InvalidArgument', message: `unknown action ${(action as { type: string }).type}` };
    }
  }

  /**
   * Applies `action` by `actor` at `now`.
   * @throws GovernanceActionRefused (an Error whose `refusal` says why) when {@link validate} refuses it.
   */
  apply(action: GovernanceAction, actor: Actor, now: string): void {
    const refusal = this.validate(action, actor);
    if (refusal) throw new GovernanceActionRefused(refusal);
    const { state } = this;
    const who = { userId: actor.userId, role: actor.role, unitId: actor.unitId };
    switch (action.type) {
      case 'submitPlan':
        state.plan = action.plan.trim();
        state.milestones = action.milestones.map((m) => ({ title: m.title.trim(), ...(m.due ? { due: m.due } : {}) }));
        state.status = 'planned';
        state.events.push({
          type: 'plan-submitted',
          at: now,
          actor: who,
          detail: { milestones: state.milestones.length },
        });
        break;
      case 'completeMilestone': {
        const milestone = state.milestones[action.index];
        milestone.doneAt = now;
        milestone.doneBy = actor.userId;
        if (!blank(action.note)) milestone.note = action.note?.trim();
        state.events.push({ type: 'milestone-completed', at: now, actor: who, detail: { index: action.index } });
        break;
      }
      case 'report':
        state.report = action.report.trim();
        state.outcome = action.outcome;
        state.status = 'reported';
        state.events.push({ type: 'reported', at: now, actor: who, detail: { outcome: action.outcome } });
        break;
      case 'close':
        state.status = 'closed';
        state.closedAt = now;
        state.closeNote = action.note.trim();
        state.events.push({ type: 'closed', at: now, actor: who });
        break;
    }
  }

  /** Records the deadline laid on the calendar. */
  setDeadline(deadline: GovernanceDeadline, now: string): void {
    this.state.deadline = deadline;
    this.state.events.push({
      type: 'deadline-set',
      at: now,
      detail: { due: deadline.due, duration: deadline.duration },
    });
  }

  /** Whether the deadline still binds: the owner unit has not reported and the item is not closed. */
  get running(): boolean {
    return this.state.status === 'open' || this.state.status === 'planned';
  }

  /** The reminder before the deadline (at the definition's fraction of it). */
  remind(now: string): void {
    if (!this.running || this.state.reminded) return;
    this.state.reminded = true;
    this.state.events.push({ type: 'reminded', at: now });
  }

  /** The deadline passed unreported: the item is overdue and under daily supervision. */
  markOverdue(now: string): void {
    if (!this.running || this.state.overdue) return;
    this.state.overdue = true;
    this.state.supervision = 'daily';
    this.state.events.push({ type: 'overdue', at: now });
  }

  /** Still overdue a `raiseAfter` later: one supervision level up (daily → posted → interview); false at the top. */
  raiseSupervision(now: string): boolean {
    const index = GOVERNANCE_SUPERVISION.indexOf(this.state.supervision);
    if (!this.running || !this.state.overdue || index >= GOVERNANCE_SUPERVISION.length - 1) return false;
    this.state.supervision = GOVERNANCE_SUPERVISION[index + 1];
    this.state.events.push({ type: 'supervision-raised', at: now, detail: { level: this.state.supervision } });
    return true;
  }
}

/** An action the item refused; `refusal.code` is stable. */
export class GovernanceActionRefused extends Error {
  constructor(readonly refusal: GovernanceRefusal) {
    super(`${refusal.code}: ${refusal.message}`);
    this.name = 'GovernanceActionRefused';
  }
}
