import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestStack, TestStack } from '../support/test-stack';

/** Where `.ci/run` installs Schemathesis (a venv of its own); `SCHEMATHESIS` names another binary. */
const SCHEMATHESIS =
  process.env.SCHEMATHESIS ?? join(__dirname, '..', '..', '.tools', 'schemathesis-venv', 'bin', 'schemathesis');
const REPORT_DIR = join(__dirname, '..', '..', '.cache', 'fuzz');

/** Runs the CLI and resolves with its exit code and output once it exits. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * The schema-driven fuzzer: Schemathesis reads the API's OpenAPI document and sends generated valid and invalid
 * requests to every operation, as the admin, against a seeded scratch database with its own worker.
 * No content may reach a 500. Conformance (schema violations, undocumented statuses) is printed, not asserted yet.
 */
describe('schema-driven fuzzing of the API', () => {
  let stack: TestStack<'admin'>;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-fuzz', scratch: true, seed: true, users: { admin: 'admin' } });
    await stack.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => stack?.stop());

  it('should find no server error in any operation', async () => {
    // Schemathesis runs for at most 90 s (--max-time), plus the schema fetch and the report.
    if (!existsSync(SCHEMATHESIS))
      throw new Error(`${SCHEMATHESIS} is missing: .ci/run installs it (see its fuzz step)`);
    mkdirSync(REPORT_DIR, { recursive: true });
    const ndjson = join(REPORT_DIR, 'events.ndjson');
    const { code, output } = await run(SCHEMATHESIS, [
      'run',
      `${base}/api/docs-json`,
      '--url',
      base,
      '--header',
      `Authorization: Bearer ${stack.tokens.admin}`,
      '--generation-with-security-parameters',
      'false',
      '--checks',
      'all',
      '--max-examples',
      '8',
      '--seed',
      '15',
      '--phases',
      'examples,coverage,fuzzing',
      '--workers',
      '2',
      '--request-timeout',
      '10',
      '--max-time',
      '90',
      // The event stream never ends; logout would revoke the fuzzer's own session.
      '--exclude-path-regex',
      '(inbox-events|auth/logout)$',
      '--report',
      'ndjson',
      '--report-ndjson-path',
      ndjson,
      '--warnings',
      'off',
    ]);
    // The figures of the run, for the log: operations, checks, failures by kind.
    process.stdout.write(`${output.split('\n').slice(-30).join('\n')}\n`);
    const serverErrors = serverErrorsIn(readFileSync(ndjson, 'utf8'));
    expect(serverErrors).toEqual([]);
    expect(code).not.toBeNull();
  }, 180_000);
});

/**
 * The operations Schemathesis saw answer 5xx (check `not_a_server_error` failed), from its NDJSON events. `/ready`
 * answering 503 is its documented meaning (not ready), not an error.
 */
function serverErrorsIn(ndjson: string): string[] {
  const found = new Set<string>();
  for (const line of ndjson.split('\n')) {
    if (!line.includes('"not_a_server_error"')) continue;
    const event = JSON.parse(line) as {
      ScenarioFinished?: { recorder: { label: string; checks: Record<string, { name: string; status: string }[]> } };
    };
    const recorder = event.ScenarioFinished?.recorder;
    if (!recorder || recorder.label === 'GET /ready') continue;
    const failed = Object.values(recorder.checks)
      .flat()
      .some((check) => check.name === 'not_a_server_error' && check.status === 'failure');
    if (failed) found.add(recorder.label);
  }
  return [...found];
}
