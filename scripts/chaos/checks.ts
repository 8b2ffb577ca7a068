import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { verifyAuditLog } from '../../libs/persistence/src/audit/audit.verify';
import { checkConsistency, temporalVisibility } from '../../libs/persistence/src/audit/consistency';
import { JOURNEY, JourneyAction, PHASE_AFTER, sleep, SubmissionRecord } from './load';

const caseWorkflowId = (caseNo: string) => `case-${caseNo}`;

/** What the product holds for one accepted submission at the end of the run. */
export interface CaseOutcome {
  key: string;
  caseNo?: string;
  /** `lost`: accepted, but no stored request, workflow or case row; `stuck`: no answer or not where expected. */
  verdict: 'ok' | 'lost' | 'stuck' | 'unconverged';
  reason?: string;
  expectedPhase?: string;
}

/** Figures and failures of the end-of-run checks. */
export interface CheckReport {
  lost: number;
  duplicated: number;
  stuck: number;
  /** Seconds from the last restart until the projection matched every workflow; null if it never did. */
  convergedInSeconds: number | null;
  /** Accepted cases whose projection still differed from the workflow at the deadline. */
  unconverged: number;
  actions: {
    ok: number;
    replayed: number;
    refused: number;
    gaveUp: number;
    /** 2xx actions whose Update was not accepted exactly once in the history. */
    historyMismatch: number;
    /** 2xx actions without exactly one event in the projection's case events. */
    eventMismatch: number;
    /** Actions with no 2xx that the workflow applied anyway (the client gave up or was refused). */
    appliedWithoutAnswer: number;
    /** Of those, actions refused (4xx) although an earlier attempt under the same key was applied. */
    refusedAfterApplied: number;
  };
  /** Submissions with no 2xx answer that the product stored anyway (not a fault: the client gave up). */
  storedUnanswered: number;
  audit: { ok: boolean; checked: number; firstBroken?: unknown };
  consistency: { ok: boolean; checkedCases: number; drift: unknown[] };
  /** One line per failed check; empty when the run passed. */
  failures: string[];
  /** The cases that are not ok, for the report. */
  problems: CaseOutcome[];
}

interface Row {
  idempotency_key: string;
  case_no: string;
  intake_status: string;
  phase: string | null;
  status: string | null;
  stage: string | null;
}

interface Snapshot {
  status: string;
  stage: string;
  lifecycle?: { phase: string };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const at = next++;
        results[at] = await work(items[at]);
      }
    }),
  );
  return results;
}

/**
 * The end-of-run checks, against the live stack once the faults have stopped and the clients are done: waits for
 * every accepted case to reach the phase its applied actions lead to with its projection row matching the
 * workflow's state (the convergence time), then counts lost, duplicated and stuck cases, checks every action
 * against the workflow history (its Update accepted once) and the projection's case events (its event once),
 * verifies the audit chain and runs the consistency check.
 */
export async function checkRun(options: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  submissions: SubmissionRecord[];
  /** When the last restarted process was ready again (ms since epoch); convergence is counted from there. */
  lastRestartAt: number;
  /** How long to wait for convergence, in ms. */
  convergeTimeoutMs: number;
  log: (message: string) => void;
}): Promise<CheckReport> {
  const dataSource = await new DataSource({
    ...dataSourceOptions(options.databaseUrl),
    extra: { max: 4 },
  }).initialize();
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: options.namespace });
  try {
    return await check(options, dataSource, client);
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

async function check(
  options: Parameters<typeof checkRun>[0],
  dataSource: DataSource,
  client: Client,
): Promise<CheckReport> {
  const { submissions, log } = options;
  const failures: string[] = [];
  const accepted = submissions.filter((s) => s.accepted);
  const allKeys = submissions.map((s) => s.key);

  // Every Update each case's history accepted, by Update id (= the action's Idempotency-Key).
  const histories = new Map<string, Map<string, number>>();
  // Each round reads the histories of the cases not yet where expected (all of them at first, and once more at the
  // end for the per-action checks): no client acts any more, so a settled case's history no longer changes.
  const settled = new Set<string>();
  const readHistories = async () => {
    const rows = await storedRows(dataSource, allKeys);
    await pool(
      rows.filter((row) => row.intake_status === 'started' && !settled.has(row.case_no)),
      6,
      async (row) => {
        histories.set(row.case_no, await acceptedUpdates(client, row.case_no));
      },
    );
  };
  const expectedPhase = (submission: SubmissionRecord, caseNo: string): string => {
    const applied = histories.get(caseNo);
    let last: JourneyAction | 'intake' = 'intake';
    for (const action of JOURNEY) if (applied?.has(`${submission.key}-${action}`)) last = action;
    return PHASE_AFTER[last];
  };

  // Convergence: every accepted case started, answering, where its applied actions lead, and its row equal.
  let outcomes: CaseOutcome[] = [];
  let convergedAt: number | null = null;
  const deadline = Date.now() + options.convergeTimeoutMs;
  for (let round = 0; ; round += 1) {
    await readHistories();
    const rows = new Map((await storedRows(dataSource, allKeys)).map((row) => [row.idempotency_key, row]));
    outcomes = await pool(accepted, 8, async (submission): Promise<CaseOutcome> => {
      const row = rows.get(submission.key);
      const base = { key: submission.key, caseNo: row?.case_no ?? submission.caseNo };
      if (!row) return { ...base, verdict: 'lost', reason: 'no stored request under its key' };
      if (row.intake_status !== 'started') return { ...base, verdict: 'lost', reason: 'stored, never started' };
      const expected = expectedPhase(submission, row.case_no);
      const snapshot = await query(client, row.case_no);
      if (snapshot === 'not-found') return { ...base, verdict: 'lost', reason: 'no workflow', expectedPhase: expected };
      if (snapshot === 'no-answer') {
        return { ...base, verdict: 'stuck', reason: 'the workflow does not answer a query', expectedPhase: expected };
      }
      const phase = snapshot.lifecycle?.phase ?? null;
      if (phase !== expected) {
        return { ...base, verdict: 'stuck', reason: `workflow in ${phase}`, expectedPhase: expected };
      }
      if (row.phase === null && row.status === null) {
        return { ...base, verdict: 'lost', reason: 'no case row', expectedPhase: expected };
      }
      if (row.phase !== phase || row.status !== snapshot.status || row.stage !== snapshot.stage) {
        const seen = `${row.phase}/${row.status}/${row.stage} vs ${phase}/${snapshot.status}/${snapshot.stage}`;
        return { ...base, verdict: 'unconverged', reason: `projection ${seen}`, expectedPhase: expected };
      }
      return { ...base, verdict: 'ok', expectedPhase: expected };
    });
    for (const outcome of outcomes) if (outcome.verdict === 'ok' && outcome.caseNo) settled.add(outcome.caseNo);
    const pending = outcomes.filter((o) => o.verdict !== 'ok');
    if (pending.length === 0) {
      convergedAt = Date.now();
      break;
    }
    if (round % 5 === 0) log(`converging: ${pending.length} of ${accepted.length} cases not there yet`);
    if (Date.now() > deadline) break;
    await sleep(2000);
  }

  settled.clear();
  await readHistories();
  const problems = outcomes.filter((o) => o.verdict !== 'ok');
  const count = (verdict: CaseOutcome['verdict']) => problems.filter((o) => o.verdict === verdict).length;
  const lost = count('lost');
  const stuck = count('stuck');
  const unconverged = count('unconverged');
  const convergedInSeconds = convergedAt === null ? null : Math.max(0, (convergedAt - options.lastRestartAt) / 1000);

  const duplicated = await duplicates(dataSource, client, options.taskQueue, submissions);

  // Actions: accepted once in the history, one event in the projection.
  const events = await eventsByUpdate(
    dataSource,
    submissions.flatMap((s) => s.actions.map((a) => a.key)),
  );
  const actions = {
    ok: 0,
    replayed: 0,
    refused: 0,
    gaveUp: 0,
    historyMismatch: 0,
    eventMismatch: 0,
    appliedWithoutAnswer: 0,
    refusedAfterApplied: 0,
  };
  for (const submission of submissions) {
    for (const action of submission.actions) {
      const times = (submission.caseNo && histories.get(submission.caseNo)?.get(action.key)) || 0;
      if (action.outcome === 'ok') {
        actions.ok += 1;
        if (action.replayed) actions.replayed += 1;
        if (times !== 1) {
          actions.historyMismatch += 1;
          log(`${submission.caseNo} ${action.action} (${action.key}): Update accepted ${times} times in the history`);
        }
        const rows = events.get(action.key) ?? 0;
        if (rows !== 1) {
          actions.eventMismatch += 1;
          log(`${submission.caseNo} ${action.action} (${action.key}): ${rows} case events carry its Update id`);
        }
        continue;
      }
      if (action.outcome === 'refused') actions.refused += 1;
      else actions.gaveUp += 1;
      if (times > 0) {
        actions.appliedWithoutAnswer += 1;
        if (action.outcome === 'refused') {
          actions.refusedAfterApplied += 1;
          log(
            `${submission.caseNo} ${action.action} (${action.key}): applied, yet a retry was refused: ${action.refusal}`,
          );
        }
      }
    }
  }

  const storedUnanswered = submissions.filter((s) => !s.accepted).length
    ? (
        await storedRows(
          dataSource,
          submissions.filter((s) => !s.accepted).map((s) => s.key),
        )
      ).length
    : 0;

  const audit = await verifyAuditLog(dataSource);
  const consistencyReport = await checkConsistency(dataSource, temporalVisibility(client), {
    taskQueue: options.taskQueue,
  });

  if (accepted.length === 0) failures.push('no submission was accepted: nothing was tested');
  if (lost) failures.push(`lost: ${lost} accepted submission(s) have no case`);
  if (duplicated) failures.push(`duplicated: ${duplicated} submission(s) have more than one case or workflow`);
  if (stuck) failures.push(`stuck: ${stuck} case(s) do not answer or did not reach their expected phase`);
  if (convergedInSeconds === null) failures.push(`the projection did not converge: ${unconverged} case row(s) differ`);
  if (actions.historyMismatch) failures.push(`${actions.historyMismatch} 2xx action(s) not accepted once in history`);
  if (actions.eventMismatch) failures.push(`${actions.eventMismatch} 2xx action(s) without exactly one case event`);
  if (actions.refusedAfterApplied) {
    failures.push(`${actions.refusedAfterApplied} action(s) applied, yet their retry was refused`);
  }
  if (!audit.ok) failures.push(`the audit chain does not verify: ${JSON.stringify(audit.firstBroken)}`);
  if (!consistencyReport.ok) failures.push(`consistency drift: ${JSON.stringify(consistencyReport.drift)}`);
  return {
    lost,
    duplicated,
    stuck,
    convergedInSeconds,
    unconverged,
    actions,
    storedUnanswered,
    audit: { ok: audit.ok, checked: audit.checked, ...(audit.firstBroken ? { firstBroken: audit.firstBroken } : {}) },
    consistency: {
      ok: consistencyReport.ok,
      checkedCases: consistencyReport.checkedCases,
      drift: consistencyReport.drift,
    },
    failures,
    problems,
  };
}

/** The stored request and the case row of each key that has one. */
async function storedRows(dataSource: DataSource, keys: string[]): Promise<Row[]> {
  return (await dataSource.query(
    `SELECT i.idempotency_key, i.case_no, i.status AS intake_status, c.phase, c.status, c.stage
       FROM intake_requests i LEFT JOIN cases c ON c.case_no = i.case_no
      WHERE i.idempotency_key = ANY($1::text[])`,
    [keys],
  )) as Row[];
}

/** The workflow's state, or why there is none: `not-found`, or `no-answer` within 10 s. */
async function query(client: Client, caseNo: string): Promise<Snapshot | 'not-found' | 'no-answer'> {
  try {
    const handle = client.workflow.getHandle(caseWorkflowId(caseNo));
    return await Promise.race([
      handle.query<Snapshot>('caseState'),
      sleep(10_000).then(() => {
        throw new Error('query timed out');
      }),
    ]);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'not-found';
    return 'no-answer';
  }
}

/** How many times the case's history accepted each Update, by Update id. */
async function acceptedUpdates(client: Client, caseNo: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  try {
    const history = await client.workflow.getHandle(caseWorkflowId(caseNo)).fetchHistory();
    for (const event of history.events ?? []) {
      const id = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return counts;
}

/** How many case events carry each Update id. */
async function eventsByUpdate(dataSource: DataSource, keys: string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = (await dataSource.query(
    `SELECT update_id, count(*)::int AS n FROM case_events WHERE update_id = ANY($1::text[]) GROUP BY update_id`,
    [keys],
  )) as { update_id: string; n: number }[];
  return new Map(rows.map((row) => [row.update_id, row.n]));
}

/**
 * Submissions that became more than one case: more than one stored request or case row for one submission's
 * (unique) address, more than one workflow run for one case, or a case workflow no stored request asked for.
 */
async function duplicates(
  dataSource: DataSource,
  client: Client,
  taskQueue: string,
  submissions: SubmissionRecord[],
): Promise<number> {
  const addresses = submissions.map((s) => s.address);
  const twice = (await dataSource.query(
    `SELECT address FROM (
       SELECT payload->>'address' AS address FROM intake_requests WHERE payload->>'address' = ANY($1::text[])
       UNION ALL SELECT address FROM cases WHERE address = ANY($1::text[])
     ) AS stored GROUP BY address HAVING count(*) > 2`,
    [addresses],
  )) as { address: string }[];
  const requests = (await dataSource.query(`SELECT case_no FROM intake_requests`)) as { case_no: string }[];
  const known = new Set(requests.map((r) => caseWorkflowId(r.case_no)));
  const runs = new Map<string, number>();
  const query = `WorkflowType = 'complaintCase' AND TaskQueue = '${taskQueue}'`;
  for await (const info of client.workflow.list({ query })) {
    runs.set(info.workflowId, (runs.get(info.workflowId) ?? 0) + 1);
  }
  const doubled = [...runs.values()].filter((n) => n > 1).length;
  const orphans = [...runs.keys()].filter((id) => !known.has(id)).length;
  return twice.length + doubled + orphans;
}
