import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { AppendCaseEventsInput, CaseActivities, LifecycleActivities, MirrorRefusal } from '../../activities';
import { MIRROR_REJECTED } from './messages';
import type { CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';
import type { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { DeadlineRequest, LifecycleEvent, LifecycleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';
import type { CaseProjection } from '../../activities/lifecycle.activities';
import type { CaseSnapshot } from './messages';
import { caseProjection, caseSearchAttributes } from './projection';

const activities = proxyActivities<CaseActivities & LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * The calendar activities as local activities (cases on the one-write mirror): pure reads of the stored calendar,
 * recorded as one marker each instead of a scheduled activity and a workflow task.
 */
export const localActivities = proxyLocalActivities<CaseActivities & LifecycleActivities>({
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

  /** Search attribute values as last upserted (one-write mirror), by name, as JSON. */
  private readonly upserted = new Map<string, string>();
  /** The projection as last handed to a mirror write (one-write mirror), as JSON. */
  private projected?: string;

  constructor(
    private readonly snapshot: CaseSnapshot,
    private readonly lifecycle: CaseLifecycle,
    /** The case's current rules (a migration may replace them). */
    private readonly rules: () => LifecycleRules,
    /**
     * One mirror write per change (patch `case-one-mirror`): events, audit, case row and tasks in one activity, the
     * calendar read by local activities, search attributes upserted only when a value changed.
     */
    private readonly oneWrite = false,
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
    if (this.oneWrite) return this.syncOnce(firstSeq, events, projection);
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
   * One mirror write for the change: its events, their audit entries and notifications, the case row and its tasks,
   * in one transaction (`appendCaseEvents` with a projection). Skipped when nothing changed: no event and the same
   * projection. Search attributes are upserted only for the values that changed.
   */
  private syncOnce(firstSeq: number, events: LifecycleEvent[], projection: CaseProjection): Promise<void> {
    const { snapshot, lifecycle } = this;
    const changed = caseSearchAttributes(snapshot, lifecycle).filter((pair) => this.differs(pair));
    if (changed.length > 0) upsertSearchAttributes(changed);
    const serviceCentreId = lifecycle.state.plan?.serviceCentreId;
    const base = { caseNo: snapshot.caseNo, firstSeq, events, ...(serviceCentreId ? { serviceCentreId } : {}) };
    const json = snapshot.lifecycle ? JSON.stringify(projection) : undefined;
    const project = json !== undefined && json !== this.projected;
    if (events.length === 0 && !project) return this.syncing;
    this.projected = json;
    const input: AppendCaseEventsInput = project ? { ...base, projection } : base;
    this.syncing = this.syncing.then(() => this.writeOnce(input));
    return this.syncing;
  }

  /** Whether a search attribute's value differs from the one last upserted (and records the new one). */
  private differs({ key, value }: SearchAttributeUpdatePair): boolean {
    const json = JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
    const last = this.upserted.get(key.name) ?? 'null';
    this.upserted.set(key.name, json);
    return json !== last;
  }

  /**
   * Runs a one-write mirror write. A part PostgreSQL refused for its content raises an incident, as {@link write}
   * does: refused events are kept to be written again as they were; a refused case row is written again with the
   * projection current at the retry (a newer change may have written it since: it then settles the incident).
   */
  private async writeOnce(input: AppendCaseEventsInput): Promise<void> {
    const eventsKey = `appendCaseEvents:case:${input.firstSeq}`;
    try {
      await activities.appendCaseEvents(input);
      if (input.projection && this.failed.delete('projectCase')) {
        await activities.settleIncident({ caseNo: this.snapshot.caseNo, key: 'projectCase' });
      }
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : undefined;
      if (!(cause instanceof ApplicationFailure) || cause.type !== MIRROR_REJECTED || !patched(INCIDENTS_PATCH)) {
        throw error;
      }
      const refused = (cause.details?.[0] as MirrorRefusal | undefined)?.refused ?? ['appendCaseEvents'];
      const { projection: _written, ...eventsOnly } = input;
      for (const step of refused) {
        const events = step === 'appendCaseEvents';
        const call = events
          ? () => activities.appendCaseEvents(eventsOnly)
          : () =>
              activities.appendCaseEvents({
                caseNo: input.caseNo,
                firstSeq: this.nextSeq,
                events: [],
                projection: caseProjection(this.snapshot, this.lifecycle),
              });
        await this.refused(step, events ? eventsKey : 'projectCase', call, cause.message);
      }
    }
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
      await this.refused(step, key, call, cause.message);
    }
  }

  /** Keeps a refused write for a retry and raises its incident. */
  private async refused(step: string, key: string, call: () => Promise<void>, message: string): Promise<void> {
    this.failed.set(key, { step, call });
    await activities.raiseIncident({
      caseNo: this.snapshot.caseNo,
      workflowId: workflowInfo().workflowId,
      key,
      step,
      errorType: MIRROR_REJECTED,
      message,
    });
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
    if (this.oneWrite) {
      if (requests.length === 0) return;
      const reminderFraction = this.rules().reminderFraction;
      const entries = await localActivities.stampDeadlines(
        requests.map((request) => ({ ...request, reminderFraction })),
      );
      for (const entry of entries) this.lifecycle.setDeadline(entry);
      return;
    }
    for (const request of requests) {
      const entry = await activities.stampDeadline({ ...request, reminderFraction: this.rules().reminderFraction });
      this.lifecycle.setDeadline(entry);
    }
  }

  /** Stops or restarts the clocks when a suspension begins or ends (the calendar computes what is owed). */
  async moveClocks(): Promise<void> {
    const clock = this.lifecycle.takeClockRequest();
    const calendar = this.oneWrite ? localActivities : activities;
    if (clock?.op === 'pause') this.lifecycle.setPaused(await calendar.pauseDeadlines(clock));
    if (clock?.op === 'resume') {
      const entries = await calendar.resumeDeadlines({ ...clock, reminderFraction: this.rules().reminderFraction });
      for (const entry of entries) this.lifecycle.setDeadline(entry);
    }
  }

  /** Resolves once every mirror write issued so far is done. */
  settled(): Promise<void> {
    return this.syncing;
  }
}
