import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChaosOptions, formatReport, runChaos } from './chaos';

/**
 * `npm run chaos [-- --duration 300 --rate 1 --kill-interval 20 --max-down 5 --seed 42 --drain 90 --converge 180
 * --keep --report <file.json>]`: a fault-injection run against the product as separate processes (see chaos.ts). Each flag can also be
 * given as an environment variable: CHAOS_DURATION, CHAOS_RATE, CHAOS_KILL_INTERVAL, CHAOS_MAX_DOWN, CHAOS_SEED,
 * CHAOS_DRAIN, CHAOS_CONVERGE, CHAOS_KEEP=1. Prints the figures (and writes the whole report as JSON with
 * `--report`); exits 1 when a check fails, 2 when the run could not be made.
 */
export function chaosOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Omit<ChaosOptions, 'log'> {
  const flag = (name: string, variable: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    const raw = at >= 0 ? argv[at + 1] : env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} (${variable}) must be a number ≥ 0: ${raw}`);
    return value;
  };
  const options = {
    durationSeconds: flag('duration', 'CHAOS_DURATION', 300),
    rate: flag('rate', 'CHAOS_RATE', 1),
    killIntervalSeconds: flag('kill-interval', 'CHAOS_KILL_INTERVAL', 20),
    maxDownSeconds: flag('max-down', 'CHAOS_MAX_DOWN', 5),
    seed: flag('seed', 'CHAOS_SEED', Date.now() % 1_000_000),
    drainSeconds: flag('drain', 'CHAOS_DRAIN', 90),
    convergeTimeoutSeconds: flag('converge', 'CHAOS_CONVERGE', 180),
    compiledRoot: join(__dirname, '..', '..'),
    keep: argv.includes('--keep') || env.CHAOS_KEEP === '1',
  };
  if (options.rate <= 0) throw new Error('--rate (CHAOS_RATE) must be above 0');
  return options;
}

if (require.main === module) {
  const started = Date.now();
  const log = (message: string) =>
    process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
  (async () => {
    const report = await runChaos({ ...chaosOptions(process.argv.slice(2), process.env), log });
    process.stdout.write(`${formatReport(report)}\n`);
    const reportAt = process.argv.indexOf('--report');
    if (reportAt >= 0) writeFileSync(process.argv[reportAt + 1], `${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  })().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`chaos run failed to run: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(2);
    },
  );
}
