import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowCode } from '../support/workflow-bundle';

/**
 * Every committed history under test/histories must replay on the current workflow code: a change that would
 * break running cases fails here (guard it with `patched()`; see docs/adr).
 */
describe('replay of recorded case histories', () => {
  const dir = join(__dirname, '..', 'histories');
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

  it('should have recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('should replay every recorded history without nondeterminism', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { ...workflowCode(), replayName: 'committed-histories' },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
