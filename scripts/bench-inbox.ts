/*
 * Benchmark of the task inbox over 1,000,000 task rows (npm run bench:inbox).
 *
 * Starts an embedded PostgreSQL (or uses DATABASE_URL: a scratch database with no cases), applies the migrations,
 * seeds the task rows and the cases they belong to with generate_series, runs VACUUM ANALYZE, then times the
 * statements the inbox service issues (apps/api/src/tasks/inbox-query.ts), 200 runs each after a warm-up, and
 * prints p50 / p99 / max in milliseconds and the plan of the slowest. Figures, not assertions (ADR 5).
 *
 * Distribution: operator steps (review, call-back, re-dispatch, extension decisions: ~36 %) wait on the 12345
 * centre; handler steps on the demo city's districts, streets, communities and departments, and coordination steps
 * on its committees, both skewed Zipf-like (unit k of n drawn with probability ~ k^-0.7, a few units carry most of
 * the load); ~70 % closed, ~25 % open, ~5 % claimed; due dates within ±30 days, ~10 % overdue; about five tasks
 * per case. Environment: BENCH_TASKS (default 1000000), BENCH_RUNS (default 200).
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEMO_CITY } from '../libs/domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../libs/domain/src/routing/demo-catalogue';
import { runMigrations } from '../libs/persistence/src';
import { freePort } from '../libs/platform/src';
import { RunningPostgres, startEmbeddedPostgres } from '../libs/platform/src/postgres/embedded-postgres';
import {
  InboxFilter,
  inboxCountsSql,
  inboxPageSql,
  inboxPageSqlFor,
  InboxRow,
  Sql,
} from '../apps/api/src/tasks/inbox-query';

const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CASES = Math.max(1, Math.round(TASKS / 5));
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { url, server, root } = await database();
  const db = new Client({ connectionString: url });
  try {
    out(`migrating ${redact(url)}`);
    await runMigrations(url);
    await db.connect();
    const [{ count }] = (await db.query<{ count: string }>('SELECT count(*) FROM cases')).rows;
    if (Number(count) > 0) throw new Error('the database already has cases: point DATABASE_URL at a scratch database');
    await timed(`seeded ${CASES.toLocaleString('en')} cases, ${TASKS.toLocaleString('en')} tasks`, () => seed(db));
    await timed('VACUUM ANALYZE', () => db.query('VACUUM (ANALYZE) cases, tasks'));
    await report(db);
  } finally {
    await db.end().catch(() => undefined);
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  }
}

async function database(): Promise<{ url: string; server?: RunningPostgres; root?: string }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  // Our own folder under /tmp (traversable by the `postgres` OS user when run as root); removed at the end.
  const root = mkdtempSync(join('/tmp', 'shaosheng-bench-'));
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'pg'),
    port: await freePort(),
    database: 'shaosheng_bench',
    ephemeral: true,
  });
  return { url: server.url, server, root };
}

/** Seeds cases and tasks in two INSERT … SELECT statements over generate_series. */
async function seed(db: Client): Promise<void> {
  const units = (kinds: string[]) => DEMO_CITY.units.filter((unit) => kinds.includes(unit.kind)).map((u) => u.id);
  const handlerUnits = shuffled(units(['district', 'street', 'township', 'community', 'village', 'department']));
  const committees = shuffled(units(['committee']));
  const centre = units(['service-centre'])[0];
  const categories = DEMO_CATALOGUE.categories.map((category) => category.id);
  // One instant for both statements: a case's number (its date) must come out the same in each.
  const anchor = new Date();
  await db.query(
    `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description, address,
                        citizen_name, citizen_phone, rules_version, received_at, phase)
     SELECT no, 'case-' || no, (ARRAY['complaint','help','report','suggestion'])[1 + g % 4],
            ($2::text[])[1 + g % cardinality($2::text[])], CASE WHEN g % 20 = 0 THEN 'urgent' ELSE 'normal' END,
            'hotline', 'open', 'handling', '测试诉求 ' || g,
            '示范市' || (ARRAY['东湖区湖滨路','西山区文昌街','北郊区柳荫路','东湖区书院巷'])[1 + g % 4] || (g % 997) || '号',
            '测试' || g, '139' || lpad((g % 100000000)::text, 8, '0'), 'beijing@1', received, 'handling'
       FROM generate_series(1, $1::int) g,
            LATERAL (SELECT $3::timestamptz - interval '60 days' + (g::float / $1) * interval '60 days' AS received) r,
            LATERAL (SELECT to_char(received AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(g::text, 7, '0') AS no) n`,
    [CASES, categories, anchor],
  );
  // Per task: which case, which step (and so role and unit), status, dates. The case number is rebuilt from the
  // case's serial exactly as above.
  await db.query(
    `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, status, claimed_by, claimed_at, category,
                        escalation_level, created_at, due_at, reminder_at, reminded, overdue, closed_at)
     SELECT no || ':' || step || ':' || unit || ':' || g, no, step, unit, role,
            status, CASE WHEN status = 'claimed' THEN claimer END, CASE WHEN status = 'claimed' THEN created + interval '1 hour' END,
            ($5::text[])[1 + ci % cardinality($5::text[])],
            CASE WHEN step LIKE 'coordinate-%' THEN substr(step, 12) WHEN x.re < 0.03 THEN 'community' ELSE 'none' END,
            created, due, due - interval '1 day', coalesce(due < now() + interval '1 day', false), overdue,
            CASE WHEN status = 'closed' THEN created + interval '2 days' END
       FROM (SELECT g, random() AS rs, random() AS ru, random() AS rst, random() AS rd, random() AS ro, random() AS re,
                    1 + floor(random() * $1)::int AS ci
               FROM generate_series(1, $2::int) g) x,
            LATERAL (SELECT to_char(($7::timestamptz - interval '60 days' + (ci::float / $1) * interval '60 days')
                                      AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(ci::text, 7, '0') AS no,
                            least($7::timestamptz, $7::timestamptz - interval '60 days' + (ci::float / $1) * interval '60 days'
                                         + interval '1 hour' * (rd * 72)) AS created) c,
            LATERAL (SELECT CASE WHEN rs < 0.18 THEN 'sign' WHEN rs < 0.35 THEN 'contact' WHEN rs < 0.55 THEN 'handle'
                                 WHEN rs < 0.56 THEN 'resume' WHEN rs < 0.58 THEN 'extension-decision'
                                 WHEN rs < 0.74 THEN 'review' WHEN rs < 0.90 THEN 'callback'
                                 WHEN rs < 0.92 THEN 'redispatch' WHEN rs < 0.96 THEN 'coordinate-community'
                                 WHEN rs < 0.985 THEN 'coordinate-street' ELSE 'coordinate-district' END AS step) s,
            LATERAL (SELECT CASE WHEN step IN ('review','callback','redispatch','extension-decision') THEN 'operator'
                                 WHEN step LIKE 'coordinate-%' THEN 'coordinator' ELSE 'handler' END AS role) rl,
            LATERAL (SELECT CASE role WHEN 'operator' THEN $6::text
                                 WHEN 'coordinator' THEN ($4::text[])[1 + floor(cardinality($4::text[]) * power(ru, 3.3))::int]
                                 ELSE ($3::text[])[1 + floor(cardinality($3::text[]) * power(ru, 3.3))::int] END AS unit,
                            CASE WHEN rst < 0.70 THEN 'closed' WHEN rst < 0.95 THEN 'open' ELSE 'claimed' END AS status,
                            ro < 0.10 AS overdue,
                            md5((ci % 50)::text)::uuid::text AS claimer) u,
            LATERAL (SELECT CASE WHEN step IN ('review','resume','redispatch','extension-decision') THEN NULL
                                 WHEN overdue THEN now() - interval '30 days' * rd
                                 WHEN status = 'closed' THEN now() + interval '30 days' * (2 * rd - 1)
                                 ELSE now() + interval '30 days' * rd END AS due) d`,
    [CASES, TASKS, handlerUnits, committees, categories, centre, anchor],
  );
}

interface Bench {
  name: string;
  /** The statement of run `i` (parameters vary between runs), after any look-up the service makes first. */
  sql(i: number): Sql | Promise<Sql>;
}

async function report(db: Client): Promise<void> {
  const units = (
    await db.query<{ unit_id: string; n: number }>(
      `SELECT unit_id, count(*)::int AS n FROM tasks WHERE status <> 'closed' GROUP BY unit_id ORDER BY n DESC`,
    )
  ).rows;
  const [top, handler] = [units[0], units.find((unit) => !unit.unit_id.startsWith('centre'))!];
  out(`units with open or claimed tasks: ${units.length}; largest inboxes:`);
  for (const unit of units.slice(0, 5)) out(`  ${unit.unit_id.padEnd(28)} ${unit.n.toLocaleString('en')}`);
  const dist = await db.query<{ status: string; n: number; overdue: number }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE overdue)::int AS overdue FROM tasks GROUP BY 1 ORDER BY 1`,
  );
  out(`status: ${dist.rows.map((row) => `${row.status} ${row.n} (overdue ${row.overdue})`).join(', ')}`);

  const steps = ['sign', 'contact', 'handle', 'resume', 'review', 'callback', 'redispatch', 'coordinate-street'];
  const base = (unitId: string): InboxFilter => ({ unitId, sort: 'due_at', order: 'asc', limit: 20 });
  const prefixes = (
    await db.query<{ case_no: string }>(
      `SELECT case_no FROM tasks WHERE unit_id = $1 AND status <> 'closed' ORDER BY random() LIMIT 100`,
      [top.unit_id],
    )
  ).rows // From a year (4 digits) to a whole case number (15), and numbers that match nothing.
    .map((row, i) => row.case_no.slice(0, [4, 6, 8, 10, 12, 14, 15][i % 7]))
    .concat(['20991231', '209912310000001']);
  const cursors = await walk(db, base(top.unit_id), 60);
  const addresses = ['柳荫路99', '湖滨路1', '文昌街', '书院巷5', '不存在路'];
  // The look-ups the service makes before a text search's page.
  const lookUp = async <T>(sql: Sql): Promise<T[]> => (await db.query(sql.text, sql.values)).rows as T[];
  const benches: Bench[] = [];
  for (const unit of [top, handler]) {
    const unitId = unit.unit_id;
    benches.push(
      { name: `${unitId}: first page, open + claimed by due date`, sql: () => inboxPageSql(base(unitId)) },
      { name: `${unitId}: first page, open only`, sql: () => inboxPageSql({ ...base(unitId), status: 'open' }) },
      {
        name: `${unitId}: filtered by step (${steps.length} steps in turn)`,
        sql: (i) => inboxPageSql({ ...base(unitId), step: steps[i % steps.length] }),
      },
      { name: `${unitId}: overdue only`, sql: () => inboxPageSql({ ...base(unitId), overdue: true }) },
      { name: `${unitId}: counts (badges)`, sql: () => inboxCountsSql(unitId) },
    );
  }
  benches.push(
    {
      name: `${top.unit_id}: q = case number prefix (4-15 digits)`,
      sql: (i) => inboxPageSqlFor({ ...base(top.unit_id), q: prefixes[i % prefixes.length] }, lookUp),
    },
    {
      name: `${top.unit_id}: later page by cursor (pages 2-61)`,
      sql: (i) => inboxPageSql({ ...base(top.unit_id), after: cursors[i % cursors.length] }),
    },
    {
      name: `${top.unit_id}: newest first (created_at desc)`,
      sql: () => inboxPageSql({ ...base(top.unit_id), sort: 'created_at', order: 'desc' }),
    },
    {
      name: `${top.unit_id}: due before now + 3 days`,
      sql: () => inboxPageSql({ ...base(top.unit_id), dueBefore: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    },
    {
      name: `${top.unit_id}: closed tasks by due date`,
      sql: () => inboxPageSql({ ...base(top.unit_id), status: 'closed' }),
    },
    {
      name: `${top.unit_id}: q = address substring (rare, common, absent)`,
      sql: (i) => inboxPageSqlFor({ ...base(top.unit_id), q: addresses[i % addresses.length] }, lookUp),
    },
  );

  out();
  out(`${'query'.padEnd(64)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  rows`);
  const results: { bench: Bench; p99: number; slowestRun: number }[] = [];
  for (const bench of benches) {
    for (let i = 0; i < 10; i++) {
      const { text, values } = await bench.sql(i); // warm-up
      await db.query(text, values);
    }
    const times: number[] = [];
    let rows = 0;
    let slowestRun = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      const { text, values } = await bench.sql(i);
      const result = await db.query(text, values);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (times[i] > times[slowestRun]) slowestRun = i;
      rows += result.rowCount ?? 0;
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
    results.push({ bench, p99: pct(99), slowestRun });
    out(
      `${bench.name.padEnd(64)} ${pct(50).toFixed(2).padStart(8)} ${pct(99).toFixed(2).padStart(8)} ` +
        `${times[times.length - 1].toFixed(2).padStart(8)}  ${(rows / RUNS).toFixed(1)}`,
    );
  }
  const slowest = results.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  out();
  const { text, values } = await slowest.bench.sql(slowest.slowestRun);
  out(
    `EXPLAIN (ANALYZE, BUFFERS) of the slowest by p99, with the parameters of its slowest run: ${slowest.bench.name}`,
  );
  out(`  parameters: ${JSON.stringify(values)}`);
  const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  for (const row of plan.rows) out(`  ${row['QUERY PLAN']}`);
}

/** Cursors of the pages after the first `pages` ones, walked like a client. */
async function walk(db: Client, filter: InboxFilter, pages: number): Promise<InboxFilter['after'][]> {
  const positions: InboxFilter['after'][] = [];
  let after: InboxFilter['after'];
  for (let page = 0; page < pages; page++) {
    const { text, values } = inboxPageSql({ ...filter, after });
    const rows = (await db.query<InboxRow>(text, values)).rows.slice(0, filter.limit);
    const last = rows[rows.length - 1];
    if (!last) break;
    after = { key: last.sort_key, id: last.id };
    positions.push(after);
  }
  return positions;
}

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const result = await run();
  out(`${what} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

/** A fixed shuffle (the same skew on every run): which unit is the busiest is arbitrary, not alphabetical. */
function shuffled(ids: string[]): string[] {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const copy = [...ids];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const redact = (url: string) => url.replace(/\/\/([^:/]+):[^@]*@/, '//$1:***@');

main().catch((error: unknown) => {
  process.stderr.write(`bench-inbox failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  // Not exitCode: embedded-postgres's exit hook would end the process with 0.
  process.exit(1);
});
