import { bundleWorkflowCode } from '@temporalio/worker';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeTracing } from '../../libs/platform/src/tracing';

/** Where the global setups leave the run's workflow bundle for the test files. */
const BUNDLE_ENV = 'SHAOSHENG_TEST_WORKFLOW_BUNDLE';
const WORKFLOWS = require.resolve('../../workflows');

/**
 * Bundles the workflow code once for the whole jest run (the global setup of each tier that runs workers calls it;
 * the second finds the first's bundle), instead of once per worker: each bundling takes seconds on two cores.
 */
export async function bundleWorkflowsForRun(log: (message: string) => void): Promise<void> {
  const existing = process.env[BUNDLE_ENV];
  if (existing && existsSync(existing)) return;
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message) => log(message),
    },
  });
  const dir = join(__dirname, '..', '..', '.cache', 'test-bundle');
  mkdirSync(dir, { recursive: true });
  // Bundles of runs a day old are gone with their runs; newer ones may belong to a run still going.
  for (const file of readdirSync(dir)) {
    const old = join(dir, file);
    if (Date.now() - statSync(old).mtimeMs > 86_400_000) rmSync(old, { force: true });
  }
  const path = join(dir, `workflows-${process.pid}.js`);
  writeFileSync(path, code);
  process.env[BUNDLE_ENV] = path;
  log(`workflow bundle for the run: ${path} (${Date.now() - started} ms)`);
}

/** The run's prebuilt bundle, unless tracing is on (its bundle needs the tracing interceptors) or there is none. */
export function testWorkflowBundlePath(): string | undefined {
  const path = process.env[BUNDLE_ENV];
  return path && existsSync(path) && !activeTracing() ? path : undefined;
}

/** The workflow code option of `Worker.create` / `Worker.runReplayHistories`: the run's bundle, else the sources. */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const path = testWorkflowBundlePath();
  return path ? { workflowBundle: { codePath: path } } : { workflowsPath: WORKFLOWS };
}
