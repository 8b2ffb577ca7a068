import { workerTuningFromEnv } from './case-worker';

describe('worker limits from the environment', () => {
  it.each([
    [{}, {}],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '500' }, { maxCachedWorkflows: 500 }],
    [
      { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8', WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '', OTHER: 'x' },
      { maxConcurrentWorkflowTaskExecutions: 8 },
    ],
    [
      { WORKER_MAX_CONCURRENT_ACTIVITIES: '20', WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '40' },
      { maxConcurrentActivityTaskExecutions: 20, maxConcurrentLocalActivityExecutions: 40 },
    ],
  ])('should read %j as %j', (env, expected) => {
    expect(workerTuningFromEnv(env)).toEqual(expected);
  });

  it.each(['0', '-1', '1.5', 'many', ' 10'])('should refuse %j, naming the variable', (value) => {
    expect(() => workerTuningFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: value })).toThrow(
      /^WORKER_MAX_CACHED_WORKFLOWS must be a positive integer/,
    );
  });
});
