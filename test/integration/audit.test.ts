import { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { appendAudit, SYSTEM_ACTOR } from '../../libs/persistence/src/audit';
import { runCheckConsistency } from '../../libs/persistence/src/cli/check-consistency';
import { runVerifyAudit } from '../../libs/persistence/src/cli/verify-audit';
import { bearer, handlerOf } from '../support/auth';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { noiseComplaintBody } from '../support/case-fixtures';

interface TimelineRowBody {
  time: string;
  actor: string | null;
  role: string | null;
  unit: string | null;
  action: string;
  change: string | null;
  reason: string | null;
  temporalEventId: number | null;
  temporalEventType: string | null;
  workflowId: string | null;
  source: string;
  auditId?: string;
  updateId?: string;
}

/**
 * Auditors prove what happened: a case whistled and escalated through the API, its timeline exported as JSON and
 * CSV (audit entries tied to their Temporal events), the audit log verified, a row tampered with in PostgreSQL (by
 * a superuser, the trigger switched off) and named by the verification, changes refused to the application, a
 * timeline from the audit log alone, the case search and lifecycle CSV, and the consistency check finding a drift
 * made in the projection. On a database of its own: the tampering must not break the shared log.
 */
describe('auditors', () => {
  let stack: TestStack;
  let app: INestApplication;
  let pg: PgClient;
  let tokens: Record<string, string>;
  /** A case whistled (one department, round completed) and escalated to the community committee. */
  let caseNo: string;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-audit',
      scratch: true,
      seed: true,
      users: {
        operator: 'operator',
        street: handlerOf('s-hubin'),
        urban: handlerOf('dept-urban-management'),
        auditor: 'auditor',
        admin: 'admin',
        designer: 'designer',
      },
    });
    ({ app, pg, tokens } = stack);
    caseNo = await whistledAndEscalatedCase();
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const act = (who: string, no: string, path: string, body: object = {}) =>
    http().post(`/api/v1/cases/${no}/${path}`).set(bearer(tokens[who])).send(body);
  const asAuditor = (path: string) => http().get(path).set(bearer(tokens.auditor));

  const submission = () => noiseComplaintBody();

  async function openCase(): Promise<string> {
    const created = await http().post('/api/v1/cases').send(submission()).expect(201);
    const no: string = created.body.caseNo;
    await eventually(async () => {
      const rows = await pg.query(`SELECT phase FROM cases WHERE case_no = $1`, [no]);
      expect(rows.rows[0]?.phase).toBe('awaiting-sign');
    });
    return no;
  }

  async function auditActions(no: string): Promise<string[]> {
    const rows = await pg.query(`SELECT action FROM audit_log WHERE case_no = $1 ORDER BY case_seq`, [no]);
    return rows.rows.map((row: { action: string }) => row.action);
  }

  async function whistledAndEscalatedCase(): Promise<string> {
    const no = await openCase();
    await act('street', no, 'sign').expect(200);
    await act('street', no, 'contact', { note: '已电话联系' }).expect(200);
    await act('street', no, 'whistle', {
      departmentIds: ['dept-urban-management'],
      grade: 'blue',
      reason: '商铺违规外摆需执法',
    }).expect(200);
    await eventually(() => act('urban', no, 'whistle-rounds/1/report', { note: '执法队已到场' }).expect(200));
    await act('urban', no, 'whistle-rounds/1/result', { summary: '已责令整改' }).expect(200);
    await act('street', no, 'whistle-rounds/1/ratings', { departmentId: 'dept-urban-management', score: 5 }).expect(
      200,
    );
    await eventually(async () => expect(await auditActions(no)).toContain('whistle-round-finished'));
    await act('street', no, 'escalate', { reason: '商铺拒不整改，需社区协调' }).expect(200);
    await eventually(async () =>
      expect(await auditActions(no)).toEqual(
        expect.arrayContaining(['whistle-round.reported', 'whistle-round.rated', 'escalated']),
      ),
    );
    return no;
  }

  it("should export the full timeline of a whistled and escalated case, each person's action tied to its Update", async () => {
    const response = await asAuditor(`/api/v1/audit/cases/${caseNo}/timeline`).expect(200);
    const body = response.body as {
      historySource: string;
      temporalUiUrl: string;
      workflows: Array<{ workflowId: string; historyFound: boolean }>;
      rows: TimelineRowBody[];
    };
    expect(body.historySource).toBe('temporal+audit-log');
    expect(body.temporalUiUrl).toBe(`http://localhost:8233/namespaces/default/workflows/case-${caseNo}`);
    expect(body.workflows).toEqual([
      expect.objectContaining({ workflowId: `case-${caseNo}`, historyFound: true }),
      expect.objectContaining({ workflowId: `case-${caseNo}-whistle-1`, historyFound: true }),
    ]);
    const row = (action: string) => {
      const found = body.rows.find((candidate) => candidate.action === action);
      if (!found) throw new Error(`no ${action} row in ${body.rows.map((candidate) => candidate.action).join(', ')}`);
      return found;
    };
    const streetUser = (await pg.query(`SELECT id FROM users WHERE username = $1`, [handlerOf('s-hubin')])).rows[0].id;
    const urbanUser = (await pg.query(`SELECT id FROM users WHERE username = $1`, [handlerOf('dept-urban-management')]))
      .rows[0].id;

    const updateRow = { temporalEventId: expect.any(Number), temporalEventType: 'WorkflowExecutionUpdateAccepted' };
    expect(row('signed')).toMatchObject({
      actor: streetUser,
      role: 'handler',
      unit: 's-hubin',
      change: 'phase: awaiting-sign → handling',
      source: 'audit-log',
      workflowId: `case-${caseNo}`,
      ...updateRow,
    });
    expect(row('contacted')).toMatchObject({ actor: streetUser, reason: '已电话联系', ...updateRow });
    expect(row('whistled')).toMatchObject({ actor: streetUser, reason: '商铺违规外摆需执法', ...updateRow });
    expect(row('escalated')).toMatchObject({
      actor: streetUser,
      role: 'handler',
      unit: 's-hubin',
      reason: '商铺拒不整改，需社区协调',
      ...updateRow,
    });
    expect(row('escalated').change).toContain('escalationLevel: none → community');
    expect(row('escalated').change).toContain('responsibleUnitId: s-hubin → cc-c-xiyuan');
    // The whistle round's rows, from its own workflow, each tied to the department's or the whistler's Update.
    expect(row('whistle-round.reported')).toMatchObject({
      actor: urbanUser,
      unit: 'dept-urban-management',
      reason: '执法队已到场',
      workflowId: `case-${caseNo}-whistle-1`,
      ...updateRow,
    });
    expect(row('whistle-round.rated')).toMatchObject({ actor: streetUser, ...updateRow });
    // The engine's rows name the activity that wrote them; Temporal's own events are there too.
    expect(row('dispatched')).toMatchObject({ actor: 'system', temporalEventType: 'ActivityTaskScheduled' });
    expect(row('workflow-started')).toMatchObject({ source: 'temporal', temporalEventId: 1 });
    expect(body.rows.some((candidate) => candidate.action === 'child-started')).toBe(true);

    // The event ids are the Update's acceptance in the workflow's history, with the Update id the event carries.
    const events = await pg.query(
      `SELECT type, update_id FROM case_events WHERE case_no = $1 AND stream = 'case' AND type = 'escalated'`,
      [caseNo],
    );
    expect(row('escalated').updateId).toBe(events.rows[0].update_id);
    const history = await app.get(Client).workflow.getHandle(`case-${caseNo}`).fetchHistory();
    const accepted = history.events?.find((event) => Number(event.eventId) === row('escalated').temporalEventId);
    expect(accepted?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId).toBe(
      events.rows[0].update_id,
    );
    expect(accepted?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).toBe('escalateCase');
    const times = body.rows.map((candidate) => Date.parse(candidate.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const csv = await asAuditor(`/api/v1/audit/cases/${caseNo}/timeline?format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['x-history-source']).toBe('temporal+audit-log');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'time,actor,role,unit,action,change,reason,temporal_event_id,temporal_event_type,workflow_id,source,audit_id,' +
        'event_ref,update_id,before_json,after_json',
    );
    expect(lines).toHaveLength(body.rows.length + 1);
    const escalatedLine = lines.find((line) => line.includes(',escalated,'));
    expect(escalatedLine).toContain(`,${streetUser},handler,s-hubin,escalated,`);
    expect(escalatedLine).toContain(
      `,商铺拒不整改，需社区协调,${row('escalated').temporalEventId},WorkflowExecutionUpdateAccepted,`,
    );
    expect(lines.some((line) => line.includes(',whistle-round.reported,'))).toBe(true);
  });

  it('should open the audit endpoints to auditors and admins only', async () => {
    await http().get(`/api/v1/audit/verify`).set(bearer(tokens.admin)).expect(200);
    await http().get(`/api/v1/audit/verify`).set(bearer(tokens.designer)).expect(403);
    await http().get(`/api/v1/audit/cases/${caseNo}/timeline`).set(bearer(tokens.street)).expect(403);
    await http().get(`/api/v1/audit/cases`).expect(401);
    await asAuditor(`/api/v1/audit/cases/20000101999999/timeline`).expect(404);
    const bad = await asAuditor(`/api/v1/audit/cases/not-a-case/timeline`).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'caseNo' })]);
  });

  it('should verify the log, name a row a superuser changed behind the trigger, and refuse changes to the app', async () => {
    const whole = await asAuditor(`/api/v1/audit/verify`).expect(200);
    expect(whole.body).toMatchObject({ ok: true, checked: expect.any(Number), head: { id: expect.any(String) } });
    expect(whole.body.checked).toBeGreaterThan(10);
    expect(whole.body).not.toHaveProperty('firstBroken');
    expect((await asAuditor(`/api/v1/audit/verify?caseNo=${caseNo}`).expect(200)).body).toMatchObject({ ok: true });

    // The application cannot change or remove an entry, even in a replica-mode session (the trigger fires ALWAYS).
    const dataSource = app.get(DataSource);
    const [target] = (await dataSource.query(
      `SELECT id::text AS id, reason FROM audit_log WHERE case_no = $1 AND action = 'escalated'`,
      [caseNo],
    )) as { id: string; reason: string }[];
    await expect(dataSource.query(`UPDATE audit_log SET reason = 'x' WHERE id = $1`, [target.id])).rejects.toThrow(
      /audit_log is append-only: UPDATE refused/,
    );
    await expect(dataSource.query(`DELETE FROM audit_log WHERE id = $1`, [target.id])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        await manager.query(`UPDATE audit_log SET reason = 'x' WHERE id = $1`, [target.id]);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE audit_chain_head SET last_id = 0`)).rejects.toThrow(/only forward/);

    // A database administrator switches the trigger off and rewrites the reason.
    const tamper = async (reason: string) => {
      await pg.query('BEGIN');
      await pg.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await pg.query(`UPDATE audit_log SET reason = $2 WHERE id = $1`, [target.id, reason]);
      await pg.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only`);
      await pg.query('COMMIT');
    };
    await tamper('已协调完毕');
    try {
      const broken = await asAuditor(`/api/v1/audit/verify`).expect(200);
      expect(broken.body).toMatchObject({
        ok: false,
        firstBroken: { id: target.id, chain: 'global', problem: 'hash' },
      });
      expect(broken.body.firstBroken.expected).not.toBe(broken.body.firstBroken.found);
      const ofCase = await asAuditor(`/api/v1/audit/verify?caseNo=${caseNo}`).expect(200);
      expect(ofCase.body).toMatchObject({
        ok: false,
        firstBroken: { id: target.id, chain: 'case', caseNo, problem: 'hash' },
      });
      // The CLI (npm run audit:verify) says the same and exits with 2.
      let printed = '';
      expect(await runVerifyAudit([], stack.databaseUrl, (text) => (printed += text))).toBe(2);
      expect(JSON.parse(printed)).toMatchObject({ ok: false, firstBroken: { id: target.id, chain: 'global' } });
    } finally {
      await tamper(target.reason);
    }
    expect((await asAuditor(`/api/v1/audit/verify`).expect(200)).body).toMatchObject({ ok: true });
    expect(await runVerifyAudit(['--case', caseNo], stack.databaseUrl, () => undefined)).toBe(0);
  });

  it('should build the timeline from the audit log alone when Temporal has no history of the case', async () => {
    const ghost = `20200101${String(Date.now()).slice(-6)}`;
    await app.get(DataSource).transaction((manager) =>
      appendAudit(manager, [
        {
          at: '2020-01-01T02:00:00.000Z',
          actor: SYSTEM_ACTOR,
          action: 'dispatched',
          subject: { kind: 'case', id: ghost },
          caseNo: ghost,
          after: { phase: 'awaiting-sign', leadUnitId: 's-hubin' },
          source: 'case-event',
          eventRef: `${ghost}/case/1`,
        },
        {
          at: '2020-01-01T03:00:00.000Z',
          actor: { userId: 'u-legacy', role: 'handler', unitId: 's-hubin' },
          action: 'signed',
          subject: { kind: 'case', id: ghost },
          caseNo: ghost,
          after: { phase: 'handling' },
          source: 'case-event',
          eventRef: `${ghost}/case/2`,
          updateId: 'update-long-gone',
        },
      ]),
    );
    const response = await asAuditor(`/api/v1/audit/cases/${ghost}/timeline`).expect(200);
    expect(response.body).toMatchObject({
      historySource: 'audit-log-only',
      note: expect.stringMatching(/no longer has the history of case-\d+.*audit log alone/),
      workflows: [{ workflowId: `case-${ghost}`, historyFound: false }],
    });
    expect(response.body.rows).toEqual([
      expect.objectContaining({ action: 'dispatched', actor: 'system', source: 'audit-log', temporalEventId: null }),
      expect.objectContaining({
        action: 'signed',
        actor: 'u-legacy',
        change: 'phase: awaiting-sign → handling',
        temporalEventId: null,
      }),
    ]);
    const csv = await asAuditor(`/api/v1/audit/cases/${ghost}/timeline?format=csv`).expect(200);
    expect(csv.headers['x-history-source']).toBe('audit-log-only');
    expect((await asAuditor(`/api/v1/audit/verify?caseNo=${ghost}`).expect(200)).body).toMatchObject({
      ok: true,
      checked: 2,
    });
  });

  it('should search cases by every filter without personal data, and export their lifecycle as CSV', async () => {
    const before = new Date();
    const plain = await openCase();
    const after = new Date();
    const [{ rules_version: rulesVersion }] = (
      await pg.query(`SELECT rules_version FROM cases WHERE case_no = $1`, [plain])
    ).rows;
    const found = async (query: string) => {
      const response = await asAuditor(`/api/v1/audit/cases?${query}`).expect(200);
      return (response.body.items as Array<{ caseNo: string }>).map((item) => item.caseNo);
    };
    const both = [caseNo, plain];
    expect(await found('escalationLevel=community')).toEqual([caseNo]);
    expect(await found('unitId=cc-c-xiyuan')).toEqual([caseNo]);
    expect(await found('unitId=s-hubin')).toEqual(both);
    expect(await found('unitId=dept-housing')).toEqual([]);
    expect(await found('status=open&category=noise-nuisance')).toEqual(both);
    expect(
      await found(`from=${encodeURIComponent(before.toISOString())}&to=${encodeURIComponent(after.toISOString())}`),
    ).toEqual([plain]);
    expect(await found('overdue=true')).toEqual([]);
    expect(await found('overdue=false&supervision=none')).toEqual(both);
    expect(await found(`rulesVersion=${encodeURIComponent(rulesVersion)}`)).toEqual(both);
    expect(await found('category=water-supply')).toEqual([]);

    const first = await asAuditor(`/api/v1/audit/cases?limit=1`).expect(200);
    expect(first.body.items.map((item: { caseNo: string }) => item.caseNo)).toEqual([caseNo]);
    const second = await asAuditor(`/api/v1/audit/cases?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items.map((item: { caseNo: string }) => item.caseNo)).toEqual([plain]);
    expect(second.body).not.toHaveProperty('nextCursor');

    const all = await asAuditor(`/api/v1/audit/cases`).expect(200);
    expect(all.body.items[0]).toMatchObject({
      caseNo,
      leadUnitId: 's-hubin',
      responsibleUnitId: 'cc-c-xiyuan',
      escalationLevel: 'community',
      signedAt: expect.any(String),
      contactedAt: expect.any(String),
    });
    for (const personal of ['李女士', '13900001111', '湖滨路', '噪声扰民']) {
      expect(JSON.stringify(all.body)).not.toContain(personal);
    }
    // No personal field by name (a whistle's trigger `citizen-demand` is a value, not the citizen's data).
    for (const item of all.body.items as Record<string, unknown>[]) {
      expect(Object.keys(item).filter((key) => /citizen|address|description/i.test(key))).toEqual([]);
    }
    const bad = await asAuditor(`/api/v1/audit/cases?escalationLevel=sky&overdue=maybe&limit=0`).expect(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'escalationLevel',
      'limit',
      'overdue',
    ]);

    const csv = await asAuditor(`/api/v1/audit/cases.csv?category=noise-nuisance`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    const columns = header.split(',');
    expect(columns).toEqual(
      expect.arrayContaining(['created', 'dispatched', 'signed', 'contacted', 'replied', 'called_back', 'closed']),
    );
    expect(columns).toEqual(
      expect.arrayContaining(['overdue_now', 'handle_overdue', 'unit', 'category', 'street', 'district']),
    );
    expect(lines).toHaveLength(2);
    const record = Object.fromEntries(lines[0].split(',').map((cell, i) => [columns[i], cell]));
    expect(record).toMatchObject({
      case_no: caseNo,
      category: 'noise-nuisance',
      unit: 's-hubin',
      responsible_unit: 'cc-c-xiyuan',
      street: 's-hubin',
      district: 'd-donghu',
      overdue_now: 'false',
      handle_overdue: 'false',
      replied: '',
      escalation_level: 'community',
    });
    expect(record.signed).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(record.dispatched).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('should report the drift between the projection and Temporal visibility', async () => {
    const clean = await asAuditor(`/api/v1/audit/consistency`).expect(200);
    expect(clean.body).toMatchObject({ ok: true, drift: [] });
    expect(clean.body.checkedCases).toBeGreaterThanOrEqual(2);
    expect(clean.body.checkedWorkflows).toBeGreaterThanOrEqual(2);

    await pg.query(`UPDATE cases SET escalation_level = 'district', overdue = true WHERE case_no = $1`, [caseNo]);
    const orphan = `20200102${String(Date.now()).slice(-6)}`;
    await pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
                          rules_version, received_at)
       VALUES ($1, $2, 'complaint', 'noise-nuisance', 'normal', 'hotline', 'open', 'handling', '-', 'beijing@1', now())`,
      [orphan, `case-${orphan}`],
    );
    const drifted = await asAuditor(`/api/v1/audit/consistency`).expect(200);
    expect(drifted.body.ok).toBe(false);
    expect(drifted.body.drift).toEqual(
      expect.arrayContaining([
        {
          caseNo,
          workflowId: `case-${caseNo}`,
          kind: 'fields',
          fields: [
            { field: 'escalationLevel', attribute: 'EscalationLevel', projection: 'district', visibility: 'community' },
            { field: 'overdue', attribute: 'Overdue', projection: true, visibility: false },
          ],
        },
        { caseNo: orphan, workflowId: `case-${orphan}`, kind: 'missing-workflow' },
      ]),
    );
    expect(drifted.body.drift).toHaveLength(2);

    // The CLI (npm run audit:consistency) reports the same drift and exits with 2.
    let printed = '';
    const code = await runCheckConsistency(
      [],
      {
        databaseUrl: stack.databaseUrl,
        temporal: {
          address: requiredTestEnv(TEST_ENV.temporalAddress),
          namespace: 'default',
          taskQueue: stack.taskQueue,
        },
      },
      (text) => (printed += text),
    );
    expect(code).toBe(2);
    expect(JSON.parse(printed).drift).toEqual(drifted.body.drift);
  });
});
