import { textProblemsIn } from '../case/text';
import type { Actor, DeadlineEntry, LifecycleEvent, Refusal, WhistleRules } from '../lifecycle/lifecycle.types';
import { resolveWhistleKind } from './whistle-kind';
import {
  WHISTLE_SCORE,
  WhistleAction,
  WhistleDeadlineRequest,
  WhistledDepartment,
  WhistleOpening,
  WhistleOutstanding,
  WhistleRoundResult,
  WhistleRoundState,
  WhistleTimer,
} from './whistle.types';

/**
 * Marks the `whistle-result` deadline as the case's own handling deadline, handed down as an instant: the round
 * did not compute it, so it names no duration or calendar of its own.
 */
export const INHERITED_DEADLINE = { duration: 'case-deadline', calendarId: 'case', calendarVersion: 0 } as const;

const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });
/** `a handler`, `an operator`. */
const anA = (role: string) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
const blank = (value: string | undefined) => !value || value.trim().length === 0;
const isInstant = (value: string | undefined) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/**
 * One whistle round (街乡吹哨、部门报到) as a pure state machine: the whistling unit summons departments; each must
 * report (报到) within its grade's limit, or it is escalated to a coordination committee (it may still report, late);
 * each submits its result by the case's handling deadline, or is recorded overdue; the whistler rates each result
 * (1–5, the double assessment). The round completes when every department has been rated, or is closed early by its
 * case with what was outstanding.
 *
 * Written like {@link CaseLifecycle}: Update validators call {@link validate} (which never changes anything), handlers
 * call {@link apply}, report deadlines come back from the calendar activity through {@link setDeadline}, timers call
 * {@link onTimer}, and every change is a {@link LifecycleEvent} taken with {@link takeEvents}. Instants are ISO
 * strings passed in; nothing here reads a clock.
 */
export class WhistleRound {
  private events: LifecycleEvent[] = [];

  constructor(
    private readonly rules: WhistleRules,
    readonly state: WhistleRoundState,
  ) {}

  /** Why this whistle may not be blown at `now`, or undefined when it may. */
  static validateOpening(rules: WhistleRules, opening: WhistleOpening, now: string): Refusal | undefined {
    const { whistler, departmentIds } = opening;
    const ids = Array.isArray(departmentIds) ? departmentIds : [];
    // A handler of the lead unit, or the operators of a command centre (the case checked which centre).
    const role = whistler?.unitKind === 'service-centre' ? 'operator' : 'handler';
    if (whistler?.role !== role) {
      return refuse('WrongRole', `a whistle is blown by ${anA(role)}, not ${anA(String(whistler?.role))}`);
    }
    if (!whistler.unitKind || !rules.whistlerKinds.includes(whistler.unitKind)) {
      const kinds = rules.whistlerKinds.join(', ');
      return refuse(
        'WrongUnit',
        `a ${kinds} unit may whistle, not ${whistler.unitId} (${whistler.unitKind ?? 'kind unknown'})`,
      );
    }
    if (blank(opening.caseNo)) return refuse('InvalidArgument', 'caseNo must not be empty');
    if (!Number.isInteger(opening.round) || opening.round < 1) {
      return refuse('InvalidArgument', 'round must be a whole number from 1');
    }
    if (blank(opening.reason)) return refuse('InvalidArgument', 'reason must not be empty');
    if (!Object.hasOwn(rules.grades, opening.grade)) {
      const grades = Object.keys(rules.grades).join(', ');
      return refuse('InvalidArgument', `grade must be one of ${grades}, not ${JSON.stringify(opening.grade)}`);
    }
    const kind = resolveWhistleKind(rules, opening);
    if (kind.problems.length > 0) return refuse('InvalidArgument', kind.problems[0].message);
    if (ids.length === 0) return refuse('InvalidArgument', 'a whistle summons at least one department');
    if (ids.some((id) => typeof id !== 'string' || blank(id))) {
      return refuse('InvalidArgument', 'departmentIds must not be empty');
    }
    if (new Set(ids).size !== ids.length) return refuse('InvalidArgument', 'departmentIds must be distinct');
    if (ids.includes(whistler.unitId)) return refuse('InvalidArgument', 'the whistling unit cannot summon itself');
    if (rules.answeredBy?.[whistler.unitKind] === 'street' && ids.length !== 1) {
      return refuse('InvalidArgument', `departmentIds: a ${whistler.unitKind} whistles its own street, one unit`);
    }
    if (ids.length > rules.maxDepartments) {
      return refuse(
        'LimitReached',
        `one whistle summons at most ${rules.maxDepartments} departments, not ${ids.length}`,
      );
    }
    if (!isInstant(opening.resultDue)) return refuse('InvalidArgument', 'resultDue must be an ISO instant');
    if (Date.parse(opening.resultDue) <= Date.parse(now)) {
      return refuse('DeadlinePassed', `the case's handling deadline ${opening.resultDue} has passed`);
    }
    return undefined;
  }

  /**
   * Blows the whistle at `now`: a round with every department summoned and the result deadline set. Returns the
   * round and one `whistle-report` deadline request per department, stamped from `now`.
   * @throws Error `<Code>: <message>` when {@link validateOpening} refuses.
   */
  static open(
    rules: WhistleRules,
    opening: WhistleOpening,
    now: string,
  ): { round: WhistleRound; requests: WhistleDeadlineRequest[] } {
    const refusal = WhistleRound.validateOpening(rules, opening, now);
    if (refusal) throw new Error(`${refusal.code}: ${refusal.message}`);
    const reportLimit = rules.grades[opening.grade].reportLimit;
    const { trigger, whistleType } = resolveWhistleKind(rules, opening);
    const kind = { ...(trigger ? { trigger } : {}), ...(whistleType ? { whistleType } : {}) };
    const resultDeadline: DeadlineEntry = {
      kind: 'whistle-result',
      ...INHERITED_DEADLINE,
      from: now,
      // Normalised, so that it sorts and compares with the calendar's instants.
      due: new Date(opening.resultDue).toISOString(),
      appliedDays: [],
    };
    const round = new WhistleRound(rules, {
      caseNo: opening.caseNo,
      round: opening.round,
      phase: 'open',
      whistler: opening.whistler,
      grade: opening.grade,
      ...kind,
      ...(rules.stayUntilDone ? { stayUntilDone: true } : {}),
      reportLimit,
      reason: opening.reason,
      escalationUnitId: opening.escalationUnitId,
      openedAt: now,
      departments: opening.departmentIds.map((departmentId) => ({
        departmentId,
        lateReport: false,
        escalated: false,
        overdue: false,
      })),
      resultDeadline,
    });
    round.record('whistled', now, opening.whistler, {
      grade: opening.grade,
      ...kind,
      reportLimit,
      departmentIds: [...opening.departmentIds],
      reason: opening.reason,
      resultDue: opening.resultDue,
      escalationUnitId: opening.escalationUnitId,
    });
    const requests = opening.departmentIds.map((departmentId) => ({
      kind: 'whistle-report' as const,
      duration: reportLimit,
      from: now,
      departmentId,
    }));
    return { round, requests };
  }

  /** Events recorded since the last call, oldest first. */
  takeEvents(): LifecycleEvent[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }

  /** The summoned department `departmentId`, if it is one. */
  department(departmentId: string): WhistledDepartment | undefined {
    return this.state.departments.find((d) => d.departmentId === departmentId);
  }

  /** Why `actor` may not take `action` now, or undefined when it may. Never changes anything. */
  // `_now` keeps the signature of CaseLifecycle.validate: no action is refused for lateness; a late report or
  // result is recorded as such (事不完、人不撤), so nothing here depends on the instant yet.
  validate(action: WhistleAction, actor: Actor, _now: string): Refusal | undefined {
    const s = this.state;
    // Text PostgreSQL cannot hold would make every mirror write of the event fail: refuse it before it is recorded.
    const unstorable = textProblemsIn(action)[0];
    if (unstorable) return refuse('InvalidArgument', `${unstorable.path || 'action'} ${unstorable.message}`);
    if (s.phase !== 'open') return refuse('WrongState', `the whistle round is ${s.phase}`);
    // The whistler confirms and rates in the role it whistled in; summoned units act by their handlers.
    const role = action.type === 'rate' || action.type === 'confirm' ? s.whistler.role : 'handler';
    if (actor.role !== role) return refuse('WrongRole', `${action.type} is for ${anA(role)}, not ${anA(actor.role)}`);
    if (action.type === 'rate' || action.type === 'confirm') {
      const dept = this.department(action.departmentId);
      const what = action.type === 'rate' ? 'rating' : 'confirming the work done';
      if (actor.unitId !== s.whistler.unitId) {
        return refuse('WrongUnit', `${what} is for the whistling unit ${s.whistler.unitId}, not ${actor.unitId}`);
      }
      if (!dept) return refuse('InvalidArgument', `${action.departmentId} was not summoned in this round`);
      return action.type === 'rate' ? this.validateRating(action, dept) : this.validateConfirmation(action, dept);
    }
    const dept = this.department(actor.unitId);
    if (!dept) return refuse('WrongUnit', `${actor.unitId} was not summoned in this round`);
    if (action.type === 'report') {
      return dept.reportedAt ? refuse('WrongState', `${dept.departmentId} has already reported`) : undefined;
    }
    if (!dept.reportedAt) return refuse('WrongState', `${dept.departmentId} must report before submitting a result`);
    if (dept.resultAt && this.staysUntilDone && !dept.confirmedAt) {
      return refuse(
        'WrongState',
        `${dept.departmentId} has submitted its result and stays until ${s.whistler.unitId} confirms the work done`,
      );
    }
    if (dept.resultAt) return refuse('WrongState', `${dept.departmentId} has already submitted its result`);
    return blank(action.summary) ? refuse('InvalidArgument', 'summary must not be empty') : undefined;
  }

  /** Applies a validated action; returns the deadlines the calendar must stamp (none today). */
  apply(action: WhistleAction, actor: Actor, now: string): WhistleDeadlineRequest[] {
    const refusal = this.validate(action, actor, now);
    if (refusal) throw new Error(`${refusal.code}: ${refusal.message}`);
    switch (action.type) {
      case 'report': {
        const dept = this.department(actor.unitId)!;
        const due = dept.reportDeadline?.due;
        // Late once escalated, or past the deadline before its timer ran.
        dept.lateReport = dept.escalated || (due !== undefined && Date.parse(now) > Date.parse(due));
        dept.reportedAt = now;
        this.record('reported', now, actor, {
          departmentId: dept.departmentId,
          late: dept.lateReport,
          note: action.note,
        });
        return [];
      }
      case 'result': {
        const dept = this.department(actor.unitId)!;
        dept.overdue = dept.overdue || Date.parse(now) > Date.parse(this.state.resultDeadline.due);
        dept.resultAt = now;
        dept.summary = action.summary;
        this.record('result-submitted', now, actor, {
          departmentId: dept.departmentId,
          overdue: dept.overdue,
          summary: action.summary,
        });
        this.completeIfDone(now);
        return [];
      }
      case 'confirm': {
        const dept = this.department(action.departmentId)!;
        if (action.done) {
          dept.confirmedAt = now;
          this.record('confirmed', now, actor, { departmentId: dept.departmentId, note: action.note });
        } else {
          // Not done: the department stays and owes its result again, by the same result deadline.
          dept.resultAt = undefined;
          dept.summary = undefined;
          dept.rejections = (dept.rejections ?? 0) + 1;
          this.record('sent-back', now, actor, { departmentId: dept.departmentId, note: action.note });
        }
        this.completeIfDone(now);
        return [];
      }
      case 'rate': {
        const dept = this.department(action.departmentId)!;
        const veto = action.veto === true;
        dept.rating = { score: action.score, comment: action.comment, at: now, ...(veto ? { veto } : {}) };
        this.record('rated', now, actor, {
          departmentId: dept.departmentId,
          score: action.score,
          comment: action.comment,
          veto,
        });
        this.completeIfDone(now);
        return [];
      }
    }
  }

  /**
   * Records a deadline the calendar stamped: a department's `whistle-report` deadline (`departmentId` required), or a
   * new `whistle-result` deadline for every department.
   */
  setDeadline(entry: DeadlineEntry, departmentId?: string): void {
    if (entry.kind === 'whistle-result') {
      this.state.resultDeadline = entry;
    } else {
      const dept = entry.kind === 'whistle-report' && departmentId ? this.department(departmentId) : undefined;
      if (!dept) throw new Error(`InvalidArgument: a ${entry.kind} deadline for ${departmentId} is not for this round`);
      dept.reportDeadline = entry;
    }
    this.record('deadline-set', entry.from, undefined, {
      kind: entry.kind,
      departmentId,
      duration: entry.duration,
      due: entry.due,
      calendar: `${entry.calendarId}@${entry.calendarVersion}`,
      appliedDays: entry.appliedDays,
    });
  }

  /** The earliest timer that still matters: a report reminder or deadline, or the result deadline. */
  nextTimer(): WhistleTimer | undefined {
    const timers: WhistleTimer[] = [];
    const add = (kind: WhistleTimer['kind'], entry: DeadlineEntry, departmentId?: string) => {
      if (entry.reminderAt && !entry.reminded)
        timers.push({ kind, at: entry.reminderAt, reminder: true, departmentId });
      timers.push({ kind, at: entry.due, reminder: false, departmentId });
    };
    for (const dept of this.state.departments) {
      if (dept.reportDeadline && this.reportApplies(dept))
        add('whistle-report', dept.reportDeadline, dept.departmentId);
    }
    if (this.resultApplies()) add('whistle-result', this.state.resultDeadline);
    // Stable sort: at one instant, departments in summoning order, then the result deadline.
    return timers.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
  }

  /** A timer fired: send the reminder, or escalate the departments that did not report / mark results overdue. */
  onTimer(timer: WhistleTimer, now: string): WhistleDeadlineRequest[] {
    const s = this.state;
    if (timer.kind === 'whistle-report') {
      const dept = timer.departmentId ? this.department(timer.departmentId) : undefined;
      const entry = dept?.reportDeadline;
      // A timer computed before its department reported, or before its deadline was replaced, is stale.
      if (!dept || !entry || !this.reportApplies(dept)) return [];
      if (timer.at !== (timer.reminder ? entry.reminderAt : entry.due)) return [];
      const detail = { kind: timer.kind, due: entry.due, departmentId: dept.departmentId };
      if (timer.reminder) {
        entry.reminded = true;
        this.record('reminder', now, undefined, detail);
        return [];
      }
      dept.escalated = true;
      dept.escalatedTo = s.escalationUnitId;
      this.record('overdue', now, undefined, detail);
      this.record('escalated', now, undefined, {
        departmentId: dept.departmentId,
        committeeId: s.escalationUnitId,
        reason: `did not report within ${s.reportLimit}`,
      });
      return [];
    }
    const entry = s.resultDeadline;
    if (!this.resultApplies() || timer.at !== (timer.reminder ? entry.reminderAt : entry.due)) return [];
    const outstanding = s.departments.filter((d) => !d.resultAt && !d.overdue);
    if (timer.reminder) {
      entry.reminded = true;
      const departmentIds = outstanding.map((d) => d.departmentId);
      this.record('reminder', now, undefined, { kind: timer.kind, due: entry.due, departmentIds });
      return [];
    }
    for (const dept of outstanding) {
      dept.overdue = true;
      this.record('overdue', now, undefined, { kind: timer.kind, due: entry.due, departmentId: dept.departmentId });
    }
    return [];
  }

  /**
   * Ends a round early (its case closed or was returned), recording what each department still owed. Returns false
   * and changes nothing when the round has already ended. A blank reason is recorded as such, not refused: the case
   * tells the round, it does not ask.
   */
  close(reason: string, now: string, actor?: Actor): boolean {
    if (this.state.phase !== 'open') return false;
    this.end('closed', now, { reason: blank(reason) ? '(no reason given)' : reason }, actor);
    return true;
  }

  /**
   * What each department still owes: its report, its result, the whistler's confirmation (rules with
   * `stayUntilDone`), the whistler's rating (rules where it is required).
   */
  outstanding(): WhistleOutstanding[] {
    const ratingRequired = this.rules.rating?.required ?? true;
    return this.state.departments
      .map((d) => ({
        departmentId: d.departmentId,
        missing: [
          ...(d.reportedAt ? [] : ['report' as const]),
          ...(d.resultAt ? [] : ['result' as const]),
          ...(this.staysUntilDone && !d.confirmedAt ? ['confirmation' as const] : []),
          ...(d.rating || !ratingRequired ? [] : ['rating' as const]),
        ],
      }))
      .filter((o) => o.missing.length > 0);
  }

  /**
   * The round's outcome for its case, once it has ended.
   * @throws Error `WrongState: …` while the round is still open.
   */
  result(): WhistleRoundResult {
    const s = this.state;
    if (s.phase === 'open' || !s.endedAt) throw new Error('WrongState: the whistle round has not ended');
    return {
      caseNo: s.caseNo,
      round: s.round,
      grade: s.grade,
      ...(s.trigger ? { trigger: s.trigger } : {}),
      ...(s.whistleType ? { whistleType: s.whistleType } : {}),
      whistlerUnitId: s.whistler.unitId,
      outcome: s.phase,
      openedAt: s.openedAt,
      endedAt: s.endedAt,
      closeReason: s.closeReason,
      departments: s.departments.map(({ reportDeadline: _deadline, ...rest }) => ({ ...rest })),
      outstanding: this.outstanding(),
    };
  }

  /** 事不完、人不撤: whether a department's part waits for the whistler's confirmation. */
  private get staysUntilDone(): boolean {
    return this.rules.stayUntilDone === true;
  }

  /** Whether a department's part is done: its result is in and, where the rules say so, confirmed. */
  private partDone(dept: WhistledDepartment): boolean {
    return dept.resultAt !== undefined && (!this.staysUntilDone || dept.confirmedAt !== undefined);
  }

  /** Completes the round once every department's part is done and, where ratings are required, rated. */
  private completeIfDone(now: string): void {
    const ratingRequired = this.rules.rating?.required ?? true;
    const done = (d: WhistledDepartment) => this.partDone(d) && (!ratingRequired || d.rating !== undefined);
    if (this.state.phase === 'open' && this.state.departments.every(done)) this.end('completed', now, {});
  }

  private validateRating(action: Extract<WhistleAction, { type: 'rate' }>, dept: WhistledDepartment) {
    if (!dept.resultAt) return refuse('WrongState', `${dept.departmentId} has not submitted its result yet`);
    if (!this.partDone(dept)) {
      return refuse('WrongState', `${dept.departmentId}'s work has not been confirmed done yet (事不完、人不撤)`);
    }
    if (dept.rating) return refuse('WrongState', `${dept.departmentId} has already been rated`);
    const { min, max } = WHISTLE_SCORE;
    if (!Number.isInteger(action.score) || action.score < min || action.score > max) {
      return refuse('InvalidArgument', `score must be a whole number from ${min} to ${max}`);
    }
    if (action.veto !== undefined && typeof action.veto !== 'boolean') {
      return refuse('InvalidArgument', 'veto must be true or false');
    }
    if (action.veto === true && !(this.rules.rating?.veto ?? false)) {
      return refuse('InvalidArgument', "veto: these rules do not let the whistler veto a department's assessment");
    }
    return undefined;
  }

  private validateConfirmation(action: Extract<WhistleAction, { type: 'confirm' }>, dept: WhistledDepartment) {
    if (!this.staysUntilDone) {
      return refuse('WrongState', 'these rules do not keep departments until the whistler confirms (stayUntilDone)');
    }
    if (typeof action.done !== 'boolean') return refuse('InvalidArgument', 'done must be true or false');
    if (!dept.resultAt) return refuse('WrongState', `${dept.departmentId} has not submitted its result yet`);
    if (dept.confirmedAt) return refuse('WrongState', `${dept.departmentId}'s work has already been confirmed done`);
    if (!action.done && blank(action.note)) {
      return refuse('InvalidArgument', 'note must say what is left to do when the work is not done');
    }
    return undefined;
  }

  private reportApplies(dept: WhistledDepartment): boolean {
    return this.state.phase === 'open' && !dept.reportedAt && !dept.escalated;
  }

  private resultApplies(): boolean {
    return this.state.phase === 'open' && this.state.departments.some((d) => !d.resultAt && !d.overdue);
  }

  private end(phase: 'completed' | 'closed', now: string, detail: { reason?: string }, actor?: Actor): void {
    const s = this.state;
    const outstanding = this.outstanding();
    s.phase = phase;
    s.endedAt = now;
    s.closeReason = detail.reason;
    this.record(phase, now, actor, phase === 'closed' ? { reason: detail.reason, outstanding } : {});
  }

  private record(type: string, at: string, actor: Actor | undefined, detail: Record<string, unknown>): void {
    this.events.push({ type, at, actor, detail });
  }
}
