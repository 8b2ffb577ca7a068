import { DefaultLogger, Runtime } from '@temporalio/worker';

/** Keeps the Temporal SDK's INFO chatter (bundle sizes, worker states) out of test output. */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // Already installed in this jest worker by an earlier test file.
  }
}
