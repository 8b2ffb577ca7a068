import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, LifecycleActivities } from '../../activities';
import { MIRROR_REJECTED } from './messages';
import type { CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';
import type { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { DeadlineRequest, LifecycleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';
import type { CaseSnapshot } from './messages';
import { caseProjection, caseSearchAttributes } from './projection';

const activities = proxyActivities<CaseActivities & LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Patch marker of incidents: a mirror write refused for its content raises one instead of failing the case. */
const INCIDENTS_PATCH = 'mirror-incidents';

/**
 * The case workflow's link to the outside: stamps deadlines and moves clocks through the calendar activities, and
 * mirrors every change — domain events, the case row, search attributes — one sync at a time, so an older projection
 * never overwrites a newer one. `version` counts changes; the main loop wakes when it moves.
 */
export class CaseMirror {
  version = 0;
  private nextSeq = 1;
  private syncing: Promise<void> = Promise.resolve();
  /** Mirror writes refused for their content, by incident key, until retried or resolved. */
  private readonly failed = new Map<string, { step: string; call: () => Promise<void> }>();

  constructor(
    private readonly snapshot: CaseSnapshot,
    private readonly lifecycle: CaseLifecycle,
    /** The case's current rules (a migration may replace them). */
    private readonly rules: () => LifecycleRules,
  ) {}

  /** Records that the case entered a stage (once per stage and status). */
  enter(stage: CaseStage, status: CaseStatus): void {
    const snapshot = this.snapshot;
    if (snapshot.stage === stage && snapshot.status === status) return;
    snapshot.stage = stage;
    snapshot.status = status;
    snapshot.stages.push({ stage, status, at: new Date().toISOString() });
  }

  /** Mirrors the state; events a person caused carry the Update id that links them to the history. */
  sync(updateId?: string): Promise<void> {
    const { snapshot, lifecycle } = this;
    if (snapshot.lifecycle) this.enter(lifecycle.state.phase, lifecycle.state.phase === 'closed' ? 'closed' : 'open');
    const events = lifecycle.takeEvents().map((event) => (updateId && event.actor ? { ...event, updateId } : event));
    const firstSeq = this.nextSeq;
    this.nextSeq += events.length;
    const projection = caseProjection(snapshot, lifecycle);
    upsertSearchAttributes(caseSearchAttributes(snapshot, lifecycle));
    this.syncing = this.syncing.then(async () => {
      const serviceCentreId = lifecycle.state.plan?.serviceCentreId;
      const input = { caseNo: snapshot.caseNo, firstSeq, events, ...(serviceCentreId ? { serviceCentreId } : {}) };
      await this.write('appendCaseEvents', `appendCaseEvents:case:${firstSeq}`, () =>
        activities.appendCaseEvents(input),
      );
      if (snapshot.lifecycle) {
        await this.write('projectCase', 'projectCase', () => activities.projectCase(projection));
      }
    });
    return this.syncing;
  }

  /**
   * Runs one mirror write. A write PostgreSQL refused for its content (`MirrorRejected`: no retry can succeed) does
   * not stop the case: it is kept for a retry, an incident is raised, and the next writes go on.
   */
  private async write(step: string, key: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
      if (this.failed.delete(key)) await activities.settleIncident({ caseNo: this.snapshot.caseNo, key });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : undefined;
      const rejected = cause instanceof ApplicationFailure && cause.type === MIRROR_REJECTED;
      if (!rejected || !patched(INCIDENTS_PATCH)) throw error;
      this.failed.set(key, { step, call });
      await activities.raiseIncident({
        caseNo: this.snapshot.caseNo,
        workflowId: workflowInfo().workflowId,
        key,
        step,
        errorType: MIRROR_REJECTED,
        message: cause.message,
      });
    }
  }

  /** Retries every mirror write that raised an incident (after a fix), in the order they failed. */
  retryFailed(): Promise<void> {
    this.syncing = this.syncing.then(async () => {
      for (const [key, { step, call }] of [...this.failed]) await this.write(step, key, call);
    });
    return this.syncing;
  }

  /** Drops a failed mirror write an admin resolved (the incident is closed by the API, on the record). */
  dropFailed(key: string): void {
    this.failed.delete(key);
  }

  /** A change happened: wake the main loop and mirror it. */
  changed(updateId?: string): Promise<void> {
    this.version += 1;
    return this.sync(updateId);
  }

  /** Lays each requested deadline on the calendar (through the activity) and hands it to the lifecycle. */
  async stamp(requests: DeadlineRequest[]): Promise<void> {
    for (const request of requests) {
      const entry = await activities.stampDeadline({ ...request, reminderFraction: this.rules().reminderFraction });
      this.lifecycle.setDeadline(entry);
    }
  }

  /** Stops or restarts the clocks when a suspension begins or ends (the calendar computes what is owed). */
  async moveClocks(): Promise<void> {
    const clock = this.lifecycle.takeClockRequest();
    if (clock?.op === 'pause') this.lifecycle.setPaused(await activities.pauseDeadlines(clock));
    if (clock?.op === 'resume') {
      const entries = await activities.resumeDeadlines({ ...clock, reminderFraction: this.rules().reminderFraction });
      for (const entry of entries) this.lifecycle.setDeadline(entry);
    }
  }

  /** Resolves once every mirror write issued so far is done. */
  settled(): Promise<void> {
    return this.syncing;
  }
}
