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
function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/**
 * Checks of Schemathesis that must never fail: the document is true. No content reaches a 500; every answer matches
 * its documented schema, status and media type; a method a path does not take answers 405 with `Allow`.
 */
const REQUIRED_CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
  'unsupported_method',
] as const;

/**
 * The schema-driven fuzzer: Schemathesis reads the API's OpenAPI document and sends generated valid and invalid
 * requests to every operation, as the admin, against a seeded scratch database with its own worker. Every check of
 * {@link REQUIRED_CHECKS} must pass on every operation; the others (e.g. whether the schema is as strict as the
 * validation) are printed with the figures.
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

  it('should find no server error, schema violation, undocumented status or media type, or wrong 405', async () => {
    // Schemathesis runs for at most 60 s (--max-time), plus the schema fetch and the report.
    if (!existsSync(SCHEMATHESIS))
      throw new Error(`${SCHEMATHESIS} is missing: .ci/run installs it (see its fuzz step)`);
    mkdirSync(REPORT_DIR, { recursive: true });
    const ndjson = join(REPORT_DIR, 'events.ndjson');
    const args = [
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
      // One worker: Schemathesis's threads once crashed the Python 3.11 interpreter (SIGSEGV in libpython).
      '--workers',
      '1',
      '--request-timeout',
      '10',
      '--max-time',
      '60',
      // The event stream never ends; logout would revoke the fuzzer's own session.
      '--exclude-path-regex',
      '(inbox-events|auth/logout)$',
      '--report',
      'ndjson',
      '--report-ndjson-path',
      ndjson,
      '--warnings',
      'off',
    ];
    let { code, signal, output } = await run(SCHEMATHESIS, args);
    const foundBefore = signal ? failuresIn(readFileSync(ndjson, 'utf8')) : undefined;
    if (signal) {
      // The fuzzer itself died (not our API: its report stops mid-run). Say so in the log and run it once more.
      process.stdout.write(
        `schemathesis ended on ${signal}; running it again\n${output.split('\n').slice(-10).join('\n')}\n`,
      );
      ({ code, signal, output } = await run(SCHEMATHESIS, args));
    }
    // The figures of the run, for the log: operations, checks, failures by kind.
    process.stdout.write(`${output.split('\n').slice(-30).join('\n')}\n`);
    const failures = failuresIn(readFileSync(ndjson, 'utf8'));
    for (const check of REQUIRED_CHECKS)
      failures[check] = [...new Set([...(foundBefore?.[check] ?? []), ...failures[check]])];
    expect(failures).toEqual(Object.fromEntries(REQUIRED_CHECKS.map((check) => [check, []])));
    expect({ code, signal }).toEqual({ code: expect.any(Number), signal: null });
  }, 300_000);
});

/**
 * The operations on which Schemathesis saw each of {@link REQUIRED_CHECKS} fail, with the failure's title and message,
 * from its NDJSON events. `/ready` answering 503 is its documented meaning (not ready), not a server error.
 */
function failuresIn(ndjson: string): Record<(typeof REQUIRED_CHECKS)[number], string[]> {
  const found = Object.fromEntries(REQUIRED_CHECKS.map((check) => [check, new Set<string>()])) as Record<
    (typeof REQUIRED_CHECKS)[number],
    Set<string>
  >;
  for (const line of ndjson.split('\n')) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const event = JSON.parse(line) as {
      ScenarioFinished?: {
        recorder: {
          label: string;
          checks?: Record<
            string,
            { name: string; status: string; failure_info?: { failure?: { title?: string; message?: string } } }[]
          >;
        };
      };
    };
    const recorder = event.ScenarioFinished?.recorder;
    if (!recorder) continue;
    for (const check of Object.values(recorder.checks ?? {}).flat()) {
      if (check.status !== 'failure' || !(check.name in found)) continue;
      if (check.name === 'not_a_server_error' && recorder.label === 'GET /ready') continue;
      const { title = '', message = '' } = check.failure_info?.failure ?? {};
      found[check.name as (typeof REQUIRED_CHECKS)[number]].add(
        `${recorder.label}: ${title}: ${message.split('\n')[0]}`,
      );
    }
  }
  return Object.fromEntries(Object.entries(found).map(([check, labels]) => [check, [...labels].sort()])) as Record<
    (typeof REQUIRED_CHECKS)[number],
    string[]
  >;
}
