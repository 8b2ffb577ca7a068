import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKFLOW_TRACING_MODULE } from '../../libs/platform/src/tracing/temporal-tracing';
import { quietTemporalRuntime } from '../support/quiet-runtime';

/**
 * Turning traces on loads the workflow bundle with Temporal's workflow tracing interceptors (see
 * apps/worker/src/bundle-workflows.ts): cases recorded without them must replay with them, so that switching traces
 * on (or off) never breaks a running case.
 */
describe('replay of recorded case histories with the workflow tracing interceptors', () => {
  const dir = join(__dirname, '..', 'histories');
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

  beforeAll(() => quietTemporalRuntime());

  it('should replay every recorded history without nondeterminism', async () => {
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: require.resolve('../../workflows'),
        interceptors: { workflowModules: [WORKFLOW_TRACING_MODULE] },
        // The workflow interceptors hand their spans to this sink (never called while replaying).
        sinks: { exporter: { export: { fn: () => undefined } } },
        replayName: 'committed-histories-traced',
      },
      histories,
    )) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
