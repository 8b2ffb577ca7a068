import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_COMPILED_ROOT, ensureChaosBuild } from '../../scripts/chaos/build';
import type { ChaosReport } from '../../scripts/chaos/chaos';

/**
 * The short fault-injection run (`npm run chaos` is the long one, run the same way): the product as separate
 * processes, cases submitted and driven through sign, contact, reply, review and call-back with client retries under
 * one Idempotency-Key, while the worker, Temporal and PostgreSQL are each SIGKILLed at least once and started again.
 * Nothing accepted may be lost, duplicated or stuck; every 2xx action is once in its history and its case events;
 * the audit chain verifies and the projection does not drift from the workflows.
 */
describe('a short fault-injection run', () => {
  let report: ChaosReport;
  let output = '';
  const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

  beforeAll(async () => {
    ensureChaosBuild(log);
    const folder = mkdtempSync(join('/tmp', 'shaosheng-chaos-report-'));
    const file = join(folder, 'report.json');
    const args = ['--duration', '50', '--rate', '0.5', '--kill-interval', '8', '--max-down', '3', '--seed', '15'];
    args.push('--drain', '60', '--converge', '120', '--report', file);
    const child = spawn(process.execPath, [join(CHAOS_COMPILED_ROOT, 'scripts/chaos/main.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    log(`exit ${code}\n${output}`);
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as ChaosReport;
    } catch {
      throw new Error(`the chaos run wrote no report (exit ${code}):\n${output}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 900_000);

  it('should kill each of the worker, Temporal and PostgreSQL at least once while cases are accepted', () => {
    const killed = new Set(report.faults.map((fault) => fault.target));
    expect([...killed].sort()).toEqual(['postgres', 'temporal', 'worker']);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.checks.actions.ok).toBeGreaterThan(0);
  });

  it('should lose, duplicate and wedge no accepted case, and the projection should converge', () => {
    expect(report.checks.problems).toEqual([]);
    expect({ lost: report.checks.lost, duplicated: report.checks.duplicated, stuck: report.checks.stuck }).toEqual({
      lost: 0,
      duplicated: 0,
      stuck: 0,
    });
    expect(report.checks.convergedInSeconds).not.toBeNull();
  });

  it('should record every 2xx action exactly once in its workflow history and in the case events', () => {
    expect(report.checks.actions).toMatchObject({ historyMismatch: 0, eventMismatch: 0, refusedAfterApplied: 0 });
  });

  it('should keep the audit chain whole and the projection without drift', () => {
    expect(report.checks.audit).toMatchObject({ ok: true });
    expect(report.checks.consistency).toMatchObject({ ok: true, drift: [] });
    expect(report.checks.failures).toEqual([]);
  });
});
