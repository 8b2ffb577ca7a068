import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { createCaseActivities, type CaseActivities } from '../../activities/case.activities';
import {
  AppendCaseEventsInput,
  CaseProjection,
  createLifecycleActivities,
  type LifecycleActivities,
  MIRROR_REJECTED,
  type MirrorRefusal,
  type LifecycleActivityDeps,
} from '../../activities/lifecycle.activities';
import type { LifecycleEvent, OpenTask } from '../../libs/domain/src/lifecycle';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../../libs/domain/src/routing/demo-catalogue';

/** What a workflow test worker's activities recorded, by case number (and event stream). */
export interface RecordedMirror {
  /** Events by `<caseNo>` for the case stream, `<caseNo>/<stream>` for other streams, in sequence order. */
  events: Map<string, LifecycleEvent[]>;
  projections: Map<string, CaseProjection>;
  /** A whistle round's open tasks, by `<caseNo>/whistle-<round>`, as last mirrored. */
  whistleTasks: Map<string, OpenTask[]>;
}

/**
 * The case workflow's activities for time-skipping tests: the pure ones real (routing, intake decisions, the
 * calendar), the PostgreSQL mirrors replaced by in-memory maps. `overrides` replace any of them.
 */
export function testCaseActivities(
  overrides: Partial<CaseActivities & LifecycleActivities> = {},
  deps: Omit<LifecycleActivityDeps, 'dataSource'> = {},
): { activities: CaseActivities & LifecycleActivities; mirror: RecordedMirror } {
  const dataSource = {} as DataSource;
  const lifecycle = createLifecycleActivities({
    dataSource,
    trees: async () => DEMO_CITY,
    catalogue: DEMO_CATALOGUE,
    ...deps,
  });
  const intake = createCaseActivities({ dataSource, catalogue: deps.catalogue ?? DEMO_CATALOGUE });
  const mirror: RecordedMirror = { events: new Map(), projections: new Map(), whistleTasks: new Map() };
  const activities: CaseActivities & LifecycleActivities = {
    ...lifecycle,
    ...intake,
    recordCaseIntake: async () => undefined,
    projectCase: async (projection: CaseProjection) => void mirror.projections.set(projection.caseNo, projection),
    syncWhistleTasks: async (input: { caseNo: string; round: number; tasks: OpenTask[] }) =>
      void mirror.whistleTasks.set(`${input.caseNo}/whistle-${input.round}`, input.tasks),
    appendCaseEvents: async (input: AppendCaseEventsInput) => {
      const key = !input.stream || input.stream === 'case' ? input.caseNo : `${input.caseNo}/${input.stream}`;
      const list = mirror.events.get(key) ?? [];
      list.splice(input.firstSeq - 1, input.events.length, ...input.events);
      mirror.events.set(key, list);
    },
    ...overrides,
  };
  return { activities: { ...activities, appendCaseEvents: inParts(activities) }, mirror };
}

/**
 * The one-write mirror (`appendCaseEvents` with a projection) made of the two writes above, each possibly overridden:
 * the events, then the projection; a part refused for its content (`MirrorRejected`) does not stop the other, and the
 * failure names the refused parts, as the PostgreSQL activity does.
 */
function inParts({
  appendCaseEvents,
  projectCase,
}: Pick<LifecycleActivities, 'appendCaseEvents' | 'projectCase'>): LifecycleActivities['appendCaseEvents'] {
  return async ({ projection, ...events }: AppendCaseEventsInput) => {
    if (!projection) return appendCaseEvents(events);
    const refused: MirrorRefusal['refused'] = [];
    let reason: ApplicationFailure | undefined;
    const attempt = async (part: MirrorRefusal['refused'][number], write: () => Promise<void>) => {
      try {
        await write();
      } catch (error) {
        if (!(error instanceof ApplicationFailure) || error.type !== MIRROR_REJECTED) throw error;
        refused.push(part);
        reason ??= error;
      }
    };
    if (events.events.length > 0) await attempt('appendCaseEvents', () => appendCaseEvents(events));
    await attempt('projectCase', () => projectCase(projection));
    if (!reason) return;
    throw ApplicationFailure.create({
      message: reason.message,
      type: MIRROR_REJECTED,
      nonRetryable: true,
      details: [{ refused } satisfies MirrorRefusal],
    });
  };
}
