import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { dataSourceOptions } from '../../libs/persistence/src';
import {
  CityImportError,
  CityImportReport,
  describeImport,
  importCity,
  readCityFolder,
} from '../../libs/persistence/src/city-import/city-import';
import { formatProblem } from '../../libs/persistence/src/city-import/city-tables';
import { loadCurrentCatalogue, loadOrgTree, loadOrgTreeVersion } from '../../libs/persistence/src/org/org.store';
import { bearer, login, tokenFor } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const QINGSHAN = join(ROOT, 'test/fixtures/cities/qingshan-county');
const QINGSHAN_BAD = join(ROOT, 'test/fixtures/cities/qingshan-county-bad');
const ACTOR = { userId: 'it-city-import', role: 'admin', unitId: null };

/**
 * A second city end to end: 青山县 (a county with townships directly under it) imported into an empty database —
 * migrated, never seeded with the demo city — by the import function, the CLI and the admin endpoint; re-imports,
 * broken files, dry runs and removing a unit that an open case depends on. Runs on a database of its own.
 */
describe('city import', () => {
  let stack: TestStack;
  let dataSource: DataSource;
  let files: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-city-import', scratch: true, worker: false });
    dataSource = await new DataSource(dataSourceOptions(stack.databaseUrl)).initialize();
    files = await readCityFolder(QINGSHAN);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await stack?.stop();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await stack.pg.query<{ n: number }>(`SELECT (${sql})::int AS n`, params)).rows[0].n;

  /** Row counts of every table an import writes, to show that a refused or dry import wrote nothing. */
  const footprint = async () => ({
    units: await count(`SELECT count(*) FROM org_units`),
    versions: await count(`SELECT count(*) FROM org_versions`),
    history: await count(`SELECT count(*) FROM org_unit_history`),
    catalogues: await count(`SELECT count(*) FROM routing_catalogues`),
    categories: await count(`SELECT count(*) FROM routing_categories`),
    users: await count(`SELECT count(*) FROM users`),
    calendars: await count(`SELECT count(*) FROM calendars`),
    days: await count(`SELECT count(*) FROM calendar_days`),
    audit: await count(`SELECT count(*) FROM audit_log`),
  });

  /** The fixture's files with `edit` applied to one of them. */
  const editedFiles = (file: string, edit: (text: string) => string) => ({ ...files, [file]: edit(files[file]) });

  const importQingshan = (extra: Partial<Parameters<typeof importCity>[2]> = {}, from = files) =>
    importCity(dataSource, from, { actor: ACTOR, reason: '青山县上线', ...extra });

  it('should import the county into an empty database: units, catalogue, users, local days, one audit entry', async () => {
    expect(await count(`SELECT count(*) FROM org_units`)).toBe(0);
    const calendarsBefore = await count(`SELECT count(*) FROM calendars`);

    const report = await importQingshan();

    expect(report).toMatchObject({ changed: true, dryRun: false, rootId: 'county-qingshan', orgVersion: 1 });
    expect(report.units.removed).toEqual([]);
    expect(report.catalogue).toEqual({ id: 'qingshan', version: '2026.1', status: 'added', categories: 9 });
    expect(report.users.added).toHaveLength(7);

    const tree = await loadOrgTree(dataSource.manager);
    expect(tree.version).toBe(1);
    expect(tree.rootId).toBe('county-qingshan');
    expect(tree.units).toHaveLength(report.units.added.length);
    expect(tree.byId.get('t-baishi')).toMatchObject({ kind: 'township', parentId: 'county-qingshan' });
    expect(tree.byId.get('g-qingxi-1')?.boundary).toHaveLength(4);
    expect(tree.byId.get('o-qs-executive-meeting')).toMatchObject({ kind: 'office', function: 'executive-meeting' });
    expect((await loadOrgTreeVersion(dataSource.manager, 1)).units).toEqual(tree.units);
    expect(await count(`SELECT count(*) FROM org_versions WHERE created_by = 'it-city-import'`)).toBe(1);

    const catalogue = await loadCurrentCatalogue(dataSource.manager, tree);
    expect(catalogue?.id).toBe('qingshan');
    expect(catalogue?.categories.find((category) => category.id === 'noise-nuisance')?.coUnits).toEqual([
      'dept-qs-ecology',
    ]);

    const users = await stack.pg.query(`SELECT username, role, unit_id FROM users ORDER BY username`);
    expect(users.rows).toContainEqual({ username: 'qs.operator', role: 'operator', unit_id: 'centre-qingshan-12345' });
    expect(users.rows).toContainEqual({
      username: 'qs.coordinator.qingxi',
      role: 'coordinator',
      unit_id: 'cc-t-qingxi',
    });
    // The password was hashed as the API hashes it: the account logs in.
    await expect(login(stack.app, 'qs.handler.qingxi', 'qingshan-2026')).resolves.toEqual(expect.any(String));

    expect(await count(`SELECT count(*) FROM calendars`)).toBe(calendarsBefore + 1);
    const days = await stack.pg.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, working FROM calendar_days WHERE removed_in IS NULL ORDER BY day`,
    );
    expect(days.rows).toEqual([
      { day: '2026-06-12', working: false },
      { day: '2026-06-14', working: true },
    ]);

    const audit = await stack.pg.query(
      `SELECT actor ->> 'userId' AS actor_user_id, subject_id, after FROM audit_log WHERE action = $1`,
      ['org.city-imported'],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_user_id: 'it-city-import', subject_id: 'county-qingshan' });
    expect(audit.rows[0].after).toMatchObject({ orgVersion: 1, catalogue: { id: 'qingshan' } });
  });

  it('should leave no id of the demo city anywhere in the database', async () => {
    const demoIds = DEMO_CITY.units.map((unit) => unit.id);
    expect(demoIds).toEqual(expect.arrayContaining(['city-demo', 'd-donghu', 'centre-12345', 'dept-housing']));
    const found = await stack.pg.query(
      `SELECT 'org_units' AS t, id FROM org_units WHERE id = ANY($1)
       UNION ALL SELECT 'org_unit_history', id FROM org_unit_history WHERE id = ANY($1)
       UNION ALL SELECT 'users', unit_id FROM users WHERE unit_id = ANY($1)
       UNION ALL SELECT 'routing_categories', handler FROM routing_categories WHERE handler = ANY($1) OR co_units && $1
       UNION ALL SELECT 'routing_catalogues', id FROM routing_catalogues WHERE id = 'demo'`,
      [demoIds],
    );
    expect(found.rows).toEqual([]);
  });

  it('should change nothing when the same files are imported again', async () => {
    const before = await footprint();

    const report = await importQingshan();

    expect(report.changed).toBe(false);
    expect(describeImport(report)).toEqual(['no changes: the files match what is stored (org tree version 1)']);
    expect(await footprint()).toEqual(before);
  });

  it('should refuse the broken fixture naming its file, line and field, and import nothing of it', async () => {
    const before = await footprint();

    const refusal = await importQingshan({}, await readCityFolder(QINGSHAN_BAD)).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(CityImportError);
    expect((refusal as CityImportError).problems.map(formatProblem)).toEqual([
      "units.csv:19: parent: unknown unit 'v-nowhere'",
    ]);
    expect(await footprint()).toEqual(before);
  });

  it('should report what a dry run would change and change nothing', async () => {
    const before = await footprint();
    const changed = editedFiles(
      'units.csv',
      (text) =>
        text.replace('v-hetou,village,河头村,', 'v-hetou,village,河头新村,') +
        'v-xinzhuang,village,新庄村,t-qingxi,,,\n',
    );

    const report = await importQingshan({ dryRun: true }, changed);

    expect(report).toMatchObject({
      dryRun: true,
      changed: true,
      orgVersion: 2,
      units: { added: ['v-xinzhuang'], changed: ['v-hetou'], removed: [] },
      catalogue: { status: 'unchanged' },
      users: { added: [], changed: [] },
    });
    expect(describeImport(report)).toEqual(
      expect.arrayContaining(['units added (1): v-xinzhuang', 'units changed (1): v-hetou']),
    );
    expect(await footprint()).toEqual(before);
  });

  it('should refuse to remove a unit an open case depends on, naming the case; once it is closed, versions follow the changes', async () => {
    const caseNo = `20260601${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await stack.pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
                          rules_version, received_at, lead_unit_id, district_id, street_id, community_id, grid_id)
       VALUES ($1, $2, 'complaint', 'noise-nuisance', 'normal', 'hotline', 'open', 'handling', '松岭村夜间噪声',
               'qingshan@1', now(), 't-baishi', 'county-qingshan', 't-baishi', 'v-songling', 'g-songling-1')`,
      [caseNo, `case-${caseNo}`],
    );
    const withoutSongling = {
      ...files,
      'units.csv': files['units.csv']
        .split('\n')
        .filter((line) => !/^(v-songling|g-songling-1),/.test(line))
        .join('\n'),
      'committees.csv': files['committees.csv']
        .split('\n')
        .filter((line) => !line.startsWith('cc-v-songling,'))
        .join('\n'),
      'offices.csv': files['offices.csv']
        .split('\n')
        .filter((line) => !line.startsWith('o-qs-executive-meeting,'))
        .join('\n'),
    };
    // The executive meeting holds an open task of the case (the case's own place does not name it).
    await stack.pg.query(
      `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, category, created_at)
       VALUES ($1, $2, 'escalation', 'o-qs-executive-meeting', 'coordinator', 'noise-nuisance', now())`,
      [`${caseNo}/escalation/o-qs-executive-meeting`, caseNo],
    );
    const before = await footprint();

    const refusal = await importQingshan({}, withoutSongling).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(CityImportError);
    const problems = (refusal as CityImportError).problems.map(formatProblem);
    expect(problems).toEqual([
      `units.csv:1: id: unit 'g-songling-1' is no longer listed but open cases depend on it: ${caseNo}`,
      `offices.csv:1: id: unit 'o-qs-executive-meeting' is no longer listed but open cases depend on it: ${caseNo}`,
      `units.csv:1: id: unit 'v-songling' is no longer listed but open cases depend on it: ${caseNo}`,
    ]);
    expect(await footprint()).toEqual(before);

    // Closed, the case holds nothing back: the units go in a new version, and version 1 still has them.
    await stack.pg.query(`UPDATE cases SET status = 'closed' WHERE case_no = $1`, [caseNo]);
    const report = await importQingshan({ reason: '松岭村并入白石村' }, withoutSongling);
    expect(report).toMatchObject({
      orgVersion: 2,
      units: { removed: ['cc-v-songling', 'g-songling-1', 'o-qs-executive-meeting', 'v-songling'] },
    });
    const current = await loadOrgTree(dataSource.manager);
    expect(current.version).toBe(2);
    expect(current.byId.has('v-songling')).toBe(false);
    expect((await loadOrgTreeVersion(dataSource.manager, 1)).byId.get('v-songling')?.name).toBe('松岭村');

    // A renamed unit: version 3 has the new name, version 2 keeps the old one.
    const renamed = {
      ...withoutSongling,
      'units.csv': withoutSongling['units.csv'].replace('v-baishi,village,白石村,', 'v-baishi,village,白石新村,'),
    };
    expect(await importQingshan({ reason: '白石村更名' }, renamed)).toMatchObject({
      orgVersion: 3,
      units: { added: [], changed: ['v-baishi'], removed: [] },
    });
    expect((await loadOrgTree(dataSource.manager)).byId.get('v-baishi')?.name).toBe('白石新村');
    expect((await loadOrgTreeVersion(dataSource.manager, 2)).byId.get('v-baishi')?.name).toBe('白石村');
    await expect(loadOrgTreeVersion(dataSource.manager, 4)).rejects.toMatchObject({ code: 'unknown-version' });
  });

  it('should answer the admin endpoint with 400 and every problem for the broken files, and 403 to a non-admin', async () => {
    const admin = await tokenFor(stack.app, 'qs.admin');
    const operator = await tokenFor(stack.app, 'qs.operator');
    const bad = await readCityFolder(QINGSHAN_BAD);
    const before = await footprint();

    const refused = await stack.http().post('/api/v1/admin/city-import').set(bearer(admin)).send({ files: bad });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'ValidationFailed', message: expect.stringContaining('1 problem') });
    expect(refused.body.details).toEqual([
      {
        field: 'units.csv:19:parent',
        rule: 'unknown-unit',
        message: "unknown unit 'v-nowhere'",
        file: 'units.csv',
        line: 19,
        column: 'parent',
      },
    ]);

    const forbidden = await stack.http().post('/api/v1/admin/city-import').set(bearer(operator)).send({ files });
    expect(forbidden.status).toBe(403);
    expect(await footprint()).toEqual(before);

    const dry = await stack
      .http()
      .post('/api/v1/admin/city-import')
      .set(bearer(admin))
      .send({ files: await readCityFolder(QINGSHAN), dryRun: true });
    expect(dry.status).toBe(200);
    // The county as first imported: the three Songling units come back (version 2 removed them).
    expect((dry.body as CityImportReport).units.added).toEqual(
      expect.arrayContaining(['v-songling', 'g-songling-1', 'cc-v-songling', 'o-qs-executive-meeting']),
    );
    expect(await footprint()).toEqual(before);
  });

  it('should print the broken file, line and field from the CLI and exit non-zero', async () => {
    const out = join(ROOT, '.cache', `city-import-cli-${randomUUID()}`);
    try {
      // The CLI alone, compiled as the build compiles it (npm run city:import builds the whole app first).
      await run(
        join(ROOT, 'node_modules/.bin/tsc'),
        [
          'libs/persistence/src/cli/city-import.ts',
          ...['--outDir', out, '--rootDir', '.', '--module', 'node20', '--moduleResolution', 'node16'],
          ...['--target', 'ES2022', '--esModuleInterop', '--experimentalDecorators', '--emitDecoratorMetadata'],
          ...['--skipLibCheck', '--types', 'node'],
        ],
        { cwd: ROOT },
      );
      const cli = run('node', [join(out, 'libs/persistence/src/cli/city-import.js'), QINGSHAN_BAD, '--dry-run'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: stack.databaseUrl, LOG_LEVEL: 'silent' },
      });
      const failure = (await cli.catch((error: unknown) => error)) as { code?: number; stderr?: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toContain("units.csv:19: parent: unknown unit 'v-nowhere'");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
