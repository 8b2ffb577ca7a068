import { ApplicationFailure, ChildWorkflowHandle, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import type { CaseLifecycle, WhistleRoundEntry } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { Actor, LifecycleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';
import type { WhistleRoundResult } from '../../libs/domain/src/whistle/whistle.types';
import { closeWhistleRoundSignal, moveWhistleResultDueSignal, whistleRoundWorkflowId } from '../whistle-round/messages';
import { whistleRound } from '../whistle-round/whistle-round.workflow';

/**
 * The case's whistle rounds (吹哨、报到), each a child workflow (`case-<caseNo>-whistle-<n>`) so the case history
 * stays small: departments report, submit and are rated on the child; the case records the round's summary.
 */
export class WhistleRounds {
  private readonly handles = new Map<number, ChildWorkflowHandle<typeof whistleRound>>();
  private readonly results: Promise<void>[] = [];
  private readonly closing = new Set<number>();
  /** The result deadline each open round was last given. */
  private readonly resultDue = new Map<number, string>();

  constructor(
    private readonly caseNo: string,
    private readonly lifecycle: CaseLifecycle,
    /** The case's current rules (a migration may replace them). */
    private readonly rules: () => LifecycleRules,
    private readonly changed: () => Promise<void>,
  ) {}

  /** After an action: starts a round the action opened; asks open rounds to close when the case left handling. */
  async afterAction(actor: Actor): Promise<void> {
    for (const round of this.lifecycle.openWhistleRounds()) {
      if (!this.handles.has(round.round)) await this.start(round, actor);
    }
    const phase = this.lifecycle.state.phase;
    if (phase !== 'handling') await this.signalClose(`the case moved to ${phase}`);
    else await this.followHandlingDeadline();
  }

  /** An approved extension or a resume moved the handling deadline: open rounds' result deadlines follow it. */
  private async followHandlingDeadline(): Promise<void> {
    const due = this.lifecycle.state.deadlines.handle?.due;
    if (!due) return;
    for (const round of this.lifecycle.openWhistleRounds()) {
      const handle = this.handles.get(round.round);
      if (!handle || this.closing.has(round.round) || this.resultDue.get(round.round) === due) continue;
      if (!patched('whistle-result-follows-case')) return;
      this.resultDue.set(round.round, due);
      await this.tell(() => handle.signal(moveWhistleResultDueSignal, { resultDue: due }));
    }
  }

  /** Closes every open round and waits until each has handed back its summary. */
  async closeAll(reason: string): Promise<void> {
    await this.signalClose(reason);
    await Promise.all(this.results);
  }

  private async start(round: WhistleRoundEntry, whistler: Actor): Promise<void> {
    const state = this.lifecycle.state;
    const resultDue = state.deadlines.handle?.due ?? state.deadlines.escalation?.due ?? round.startedAt;
    const handle = await startChild(whistleRound, {
      workflowId: whistleRoundWorkflowId(this.caseNo, round.round),
      // The case closes its rounds itself; a terminated case must not leave departments summoned.
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      args: [
        {
          caseNo: this.caseNo,
          round: round.round,
          whistler,
          departmentIds: round.departmentIds,
          grade: round.grade,
          reason: round.reason,
          ...(round.trigger ? { trigger: round.trigger } : {}),
          ...(round.whistleType ? { whistleType: round.whistleType } : {}),
          resultDue,
          escalationUnitId: state.plan?.ladderUnits.district,
          rules: this.rules().whistle,
          reminderFraction: this.rules().reminderFraction,
        },
      ],
    });
    this.handles.set(round.round, handle);
    this.resultDue.set(round.round, resultDue);
    this.results.push(
      handle.result().then(
        (result: WhistleRoundResult) => this.finish(round.round, result.outcome, summarize(result)),
        (error: Error) => this.finish(round.round, 'closed', { error: error.message }),
      ),
    );
  }

  private async finish(round: number, outcome: 'completed' | 'closed', summary: Record<string, unknown>) {
    this.lifecycle.finishWhistleRound(round, outcome, summary, new Date().toISOString());
    await this.changed();
  }

  private async signalClose(reason: string): Promise<void> {
    for (const round of this.lifecycle.openWhistleRounds()) {
      const handle = this.handles.get(round.round);
      if (!handle || this.closing.has(round.round)) continue;
      this.closing.add(round.round);
      await this.tell(() => handle.signal(closeWhistleRoundSignal, { reason }));
    }
  }

  /**
   * Signals an open round. A round whose last step (its rating) has just completed it is gone before the case hears
   * of its result: the signal then finds no workflow, which is no failure of the action that sent it (its result is
   * on its way to the case). Behind patch `whistle-signal-finished-round`: histories recorded before it failed the
   * action's Update there, and replay as they ran.
   */
  private async tell(signal: () => Promise<void>): Promise<void> {
    try {
      await signal();
    } catch (error) {
      const gone = error instanceof ApplicationFailure && error.type === ROUND_GONE;
      if (!gone || !patched('whistle-signal-finished-round')) throw error;
    }
  }
}

/** The failure type of a signal to a workflow that no longer runs. */
const ROUND_GONE = 'ExternalWorkflowExecutionNotFound';

/** What the case keeps of a finished round: per department, whether it reported (in time), resulted and its rating. */
function summarize(result: WhistleRoundResult): Record<string, unknown> {
  return {
    departments: result.departments.map((department) => ({
      departmentId: department.departmentId,
      reported: department.reportedAt !== undefined,
      lateReport: department.lateReport,
      escalated: department.escalated,
      resulted: department.resultAt !== undefined,
      overdue: department.overdue,
      score: department.rating?.score,
      ...(department.rating?.veto ? { veto: true } : {}),
    })),
    outstanding: result.outstanding,
  };
}
