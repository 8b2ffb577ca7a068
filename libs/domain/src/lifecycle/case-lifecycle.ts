import { textProblemsIn } from '../case/text';
import type { WhistleTrigger, WhistleType } from '../rules/process-definition';
import { resolveWhistleKind } from '../whistle/whistle-kind';
import {
  Actor,
  AccountabilityRules,
  CaseAction,
  DeadlineEntry,
  DeadlineKind,
  DeadlineRequest,
  DispatchPlan,
  EscalationLevel,
  LifecycleEvent,
  LifecyclePhase,
  LifecycleRules,
  PausedDeadline,
  Refusal,
  ReplyResult,
  RungRules,
  SATISFIED,
  SUPERVISION_LEVELS,
  SupervisionLevel,
} from './lifecycle.types';

/** How a case ended: after call-back, or at intake without being dispatched. */
export type CaseOutcome =
  | 'satisfied'
  | 'unreachable'
  | 'accountability'
  | 'emergency-diverted'
  | 'inadmissible'
  | 'answered-at-intake';

/** Priority of a case for how often it was reported (see `priorityForRepeats`). */
export type CasePriority = 'normal' | 'elevated' | 'high';

/** One whistle round of the case; the round itself runs as a child workflow. */
export interface WhistleRoundEntry {
  round: number;
  whistlerUnitId: string;
  departmentIds: string[];
  grade: string;
  reason: string;
  /** Why it was blown, and its type, as recorded (rules that read neither leave them out). */
  trigger?: WhistleTrigger;
  whistleType?: WhistleType;
  startedAt: string;
  status: 'open' | 'completed' | 'closed';
  finishedAt?: string;
  /** The round's summary per department (report, result, rating), once finished. */
  summary?: Record<string, unknown>;
}

/** A case's audit call-back (民意访评), once it was sampled for one. */
export interface AuditState {
  /**
   * `pending` until the centre calls the citizen back; then `confirmed` (the answer agrees with the unit's result),
   * `contradicted` (the case is flagged), `unreached` (every attempt failed) or `lapsed` (the deadline passed).
   */
  status: 'pending' | 'confirmed' | 'contradicted' | 'unreached' | 'lapsed';
  since: string;
  attempts: number;
  /** The result the unit reported in its reply. */
  reportedResult?: ReplyResult;
  /** The citizen's answer to the audit, once reached. */
  answer?: { solved: boolean; satisfaction: string };
}

/**
 * The sampling draw of a case for audit call-backs (`case-number-hash`): the 32-bit FNV-1a hash of its case number,
 * mixed by MurmurHash3's finaliser (plain FNV-1a barely moves its high bits between consecutive case numbers), as a
 * fraction of 2^32, in [0, 1). The case is sampled when the draw is below the rules' fraction. Pure: the same case
 * number always draws the same.
 */
export function auditDraw(caseNo: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < caseNo.length; i++) {
    hash ^= caseNo.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/** A clock operation the workflow must carry out on the calendar: stop running deadlines, or restart them. */
export type ClockRequest =
  | { op: 'pause'; at: string; deadlines: DeadlineEntry[] }
  | { op: 'resume'; at: string; paused: PausedDeadline[] };

/** Everything the lifecycle knows about a case; plain data, safe to return from a Query. */
export interface LifecycleState {
  phase: LifecyclePhase;
  leadUnitId?: string;
  coUnitIds: string[];
  copyUnitIds: string[];
  plan?: DispatchPlan;
  /** A unit designated by arbitration cannot return the case again (Weifang). */
  designatedByArbitration: boolean;
  returns: number;
  contacted: boolean;
  escalationLevel: EscalationLevel;
  escalationUnitId?: string;
  /** The rung of the pinned ladder the case is on (1-based position); absent when not escalated or on the fixed ladder. */
  rung?: { id: string; name: string; position: number; role: RungRules['role'] };
  supervision: SupervisionLevel;
  /** Supervision steps taken while overdue: 0 until the overdue reminder, then one per step. */
  supervisionSteps: number;
  overdue: boolean;
  /** Present while suspended (中止): the clock is stopped; `paused` holds what each deadline still owes. */
  suspension?: { since: string; reason: string; reasonId?: string; paused?: PausedDeadline[] };
  /** Suspensions so far (absent: none, or a case started before they were counted). */
  suspensions?: number;
  /** Repeat contacts linked to this case (duplicates), and the priority they call for. */
  repeatCount: number;
  priority: CasePriority;
  /** The open case this one was opened beside (a duplicate that brought new facts). */
  linkedTo?: string;
  whistleRounds: WhistleRoundEntry[];
  /** Co-units' reports of their part to the lead, by unit, for the current dispatch (absent in older states). */
  coUnitReports?: Record<string, { at: string; summary: string }>;
  extension: { used: number; pending?: { workingDays: number; reason: string } };
  reply?: { result: ReplyResult; summary: string };
  rehandles: number;
  callbackAttempts: number;
  /** Present once the case went to the accountability body: which office, by which role, and its decision. */
  accountability?: {
    unitId: string;
    target: string;
    role: AccountabilityRules['role'];
    since: string;
    decision?: { responsible: boolean; decision: string; at: string };
  };
  /** Present once the closed case was sampled for an audit call-back (`callback.audit`). */
  audit?: AuditState;
  /** How the case ended, once closed. */
  outcome?: CaseOutcome;
  timestamps: Partial<Record<'dispatched' | 'signed' | 'contacted' | 'replied' | 'calledBack' | 'closed', string>>;
  deadlines: Partial<Record<DeadlineKind, DeadlineEntry>>;
}

/** The timer a case waits on next: a deadline, or the reminder before it. */
export interface PendingTimer {
  kind: DeadlineKind;
  at: string;
  reminder: boolean;
}

const RUNNING_KINDS: DeadlineKind[] = ['sign', 'contact', 'handle', 'escalation', 'supervision'];

const LADDER: EscalationLevel[] = ['none', 'community', 'street', 'district', 'city'];

/** Which deadlines matter in which situation; a deadline that no longer applies never fires. */
function deadlineApplies(state: LifecycleState, kind: DeadlineKind): boolean {
  if (state.suspension) return false; // a suspension stops every clock
  switch (kind) {
    case 'sign':
      return state.phase === 'awaiting-sign';
    case 'contact':
      return state.phase === 'handling' && !state.contacted;
    // A case its unit ignores (never signs) climbs the ladder too.
    case 'handle':
      return (state.phase === 'handling' || state.phase === 'awaiting-sign') && state.escalationLevel === 'none';
    case 'escalation':
      return (
        (state.phase === 'handling' || state.phase === 'awaiting-sign') &&
        state.escalationLevel !== 'none' &&
        // On a pinned ladder only a rung with a deadline holds an escalation deadline; the fixed ladder's top is city.
        (state.rung !== undefined || state.escalationLevel !== 'city')
      );
    case 'callback':
      return state.phase === 'awaiting-callback';
    case 'return-window':
      return false; // bounds the return action; nothing happens when it passes
    case 'whistle-report':
    case 'whistle-result':
      return false; // held by the whistle round's own workflow
    case 'supervision':
      return (state.phase === 'handling' || state.phase === 'awaiting-sign') && state.overdue;
    case 'accountability':
      return state.phase === 'accountability';
    case 'audit':
      return state.phase === 'closed' && state.audit?.status === 'pending';
  }
}

/**
 * The 接诉即办 lifecycle after intake as a pure state machine: dispatch, sign / return, contact, handling with
 * extension, the escalation ladder, reply and review, call-back, re-handling and accountability, close.
 *
 * The workflow enacts it: Update validators call {@link validate}, handlers call {@link apply}, deadlines come
 * back from the calendar activity through {@link setDeadline}, and timers call {@link onTimer}. Every change
 * is recorded as a {@link LifecycleEvent}. Instants are ISO strings passed in; nothing here reads a clock.
 */
export class CaseLifecycle {
  readonly state: LifecycleState;
  private events: LifecycleEvent[] = [];
  private clock?: ClockRequest;

  constructor(
    private rules: LifecycleRules,
    state?: LifecycleState,
    /** The case's number: the audit sampling draws from it (`auditDraw`); without it no case is sampled. */
    private readonly caseNo?: string,
  ) {
    this.state = state ?? {
      phase: 'awaiting-dispatch',
      coUnitIds: [],
      copyUnitIds: [],
      designatedByArbitration: false,
      returns: 0,
      contacted: false,
      escalationLevel: 'none',
      supervision: 'none',
      supervisionSteps: 0,
      overdue: false,
      repeatCount: 0,
      priority: 'normal',
      whistleRounds: [],
      extension: { used: 0 },
      rehandles: 0,
      callbackAttempts: 0,
      timestamps: {},
      deadlines: {},
    };
  }

  /** Events recorded since the last call, oldest first. */
  takeEvents(): LifecycleEvent[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }

  /** The clock operation the last action calls for (suspend / resume), once; the workflow enacts it. */
  takeClockRequest(): ClockRequest | undefined {
    const request = this.clock;
    this.clock = undefined;
    return request;
  }

  /** Records what the stopped deadlines still owe; they no longer run until {@link ClockRequest} `resume`. */
  setPaused(paused: PausedDeadline[]): void {
    const suspension = this.state.suspension;
    if (!suspension) return;
    suspension.paused = paused;
    for (const entry of paused) delete this.state.deadlines[entry.kind];
  }

  /**
   * Closes a case at intake without dispatching it: an emergency diverted to 110/119/120/122, an inadmissible
   * matter (the citizen told the channel), or a consultation answered on the spot.
   */
  closeAtIntake(outcome: 'emergency-diverted' | 'inadmissible' | 'answered-at-intake', detail: object, now: string) {
    this.record(outcome, now, undefined, { ...detail });
    this.close(outcome, now);
  }

  /** Notes that this case was opened beside an open one (a duplicate that brought new facts). */
  linkTo(caseNo: string, now: string): void {
    this.state.linkedTo = caseNo;
    this.record('linked-to-open-case', now, undefined, { caseNo });
  }

  /**
   * A citizen reported the same matter again (a duplicate linked to this case): the count and the priority rise,
   * and enough repeats put the case under daily supervision. Counts never go down.
   */
  recordRepeat(
    repeat: { repeatCount: number; priority: CasePriority; supervision?: 'daily'; matchedBy: string; caseNo?: string },
    now: string,
  ): void {
    const s = this.state;
    const ranks: CasePriority[] = ['normal', 'elevated', 'high'];
    s.repeatCount = Math.max(s.repeatCount, repeat.repeatCount);
    if (ranks.indexOf(repeat.priority) > ranks.indexOf(s.priority)) s.priority = repeat.priority;
    if (repeat.supervision) this.raiseSupervisionTo(repeat.supervision);
    this.record('repeat-contact', now, undefined, {
      repeatCount: s.repeatCount,
      priority: s.priority,
      matchedBy: repeat.matchedBy,
      supervision: s.supervision,
      ...(repeat.caseNo ? { linkedCaseNo: repeat.caseNo } : {}),
    });
  }

  /** Whistle rounds still running. */
  openWhistleRounds(): WhistleRoundEntry[] {
    return this.state.whistleRounds.filter((round) => round.status === 'open');
  }

  /** A whistle round ended: every department rated (`completed`), or closed early with what was outstanding. */
  finishWhistleRound(round: number, status: 'completed' | 'closed', summary: Record<string, unknown>, now: string) {
    const entry = this.state.whistleRounds.find((candidate) => candidate.round === round);
    if (!entry || entry.status !== 'open') return;
    entry.status = status;
    entry.finishedAt = now;
    entry.summary = summary;
    this.record('whistle-round-finished', now, undefined, { round, status, ...summary });
  }

  /** Sends the case to its units; returns the deadlines the calendar must stamp from `now`. */
  dispatch(plan: DispatchPlan, now: string, actor?: Actor, arbitrated = false): DeadlineRequest[] {
    const s = this.state;
    s.phase = 'awaiting-sign';
    s.plan = plan;
    s.leadUnitId = plan.leadUnitId;
    s.coUnitIds = [...plan.coUnitIds];
    s.copyUnitIds = [...plan.copyUnitIds];
    s.designatedByArbitration = arbitrated;
    s.contacted = false;
    // A new lead unit starts afresh: the previous unit's escalation and pending extension do not carry over.
    s.escalationLevel = 'none';
    s.escalationUnitId = undefined;
    delete s.rung;
    s.coUnitReports = {};
    s.extension.pending = undefined;
    s.timestamps.dispatched = now;
    s.deadlines = {};
    this.record('dispatched', now, actor, {
      leadUnitId: plan.leadUnitId,
      coUnitIds: plan.coUnitIds,
      copyUnitIds: plan.copyUnitIds,
      arbitrated,
    });
    return [
      { kind: 'sign', duration: plan.deadlines.sign, from: now },
      { kind: 'return-window', duration: this.rules.returnWindow, from: now },
      { kind: 'contact', duration: plan.deadlines.contact, from: now },
      { kind: 'handle', duration: plan.deadlines.handle, from: now },
    ];
  }

  /** Why `actor` may not take `action` now, or undefined when it may. Never changes anything. */
  validate(action: CaseAction, actor: Actor, now: string): Refusal | undefined {
    const s = this.state;
    const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });
    // Text PostgreSQL cannot hold would make every mirror write of the event fail: refuse it before it is recorded.
    const unstorable = textProblemsIn(action)[0];
    if (unstorable) return refuse('InvalidArgument', `${unstorable.path || 'action'} ${unstorable.message}`);
    const leadHandler = () =>
      actor.role !== 'handler'
        ? refuse('WrongRole', `${action.type} is for a handler of the lead unit, not a ${actor.role}`)
        : actor.unitId !== s.leadUnitId
          ? refuse('WrongUnit', `${action.type} is for the lead unit ${s.leadUnitId ?? '(none)'}, not ${actor.unitId}`)
          : undefined;
    const centre = () =>
      actor.role !== 'operator' ? refuse('WrongRole', `${action.type} is for the service centre`) : undefined;
    const phase = (...phases: LifecyclePhase[]) =>
      phases.includes(s.phase)
        ? undefined
        : refuse('WrongState', `${action.type} needs the case ${phases.join(' or ')}, but it is ${s.phase}`);
    const text = (value: string | undefined, field: string) =>
      typeof value === 'string' && value.trim().length > 0
        ? undefined
        : refuse('InvalidArgument', `${field} must not be empty`);
    const running = () =>
      s.suspension
        ? refuse('WrongState', `the case is suspended since ${s.suspension.since}; resume it before ${action.type}`)
        : undefined;

    switch (action.type) {
      case 'sign':
        return phase('awaiting-sign') ?? leadHandler();
      case 'return': {
        const window = s.deadlines['return-window'];
        return (
          phase('awaiting-sign', 'handling') ??
          leadHandler() ??
          running() ??
          text(action.reason, 'reason') ??
          (s.designatedByArbitration
            ? refuse('LimitReached', 'a unit designated by arbitration cannot return the case')
            : undefined) ??
          (window && now > window.due
            ? refuse('DeadlinePassed', `the return window closed at ${window.due}`)
            : undefined)
        );
      }
      case 'redispatch':
        return (
          phase('awaiting-dispatch') ??
          centre() ??
          (s.plan ? undefined : refuse('WrongState', 'the case has never been dispatched')) ??
          text(action.leadUnitId, 'leadUnitId') ??
          text(action.reason, 'reason')
        );
      case 'contact':
        return (
          phase('handling') ??
          leadHandler() ??
          running() ??
          (s.contacted ? refuse('WrongState', 'the citizen has already been contacted') : undefined)
        );
      case 'requestExtension': {
        const due = s.deadlines.handle?.due;
        const max = this.rules.extension.maxWorkingDays;
        return (
          phase('handling') ??
          leadHandler() ??
          running() ??
          text(action.reason, 'reason') ??
          (s.extension.pending ? refuse('WrongState', 'an extension request is already pending') : undefined) ??
          (s.extension.used >= this.rules.extension.maxCount
            ? refuse('LimitReached', `at most ${this.rules.extension.maxCount} extension(s) per case`)
            : undefined) ??
          (!Number.isInteger(action.workingDays) || action.workingDays < 1 || action.workingDays > max
            ? refuse('InvalidArgument', `workingDays must be a whole number from 1 to ${max}`)
            : undefined) ??
          (s.escalationLevel !== 'none' || (due !== undefined && now > due)
            ? refuse('DeadlinePassed', 'an extension must be asked for before the handling deadline')
            : undefined)
        );
      }
      case 'decideExtension':
        return (
          phase('handling') ??
          centre() ??
          text(action.reason, 'reason') ??
          (s.extension.pending ? undefined : refuse('WrongState', 'no extension request is pending'))
        );
      case 'reply':
        return (
          phase('handling') ??
          leadHandler() ??
          running() ??
          text(action.summary, 'summary') ??
          (s.contacted ? undefined : refuse('WrongState', 'contact the citizen before replying'))
        );
      case 'review':
        return phase('in-review') ?? centre() ?? (action.accepted ? undefined : text(action.reason, 'reason'));
      case 'callback':
        return (
          phase('awaiting-callback') ??
          centre() ??
          (action.reached && (action.solved === undefined || action.satisfaction === undefined)
            ? refuse('InvalidArgument', 'a reached citizen must say whether it is solved and how satisfied they are')
            : undefined)
        );
      case 'escalate':
        return phase('handling') ?? leadHandler() ?? running() ?? text(action.reason, 'reason') ?? this.topOfLadder();
      case 'decideAccountability': {
        const body = s.accountability;
        return (
          phase('accountability') ??
          (body && actor.role !== body.role
            ? refuse('WrongRole', `decideAccountability is for a ${body.role} of ${body.unitId}, not a ${actor.role}`)
            : undefined) ??
          (body && actor.unitId !== body.unitId
            ? refuse('WrongUnit', `the case is before ${body.unitId}, not ${actor.unitId}`)
            : undefined) ??
          (typeof action.responsible === 'boolean'
            ? undefined
            : refuse('InvalidArgument', 'responsible must be true or false')) ??
          text(action.decision, 'decision')
        );
      }
      case 'auditCallback':
        return (
          (s.audit?.status === 'pending'
            ? undefined
            : refuse(
                'WrongState',
                s.audit
                  ? `the audit call-back of this case is ${s.audit.status}`
                  : 'the case is not sampled for an audit call-back',
              )) ??
          centre() ??
          (action.reached && (typeof action.solved !== 'boolean' || action.satisfaction === undefined)
            ? refuse('InvalidArgument', 'a reached citizen must say whether it is solved and how satisfied they are')
            : undefined)
        );
      case 'suspend':
        return (
          phase('handling') ??
          leadHandler() ??
          text(action.reason, 'reason') ??
          (s.suspension
            ? refuse('WrongState', `the case is already suspended since ${s.suspension.since}`)
            : undefined) ??
          (s.contacted
            ? undefined
            : refuse('WrongState', 'a case is suspended while waiting on the citizen: contact them first')) ??
          this.validateSuspension(action)
        );
      case 'resume':
        return (
          phase('handling') ??
          leadHandler() ??
          text(action.reason, 'reason') ??
          (s.suspension ? undefined : refuse('WrongState', 'the case is not suspended')) ??
          (s.suspension?.paused ? undefined : refuse('WrongState', 'the suspension is still being recorded; try again'))
        );
      case 'whistle': {
        // A command centre (rules that let a `service-centre` whistle) whistles by its operators, for a case it
        // commands (dispatched); every other whistler is a handler of the lead unit.
        const byCentre =
          actor.unitKind === 'service-centre' && this.rules.whistle.whistlerKinds.includes(actor.unitKind);
        const centreId = s.plan?.serviceCentreId;
        const who = !byCentre
          ? leadHandler()
          : actor.role !== 'operator'
            ? refuse('WrongRole', `a command centre whistles by its operators, not a ${actor.role}`)
            : actor.unitId !== centreId
              ? refuse('WrongUnit', `the case is commanded by ${centreId ?? '(no centre)'}, not ${actor.unitId}`)
              : undefined;
        // Who before when: a role or unit that may never whistle here is told so whatever the case's stage.
        return who ?? phase('handling') ?? running() ?? this.validateWhistle(action, actor);
      }
      case 'migrateRules':
        return (
          (['designer', 'admin'].includes(actor.role)
            ? undefined
            : refuse('WrongRole', 'moving a case to another process definition is for a designer')) ??
          (s.phase === 'closed' ? refuse('WrongState', 'a closed case keeps the rules it closed under') : undefined) ??
          text(action.toVersion, 'toVersion') ??
          text(action.reason, 'reason') ??
          (action.rules && typeof action.rules === 'object'
            ? undefined
            : refuse('InvalidArgument', 'rules must be the lifecycle rules of the new version')) ??
          this.validateLadderMove(action.rules, action.toVersion)
        );
      case 'reportPart':
        return (
          phase('handling') ??
          (actor.role !== 'handler' ? refuse('WrongRole', `reportPart is for a handler of a co-unit`) : undefined) ??
          (s.coUnitIds.includes(actor.unitId)
            ? undefined
            : refuse(
                'WrongUnit',
                `${actor.unitId} is not a co-unit of this case (${s.coUnitIds.join(', ') || 'none'})`,
              )) ??
          (s.coUnitReports?.[actor.unitId]
            ? refuse('WrongState', `${actor.unitId} has already reported its part`)
            : undefined) ??
          text(action.summary, 'summary')
        );
      case 'recalendar':
        return (
          (['designer', 'admin'].includes(actor.role)
            ? undefined
            : refuse('WrongRole', 'moving a case to a new calendar version is for a designer')) ??
          (s.phase === 'closed'
            ? refuse('WrongState', 'a closed case keeps the deadlines it closed with')
            : undefined) ??
          text(action.reason, 'reason') ??
          (action.entries === undefined || Array.isArray(action.entries)
            ? undefined
            : refuse('InvalidArgument', 'entries are the recomputed deadlines'))
        );
      case 'coordinate': {
        const rung = this.currentRung();
        const role = rung?.role ?? 'coordinator';
        const allowed = rung?.actions ?? ['instruct', 'reassign'];
        const needs = [
          ...(action.decision ? ['decide'] : ['instruct']),
          ...(action.reassignTo !== undefined ? ['reassign'] : []),
          ...(action.convene !== undefined ? ['convene'] : []),
        ] as RungRules['actions'];
        const missing = needs.find((needed) => !allowed.includes(needed));
        const convene = Array.isArray(action.convene) ? action.convene : [];
        return (
          phase('awaiting-sign', 'handling') ??
          (actor.role !== role
            ? refuse('WrongRole', `coordinate is for a ${role} of the body the case is escalated to`)
            : undefined) ??
          (s.escalationUnitId === undefined
            ? refuse('WrongState', 'the case is not before a coordination committee')
            : actor.unitId !== s.escalationUnitId
              ? refuse('WrongUnit', `the case is before ${s.escalationUnitId}, not ${actor.unitId}`)
              : undefined) ??
          running() ??
          text(action.instruction, 'instruction') ??
          (missing
            ? refuse(
                'InvalidArgument',
                `${missing} is not an action of rung '${s.escalationLevel}' (it may: ${allowed.join(', ')})`,
              )
            : undefined) ??
          (action.reassignTo !== undefined ? text(action.reassignTo, 'reassignTo') : undefined) ??
          (action.reassignTo === s.leadUnitId
            ? refuse('InvalidArgument', 'reassignTo is already the lead unit')
            : undefined) ??
          (action.convene !== undefined &&
          (convene.length === 0 ||
            new Set(convene).size !== convene.length ||
            convene.some((id) => typeof id !== 'string' || id.trim() === ''))
            ? refuse('InvalidArgument', 'convene must name distinct, non-empty unit ids')
            : undefined)
        );
      }
    }
  }

  private validateWhistle(action: Extract<CaseAction, { type: 'whistle' }>, actor: Actor): Refusal | undefined {
    const rules = this.rules.whistle;
    const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });
    const ids = Array.isArray(action.departmentIds) ? action.departmentIds : [];
    const open = this.openWhistleRounds()[0];
    if (!actor.unitKind || !rules.whistlerKinds.includes(actor.unitKind)) {
      return refuse(
        'WrongUnit',
        `only a ${rules.whistlerKinds.join(' / ')} may whistle, not a ${actor.unitKind ?? 'unit of unknown kind'}`,
      );
    }
    if (typeof action.reason !== 'string' || action.reason.trim() === '') {
      return refuse('InvalidArgument', 'reason must not be empty');
    }
    if (!Object.prototype.hasOwnProperty.call(rules.grades, action.grade)) {
      return refuse('InvalidArgument', `grade must be one of ${Object.keys(rules.grades).join(', ')}`);
    }
    if (ids.length < 1 || ids.length > rules.maxDepartments) {
      return refuse('InvalidArgument', `departmentIds must name 1 to ${rules.maxDepartments} departments`);
    }
    if (new Set(ids).size !== ids.length || ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
      return refuse('InvalidArgument', 'departmentIds must be distinct, non-empty unit ids');
    }
    if (ids.includes(actor.unitId)) return refuse('InvalidArgument', 'a unit cannot whistle itself');
    if (rules.answeredBy?.[actor.unitKind] === 'street' && ids.length !== 1) {
      return refuse('InvalidArgument', `departmentIds: a ${actor.unitKind} whistles its own street, one unit`);
    }
    const kind = resolveWhistleKind(rules, action);
    if (kind.problems.length > 0) return refuse('InvalidArgument', kind.problems[0].message);
    if (open) return refuse('WrongState', `whistle round ${open.round} is still open`);
    return undefined;
  }

  /** Applies a validated action; returns the deadlines the calendar must stamp. */
  apply(action: CaseAction, actor: Actor, now: string): DeadlineRequest[] {
    const refusal = this.validate(action, actor, now);
    if (refusal) throw new Error(`${refusal.code}: ${refusal.message}`);
    const s = this.state;
    switch (action.type) {
      case 'sign':
        s.phase = 'handling';
        s.timestamps.signed = now;
        this.record('signed', now, actor, {});
        return [];
      case 'return':
        s.phase = 'awaiting-dispatch';
        s.returns += 1;
        s.deadlines = {};
        this.record('returned', now, actor, { reason: action.reason, unitId: s.leadUnitId });
        return [];
      case 'redispatch': {
        const plan: DispatchPlan = { ...(s.plan as DispatchPlan), leadUnitId: action.leadUnitId };
        this.record('redispatch-decided', now, actor, { reason: action.reason, arbitrated: action.arbitrated });
        return this.dispatch(plan, now, actor, action.arbitrated);
      }
      case 'contact':
        s.contacted = true;
        s.timestamps.contacted = now;
        this.record('contacted', now, actor, { note: action.note });
        return [];
      case 'requestExtension':
        s.extension.pending = { workingDays: action.workingDays, reason: action.reason };
        this.record('extension-requested', now, actor, { workingDays: action.workingDays, reason: action.reason });
        return [];
      case 'decideExtension': {
        const pending = s.extension.pending as { workingDays: number };
        s.extension.pending = undefined;
        this.record(action.approved ? 'extension-approved' : 'extension-refused', now, actor, {
          workingDays: pending.workingDays,
          reason: action.reason,
          citizenNotified: true,
        });
        if (!action.approved) return [];
        s.extension.used += 1;
        const from = s.deadlines.handle?.due ?? now;
        return [{ kind: 'handle', duration: `${pending.workingDays}WD`, from }];
      }
      case 'reply':
        s.phase = 'in-review';
        delete s.deadlines.supervision;
        s.supervisionSteps = 0;
        s.reply = { result: action.result, summary: action.summary };
        s.timestamps.replied = now;
        this.record('replied', now, actor, { result: action.result });
        return [];
      case 'review':
        this.record(action.accepted ? 'reply-accepted' : 'reply-sent-back', now, actor, { reason: action.reason });
        if (!action.accepted) {
          s.phase = 'handling';
          return [];
        }
        s.phase = 'awaiting-callback';
        s.callbackAttempts = 0;
        return [{ kind: 'callback', duration: this.rules.callback.window, from: now }];
      case 'callback':
        return this.callback(action, actor, now);
      case 'decideAccountability': {
        const body = s.accountability as NonNullable<LifecycleState['accountability']>;
        body.decision = { responsible: action.responsible, decision: action.decision, at: now };
        this.record('accountability-decided', now, actor, {
          responsible: action.responsible,
          decision: action.decision,
          unitId: s.leadUnitId,
          accountabilityUnitId: body.unitId,
        });
        return this.close('accountability', now);
      }
      case 'auditCallback':
        return this.auditCallback(action, actor, now);
      case 'escalate':
        return this.climb(now, actor, action.reason);
      case 'suspend': {
        const deadlines = RUNNING_KINDS.map((kind) => s.deadlines[kind]).filter(
          (entry): entry is DeadlineEntry => entry !== undefined && deadlineApplies(s, entry.kind),
        );
        const reasonId = action.reasonId ?? this.defaultSuspensionReason();
        s.suspension = { since: now, reason: action.reason, ...(reasonId ? { reasonId } : {}) };
        s.suspensions = (s.suspensions ?? 0) + 1;
        this.clock = { op: 'pause', at: now, deadlines };
        this.record('suspended', now, actor, {
          reason: action.reason,
          ...(reasonId ? { reasonId } : {}),
          stopped: deadlines.map((entry) => entry.kind),
        });
        return [];
      }
      case 'resume': {
        const suspension = s.suspension as NonNullable<LifecycleState['suspension']>;
        s.suspension = undefined;
        this.clock = { op: 'resume', at: now, paused: suspension.paused ?? [] };
        this.record('resumed', now, actor, { reason: action.reason, suspendedSince: suspension.since });
        return [];
      }
      case 'migrateRules':
        return this.migrateRules(action, actor, now);
      case 'reportPart':
        s.coUnitReports = { ...s.coUnitReports, [actor.unitId]: { at: now, summary: action.summary } };
        this.record('co-unit-reported', now, actor, { unitId: actor.unitId, summary: action.summary });
        return [];
      case 'recalendar': {
        // Only deadlines still held and whose due instant moved; each new entry names the calendar version it is on.
        const moved = (action.entries ?? []).filter((entry) => {
          const held = s.deadlines[entry.kind];
          return held !== undefined && held.from === entry.from && held.due !== entry.due;
        });
        this.record('deadlines-recalendared', now, actor, {
          reason: action.reason,
          moved: moved.map((entry) => ({
            kind: entry.kind,
            before: s.deadlines[entry.kind]?.due,
            after: entry.due,
            calendar: `${entry.calendarId}@${entry.calendarVersion}`,
          })),
        });
        for (const entry of moved) this.setDeadline(entry);
        return [];
      }
      case 'coordinate': {
        const rung = this.currentRung();
        const convened = (action.convene ?? []).filter((id) => !s.coUnitIds.includes(id) && id !== s.leadUnitId);
        this.record(action.decision ? 'decided' : 'coordinated', now, actor, {
          level: s.escalationLevel,
          instruction: action.instruction,
          ...(s.rung ? { rung: s.rung.id, position: s.rung.position } : {}),
          ...(action.reassignTo ? { reassignedFrom: s.leadUnitId, reassignedTo: action.reassignTo } : {}),
          ...(action.convene ? { convened } : {}),
        });
        s.coUnitIds.push(...convened);
        if (!action.reassignTo) return [];
        // The body hands the case to another unit, which answers to it within the rung's deadline.
        s.leadUnitId = action.reassignTo;
        s.phase = 'awaiting-sign';
        s.contacted = false;
        const sign: DeadlineRequest = { kind: 'sign', duration: s.plan?.deadlines.sign ?? '1WD', from: now };
        if (this.rules.rungs) {
          delete s.deadlines.escalation;
          return rung?.deadline ? [sign, { kind: 'escalation', duration: rung.deadline, from: now }] : [sign];
        }
        const level = s.escalationLevel as 'community' | 'street' | 'district';
        return [sign, { kind: 'escalation', duration: this.rules.ladder[level], from: now }];
      }
      case 'whistle': {
        const round = s.whistleRounds.length + 1;
        // The trigger and type as the pinned rules complete them (validated above); left out when they read neither.
        const { trigger, whistleType } = resolveWhistleKind(this.rules.whistle, action);
        const kind = { ...(trigger ? { trigger } : {}), ...(whistleType ? { whistleType } : {}) };
        s.whistleRounds.push({
          round,
          whistlerUnitId: actor.unitId,
          departmentIds: [...action.departmentIds],
          grade: action.grade,
          reason: action.reason,
          ...kind,
          startedAt: now,
          status: 'open',
        });
        this.record('whistled', now, actor, {
          round,
          departmentIds: action.departmentIds,
          grade: action.grade,
          reason: action.reason,
          ...kind,
        });
        return [];
      }
    }
  }

  /** Records a deadline the calendar stamped; the 80 % reminder is computed by the caller's calendar too. */
  setDeadline(entry: DeadlineEntry): void {
    this.state.deadlines[entry.kind] = entry;
    this.record('deadline-set', entry.from, undefined, {
      kind: entry.kind,
      duration: entry.duration,
      due: entry.due,
      calendar: `${entry.calendarId}@${entry.calendarVersion}`,
      appliedDays: entry.appliedDays,
    });
  }

  /** The earliest timer that still matters: a pending reminder or a deadline. */
  nextTimer(): PendingTimer | undefined {
    const timers: PendingTimer[] = [];
    for (const entry of Object.values(this.state.deadlines)) {
      if (!entry || !deadlineApplies(this.state, entry.kind)) continue;
      if (entry.reminderAt && !entry.reminded) timers.push({ kind: entry.kind, at: entry.reminderAt, reminder: true });
      timers.push({ kind: entry.kind, at: entry.due, reminder: false });
    }
    timers.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return timers[0];
  }

  /** The pinned version's limit on suspensions and its reasons (cases pinned before they were read: neither). */
  private validateSuspension(action: Extract<CaseAction, { type: 'suspend' }>): Refusal | undefined {
    const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });
    const policy = this.rules.suspension;
    if (!policy) return undefined;
    if (policy.maxCount !== undefined && (this.state.suspensions ?? 0) >= policy.maxCount) {
      return refuse(
        'LimitReached',
        policy.maxCount === 0
          ? 'the rules of this case allow no suspension'
          : `at most ${policy.maxCount} suspension(s) per case`,
      );
    }
    if (action.reasonId === undefined) {
      return policy.reasonIds.length > 1
        ? refuse('InvalidArgument', `reasonId: pick one of ${policy.reasonIds.join(', ')}`)
        : undefined;
    }
    return policy.reasonIds.includes(action.reasonId)
      ? undefined
      : refuse('InvalidArgument', `reasonId: ${action.reasonId} is not one of ${policy.reasonIds.join(', ')}`);
  }

  /** With exactly one suspension reason listed, it is the reason. */
  private defaultSuspensionReason(): string | undefined {
    const reasonIds = this.rules.suspension?.reasonIds ?? [];
    return reasonIds.length === 1 ? reasonIds[0] : undefined;
  }

  /** A timer fired: send the reminder, or act on the expired deadline. Returns new deadlines to stamp. */
  onTimer(timer: PendingTimer, now: string): DeadlineRequest[] {
    const s = this.state;
    const entry = s.deadlines[timer.kind];
    if (!entry || !deadlineApplies(s, timer.kind)) return [];
    // A timer computed before the deadline was replaced (e.g. an approved extension) is stale.
    if (timer.at !== (timer.reminder ? entry.reminderAt : entry.due)) return [];
    if (timer.reminder) {
      entry.reminded = true;
      this.record('reminder', now, undefined, { kind: timer.kind, due: entry.due, unitId: this.responsibleUnit() });
      return [];
    }
    delete s.deadlines[timer.kind];
    this.record('overdue', now, undefined, { kind: timer.kind, due: entry.due, unitId: this.responsibleUnit() });
    switch (timer.kind) {
      case 'handle':
      case 'escalation': {
        s.overdue = true;
        const climbed = this.climb(now, undefined, `${timer.kind} deadline passed`);
        const supervision = this.rules.supervision;
        if (!supervision || s.deadlines.supervision || s.supervisionSteps > 0) return climbed;
        return [...climbed, { kind: 'supervision', duration: supervision.reminderAfter, from: entry.due }];
      }
      case 'supervision':
        return this.superviseOverdue(now);
      case 'callback':
        return this.close('unreachable', now);
      case 'accountability':
        // The body stays seized of the case: it is overdue (and told so) until it decides.
        s.overdue = true;
        return [];
      case 'audit': {
        const audit = s.audit as AuditState;
        audit.status = 'lapsed';
        this.record('audit-lapsed', now, undefined, { attempts: audit.attempts, unitId: s.leadUnitId });
        return [];
      }
      default:
        return []; // a late sign or contact counts against the response rate; the case goes on
    }
  }

  /**
   * The unit that must act now: the accountability body while the case is before it, the service centre while a
   * closed case awaits its audit call-back, the coordinating committee while escalated, else the lead unit.
   */
  responsibleUnit(): string | undefined {
    const s = this.state;
    if (s.phase === 'accountability' && s.accountability) return s.accountability.unitId;
    if (this.auditPending() && s.plan?.serviceCentreId) return s.plan.serviceCentreId;
    return s.escalationUnitId ?? s.leadUnitId;
  }

  /** Whether the closed case still awaits its audit call-back (the workflow keeps running until it is done). */
  auditPending(): boolean {
    return this.state.phase === 'closed' && this.state.audit?.status === 'pending';
  }

  private callback(action: Extract<CaseAction, { type: 'callback' }>, actor: Actor, now: string): DeadlineRequest[] {
    const s = this.state;
    s.callbackAttempts += 1;
    s.timestamps.calledBack = now;
    if (!action.reached) {
      this.record('callback-unreached', now, actor, {
        attempt: s.callbackAttempts,
        ...(action.note !== undefined ? { note: action.note } : {}),
      });
      return s.callbackAttempts >= this.rules.callback.maxAttempts ? this.close('unreachable', now) : [];
    }
    const satisfied = action.solved === true && SATISFIED.includes(action.satisfaction!);
    this.record('called-back', now, actor, {
      solved: action.solved,
      satisfaction: action.satisfaction,
      ...(action.note !== undefined ? { note: action.note } : {}),
    });
    if (satisfied) return this.close('satisfied', now);
    if (s.rehandles < this.rules.rehandle.maxCount) {
      s.rehandles += 1;
      s.phase = 'handling';
      s.reply = undefined;
      s.escalationLevel = 'none';
      s.escalationUnitId = undefined;
      delete s.rung;
      this.record('rehandling', now, undefined, { round: s.rehandles, unitId: s.leadUnitId });
      return [{ kind: 'handle', duration: this.rules.rehandle.duration, from: now }];
    }
    const accountability = this.rules.accountability;
    const bodyId = s.plan?.accountabilityUnitId;
    if (accountability && bodyId) {
      // The Suyu model: the body named by the rules takes the case up and decides, by its deadline, on the record.
      s.phase = 'accountability';
      s.accountability = { unitId: bodyId, target: accountability.target, role: accountability.role, since: now };
      this.record('accountability-escalated', now, undefined, {
        to: accountability.target,
        unitId: s.leadUnitId,
        accountabilityUnitId: bodyId,
      });
      return [{ kind: 'accountability', duration: accountability.deadline, from: now }];
    }
    // Rules without an accountability step (cases pinned before it existed): the case closes flagged at once.
    this.record('accountability-escalated', now, undefined, { to: 'discipline-office', unitId: s.leadUnitId });
    return this.close('accountability', now);
  }

  /** The audit call-back: an unreached attempt, or the citizen's answer, compared with the unit's reported result. */
  private auditCallback(
    action: Extract<CaseAction, { type: 'auditCallback' }>,
    actor: Actor,
    now: string,
  ): DeadlineRequest[] {
    const s = this.state;
    const audit = s.audit as AuditState;
    audit.attempts += 1;
    if (!action.reached) {
      this.record('audit-callback-unreached', now, actor, {
        attempt: audit.attempts,
        ...(action.note !== undefined ? { note: action.note } : {}),
      });
      if (audit.attempts >= this.rules.callback.maxAttempts) {
        audit.status = 'unreached';
        delete s.deadlines.audit;
      }
      return [];
    }
    const solved = action.solved as boolean;
    const satisfaction = action.satisfaction as string;
    // The unit reported the problem solved; the citizen, asked again, says it is not.
    const contradicts = audit.reportedResult === 'solved' && !solved;
    audit.answer = { solved, satisfaction };
    audit.status = contradicts ? 'contradicted' : 'confirmed';
    delete s.deadlines.audit;
    this.record('audit-called-back', now, actor, {
      solved,
      satisfaction,
      reportedResult: audit.reportedResult,
      contradicts,
      ...(action.note !== undefined ? { note: action.note } : {}),
    });
    if (contradicts) {
      const effect = this.rules.callback.audit?.flagEffect ?? 'record-only';
      // `scored` is what the monthly scores count for this case instead of the call-back's answer (`audit-answer`).
      this.record('audit-flagged', now, undefined, {
        unitId: s.leadUnitId,
        reportedResult: audit.reportedResult,
        effect,
        ...(effect === 'audit-answer' ? { scored: { solved, satisfaction } } : {}),
      });
    }
    return [];
  }

  /** Draws a case closed satisfied for an audit call-back (recorded either way); a sampled case gets its deadline. */
  private sampleAudit(now: string): DeadlineRequest[] {
    const rules = this.rules.callback.audit;
    if (!rules || this.caseNo === undefined) return [];
    const draw = auditDraw(this.caseNo);
    const sampled = draw < rules.fraction;
    this.record('audit-sampled', now, undefined, { sampled, draw, fraction: rules.fraction, sampling: rules.sampling });
    if (!sampled) return [];
    const s = this.state;
    s.audit = { status: 'pending', since: now, attempts: 0, ...(s.reply ? { reportedResult: s.reply.result } : {}) };
    return [{ kind: 'audit', duration: rules.deadline, from: now }];
  }

  /** The rung of the pinned ladder the case is on, if any. */
  private currentRung(): RungRules | undefined {
    const position = this.state.rung?.position;
    return position === undefined ? undefined : this.rules.rungs?.[position - 1];
  }

  /** Refuses escalating a case that is already on the top of its ladder. */
  private topOfLadder(): Refusal | undefined {
    const s = this.state;
    const rungs = this.rules.rungs;
    if (rungs) {
      return (s.rung?.position ?? 0) >= rungs.length
        ? {
            code: 'LimitReached',
            message: `the case is already on the final rung '${s.escalationLevel}' of its ladder`,
          }
        : undefined;
    }
    return s.escalationLevel === 'city'
      ? { code: 'LimitReached', message: 'the case is already under city supervision' }
      : undefined;
  }

  /**
   * A case escalated on one ladder moves to another only if the new ladder has a rung with the same id (a case on
   * the fixed ladder: the id of its level); otherwise the migration skips it, saying why.
   */
  private validateLadderMove(rules: LifecycleRules, toVersion: string): Refusal | undefined {
    const level = this.state.escalationLevel;
    if (level === 'none' || !rules.rungs) return undefined;
    return rules.rungs.some((rung) => rung.id === level)
      ? undefined
      : {
          code: 'WrongState',
          message: `the case is on rung '${level}', which the ladder of ${toVersion} does not have`,
        };
  }

  /** Moves the case one rung up its pinned ladder, or the fixed ladder (skipping levels with no committee). */
  private climb(now: string, actor: Actor | undefined, reason: string): DeadlineRequest[] {
    if (this.rules.rungs) return this.climbRungs(this.rules.rungs, now, actor, reason);
    const s = this.state;
    const units = s.plan?.ladderUnits ?? {};
    for (const level of LADDER.slice(LADDER.indexOf(s.escalationLevel) + 1)) {
      if (level === 'city') {
        s.escalationLevel = 'city';
        s.escalationUnitId = undefined;
        this.raiseSupervisionTo('posted');
        this.record('escalated', now, actor, { level, reason, supervision: 'posted' });
        return [];
      }
      const unitId = units[level as 'community' | 'street' | 'district'];
      if (!unitId) continue;
      s.escalationLevel = level;
      s.escalationUnitId = unitId;
      this.record('escalated', now, actor, { level, unitId, reason });
      return [
        { kind: 'escalation', duration: this.rules.ladder[level as 'community' | 'street' | 'district'], from: now },
      ];
    }
    return [];
  }

  /** Climbs to the next rung of the pinned ladder: exactly its rungs, its bodies, its deadlines. */
  private climbRungs(rungs: RungRules[], now: string, actor: Actor | undefined, reason: string): DeadlineRequest[] {
    const s = this.state;
    const index = s.rung?.position ?? 0;
    const rung = rungs[index];
    if (!rung) return [];
    const unitId = s.plan?.rungUnits?.[index];
    s.escalationLevel = rung.id;
    s.escalationUnitId = unitId;
    s.rung = { id: rung.id, name: rung.name, position: index + 1, role: rung.role };
    delete s.deadlines.escalation;
    if (rung.supervision) this.raiseSupervisionTo(rung.supervision);
    this.record('escalated', now, actor, {
      level: rung.id,
      rung: rung.id,
      position: index + 1,
      name: rung.name,
      unitId,
      reason,
      ...(rung.supervision ? { supervision: s.supervision } : {}),
    });
    return rung.deadline ? [{ kind: 'escalation', duration: rung.deadline, from: now }] : [];
  }

  /**
   * Adopts a newer version's rules and asks for every pending deadline whose duration the new rules change, laid
   * again from the instant it started (so time already spent counts); others stay as stamped.
   */
  private migrateRules(
    action: Extract<CaseAction, { type: 'migrateRules' }>,
    actor: Actor,
    now: string,
  ): DeadlineRequest[] {
    const s = this.state;
    const old = { rules: this.rules, plan: s.plan?.deadlines };
    this.rules = action.rules;
    if (s.plan && action.deadlines) s.plan = { ...s.plan, deadlines: { ...action.deadlines } };
    if (s.plan && action.accountabilityUnitId)
      s.plan = { ...s.plan, accountabilityUnitId: action.accountabilityUnitId };
    const rungs = action.rules.rungs;
    if (rungs) {
      // The case keeps its rung by id (validated), now at the new ladder's position with the new ladder's bodies.
      if (s.plan && action.rungUnits) s.plan = { ...s.plan, rungUnits: [...action.rungUnits] };
      const index = rungs.findIndex((rung) => rung.id === s.escalationLevel);
      if (index >= 0) {
        const rung = rungs[index];
        s.rung = { id: rung.id, name: rung.name, position: index + 1, role: rung.role };
        s.escalationUnitId = s.plan?.rungUnits?.[index] ?? s.escalationUnitId;
      }
    }
    const plan = s.plan?.deadlines;
    const level = s.escalationLevel as 'community' | 'street' | 'district';
    const durationFor = (entry: DeadlineEntry): string | undefined => {
      switch (entry.kind) {
        case 'sign':
          return plan?.sign;
        case 'contact':
          return plan?.contact;
        case 'handle':
          // An approved extension keeps its length; the first handling and a re-handling take the new limits.
          if (entry.duration === old.plan?.handle) return plan?.handle;
          if (entry.duration === old.rules.rehandle.duration) return this.rules.rehandle.duration;
          return undefined;
        case 'escalation':
          return rungs ? this.currentRung()?.deadline : this.rules.ladder[level];
        case 'callback':
          return this.rules.callback.window;
        case 'return-window':
          return this.rules.returnWindow;
        default:
          return undefined;
      }
    };
    const requests: DeadlineRequest[] = [];
    for (const entry of Object.values(s.deadlines)) {
      if (!entry) continue;
      const duration = durationFor(entry);
      if (duration && duration !== entry.duration) requests.push({ kind: entry.kind, duration, from: entry.from });
    }
    this.record('rules-migrated', now, actor, {
      toVersion: action.toVersion,
      reason: action.reason,
      recomputed: requests.map((request) => `${request.kind}: ${request.duration}`),
    });
    return requests;
  }

  /** The overdue reminder (the working day after expiry), then one supervision level up per step, up to interview. */
  private superviseOverdue(now: string): DeadlineRequest[] {
    const s = this.state;
    const raiseAfter = this.rules.supervision?.raiseAfter;
    const unitId = this.responsibleUnit();
    s.supervisionSteps += 1;
    if (s.supervisionSteps === 1) {
      this.record('overdue-reminder', now, undefined, { unitId });
    } else {
      const next =
        SUPERVISION_LEVELS[Math.min(SUPERVISION_LEVELS.indexOf(s.supervision) + 1, SUPERVISION_LEVELS.length - 1)];
      this.raiseSupervisionTo(next);
      this.record('supervision-raised', now, undefined, { level: s.supervision, unitId });
    }
    if (!raiseAfter || s.supervision === 'interview') return [];
    return [{ kind: 'supervision', duration: raiseAfter, from: now }];
  }

  private raiseSupervisionTo(level: SupervisionLevel): void {
    if (SUPERVISION_LEVELS.indexOf(level) > SUPERVISION_LEVELS.indexOf(this.state.supervision)) {
      this.state.supervision = level;
    }
  }

  private close(outcome: NonNullable<LifecycleState['outcome']>, now: string): DeadlineRequest[] {
    const s = this.state;
    s.phase = 'closed';
    s.outcome = outcome;
    s.timestamps.closed = now;
    s.deadlines = {};
    this.record('closed', now, undefined, { outcome, flagged: outcome === 'accountability' });
    return outcome === 'satisfied' ? this.sampleAudit(now) : [];
  }

  private record(type: string, at: string, actor: Actor | undefined, detail: Record<string, unknown>): void {
    this.events.push({ type, at, actor, detail });
  }
}
