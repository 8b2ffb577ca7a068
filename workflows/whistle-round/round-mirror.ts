import { ActivityFailure, ApplicationFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { LifecycleActivities } from '../../activities';
import { openWhistleTasks } from '../../libs/domain/src/whistle/open-whistle-tasks';
import type { WhistleRound } from '../../libs/domain/src/whistle/whistle-round';
import { MIRROR_REJECTED } from '../complaint-case/messages';
import { whistleEventStream } from './messages';

// Only the calendar, the event and task mirror and incidents: the round reaches the case through its result.
const activities = proxyActivities<
  Pick<
    LifecycleActivities,
    'stampDeadline' | 'appendCaseEvents' | 'syncWhistleTasks' | 'raiseIncident' | 'settleIncident'
  >
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** The round's activities (the calendar for its deadlines). */
export const roundActivities = activities;

/**
 * Patch marker of whistle-round incidents: a mirror write PostgreSQL refused for its content raises an incident and
 * the round goes on; rounds that failed such a write before this change still fail on replay, as they did.
 */
const INCIDENTS_PATCH = 'whistle-round-incidents';

/**
 * Mirrors a whistle round's events (numbered within its own `whistle-<round>` stream) and open tasks into
 * PostgreSQL, one write after another so an older task list never overwrites a newer one. A write refused for its
 * content (`MirrorRejected`) raises an incident keyed by the round's stream and is kept until retried or resolved.
 */
export class RoundMirror {
  private nextSeq = 1;
  private syncing: Promise<void> = Promise.resolve();
  /** Mirror writes refused for their content, by incident key, until retried or resolved. */
  private readonly failed = new Map<string, { step: string; call: () => Promise<void> }>();
  private readonly stream: string;

  constructor(
    private readonly caseNo: string,
    private readonly roundNo: number,
    private readonly round: WhistleRound,
    /** Whether the round mirrors its open tasks (rounds started before the inbox knew whistle steps do not). */
    private readonly withTasks: boolean,
  ) {
    this.stream = whistleEventStream(roundNo);
  }

  /** Mirrors the new events in order; events a person caused carry the Update id that links them to the history. */
  sync(updateId?: string): Promise<void> {
    const events = this.round.takeEvents().map((event) => (updateId && event.actor ? { ...event, updateId } : event));
    if (events.length === 0) return this.syncing;
    const firstSeq = this.nextSeq;
    this.nextSeq += events.length;
    const tasks = openWhistleTasks(this.round.state);
    const { caseNo, stream, roundNo } = this;
    this.syncing = this.syncing.then(async () => {
      await this.write('appendCaseEvents', `appendCaseEvents:${stream}:${firstSeq}`, () =>
        activities.appendCaseEvents({ caseNo, stream, firstSeq, events }),
      );
      // One key for the task list: a later list that is written supersedes an earlier one that was refused.
      if (this.withTasks) {
        await this.write('syncWhistleTasks', `syncWhistleTasks:${stream}`, () =>
          activities.syncWhistleTasks({ caseNo, round: roundNo, tasks }),
        );
      }
    });
    return this.syncing;
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

  /** Resolves once every mirror write issued so far is done. */
  settled(): Promise<void> {
    return this.syncing;
  }

  private async write(step: string, key: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
      if (this.failed.delete(key)) await activities.settleIncident({ caseNo: this.caseNo, key });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : undefined;
      const rejected = cause instanceof ApplicationFailure && cause.type === MIRROR_REJECTED;
      if (!rejected || !patched(INCIDENTS_PATCH)) throw error;
      this.failed.set(key, { step, call });
      await activities.raiseIncident({
        caseNo: this.caseNo,
        workflowId: workflowInfo().workflowId,
        key,
        step,
        errorType: MIRROR_REJECTED,
        message: cause.message,
      });
    }
  }
}
