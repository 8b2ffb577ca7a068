import type { DataSource } from 'typeorm';
import { createCaseActivities, type CaseActivities } from '../../activities/case.activities';
import {
  AppendCaseEventsInput,
  CaseProjection,
  createLifecycleActivities,
  type LifecycleActivities,
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
  return { activities, mirror };
}
