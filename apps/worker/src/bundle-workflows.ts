import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Part of `npm run build`: bundles the workflow code once into `dist/workflow-bundle.js`, which the worker loads
 * instead of bundling at every start.
 */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message) => process.stderr.write(`${message}\n`),
    },
  });
  const target = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
  writeFileSync(target, code);
  process.stdout.write(`workflow bundle: ${target} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
