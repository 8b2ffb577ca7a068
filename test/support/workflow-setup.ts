import { ensureTemporalBinary } from '../../libs/platform/src/temporal/binaries';
import { bundleWorkflowsForRun } from './workflow-bundle';

/**
 * Workflow tier: makes sure the time-skipping test server is installed once, before parallel test files start, and
 * bundles the workflow code once for every worker of the run.
 */
export default async function workflowSetup(): Promise<void> {
  const server = await ensureTemporalBinary('test-server', (message) =>
    process.stderr.write(`[workflow setup] ${message}\n`),
  );
  process.env.TEMPORAL_TEST_SERVER_PATH = server.path;
  await bundleWorkflowsForRun((message) => process.stderr.write(`[workflow setup] ${message}\n`));
}
