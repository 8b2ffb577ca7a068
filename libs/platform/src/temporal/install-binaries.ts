import { ensureTemporalBinary, TemporalBinary } from './binaries';

/**
 * `npm run setup`: finds or installs the Temporal CLI (dev server) and the time-skipping test server, and says
 * where each came from. `npm start` and `npm test` do the same on their own; this makes it an explicit step.
 */
async function main(): Promise<void> {
  for (const binary of ['cli', 'test-server'] as TemporalBinary[]) {
    const found = await ensureTemporalBinary(binary, (message) => process.stdout.write(`  ${message}\n`));
    process.stdout.write(`temporal ${binary}: ${found.path} (from ${found.source})\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
