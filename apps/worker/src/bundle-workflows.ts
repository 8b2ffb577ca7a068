import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKFLOW_TRACING_MODULE } from '../../../libs/platform/src/tracing/temporal-tracing';

/**
 * Part of `npm run build`: bundles the workflow code once into `dist/workflow-bundle.js`, which the worker loads
 * instead of bundling at every start, and into `dist/workflow-bundle-traced.js` with Temporal's workflow tracing
 * interceptors, which the worker loads while traces are exported (so the untraced bundle carries no tracing at all).
 */
async function main(): Promise<void> {
  await bundle('workflow-bundle.js', []);
  await bundle('workflow-bundle-traced.js', [WORKFLOW_TRACING_MODULE]);
}

async function bundle(file: string, workflowInterceptorModules: string[]): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    workflowInterceptorModules,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message) => process.stderr.write(`${message}\n`),
    },
  });
  const target = join(__dirname, '..', '..', '..', file);
  writeFileSync(target, code);
  process.stdout.write(`workflow bundle: ${target} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
