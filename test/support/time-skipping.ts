import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary } from '../../libs/platform/src/temporal/binaries';
import { registerSearchAttributes } from '../../libs/platform/src/temporal/search-attributes';

/**
 * A time-skipping environment on the test server binary the workflow tier installed (the SDK's own download is the
 * fallback where the internet is reachable), with Shaosheng's search attributes registered.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = findTemporalBinary('test-server');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: server ? { type: 'existing-path', path: server.path } : { type: 'cached-download' } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
