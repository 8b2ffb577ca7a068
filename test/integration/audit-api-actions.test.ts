import { INestApplication } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { DEFAULT_CALENDAR_ID } from '../../libs/persistence/src/calendar/calendar-source';
import { ApiTokenService } from '../../apps/api/src/auth/api-token.service';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import { canonicalJson, sha256Hex } from '../../libs/persistence/src/audit';
import { bearer, DEMO_PASSWORD, handlerOf, login } from '../support/auth';
import { insertTestUser, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An audit row as the tests read it back. */
interface AuditRowBody {
  id: string;
  actor: { userId: string; role: string; unitId: string | null };
  action: string;
  subject_kind: string;
  subject_id: string;
  case_no: string | null;
  before: Json | null;
  after: Json | null;
  reason: string | null;
  source: string;
}

/**
 * What people change through the API outside a case workflow is on the audit log, each change with exactly one entry
 * written in its own transaction (actor from the token, reason, before → after), and a refused request writes none:
 * the calendar, process definitions and migrations, logins, logouts and API tokens, the task inbox's claims, and
 * on-demand score runs. No entry holds a password or a token. On a database of its own, since every check reads the
 * whole log, which is verified at the end.
 */
describe('audit of actions through the API', () => {
  const UNIT = 'it-audit-api';
  const USERS = {
    designer: 'designer',
    admin: 'admin',
    auditor: 'auditor',
    handler: handlerOf('s-hubin'),
    ann: `ann.${UNIT}`,
    bob: `bob.${UNIT}`,
  };
  let stack: TestStack;
  let app: INestApplication;
  let pg: PgClient;
  let tokens: Record<string, string>;
  /** The audit actor of each named user (`{ userId, role, unitId }`). */
  const actors: Record<string, AuditRowBody['actor']> = {};

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-audit-api',
      scratch: true,
      seed: true,
      prepare: async (db) => {
        for (const [name, role] of [
          ['ann', 'handler'],
          ['bob', 'handler'],
        ]) {
          await insertTestUser(db, { username: `${name}.${UNIT}`, role, unitId: UNIT });
        }
      },
      // Issued without HTTP login: not audited, so each test's rows are its own.
      users: USERS,
    });
    ({ app, pg, tokens } = stack);
    for (const [name, username] of Object.entries(USERS)) {
      const row = await pg.query(`SELECT id::text, role, unit_id FROM users WHERE username = $1`, [username]);
      actors[name] = { userId: row.rows[0].id, role: row.rows[0].role, unitId: row.rows[0].unit_id };
    }
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const as = (who: string) => bearer(tokens[who]);

  /** The audit rows `run` wrote (the log's rows after the newest one before it). */
  async function written(run: () => Promise<unknown>): Promise<AuditRowBody[]> {
    const before = await pg.query(`SELECT COALESCE(max(id), 0)::text AS id FROM audit_log`);
    await run();
    const rows = await pg.query(
      `SELECT id::text, actor, action, subject_kind, subject_id, case_no, before, after, reason, source
         FROM audit_log WHERE id > $1 ORDER BY id`,
      [before.rows[0].id],
    );
    return rows.rows as AuditRowBody[];
  }

  /** Asserts that `run` (a refused request) wrote no audit row. */
  async function writesNothing(run: () => Promise<unknown>): Promise<void> {
    expect(await written(run)).toEqual([]);
  }

  /** The row an action should write: a source `api` entry of no case, without reason or before unless given. */
  const entry = (expected: Partial<Record<keyof AuditRowBody, unknown>>) => ({
    case_no: null,
    reason: null,
    before: null,
    source: 'api',
    ...expected,
  });

  describe('the calendar', () => {
    const days = '/api/v1/calendars/current/days';

    it('should audit adding and removing a local day with the versions and the day before → after', async () => {
      const version = async () => (await http().get('/api/v1/calendars/current').set(as('designer'))).body.version;
      const start = (await version()) as number;
      const day = { date: '2026-12-09', working: false, name: '本地休息日', reason: '区政府通知：放假一天' };

      const added = await written(() => http().post(days).set(as('designer')).send(day).expect(201));
      expect(added).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.designer,
          action: 'calendar.day-added',
          subject_kind: 'calendar',
          subject_id: DEFAULT_CALENDAR_ID,
          before: { version: start, day: null },
          after: { version: start + 1, day: { date: '2026-12-09', working: false, name: '本地休息日' } },
          reason: '区政府通知：放假一天',
        }),
      ]);

      // Refused: the same date again (400), a handler (403), a day that is not a local day (404).
      await writesNothing(() => http().post(days).set(as('designer')).send(day).expect(400));
      await writesNothing(() =>
        http()
          .post(days)
          .set(as('handler'))
          .send({ ...day, date: '2026-12-10' })
          .expect(403),
      );
      await writesNothing(() => http().delete(`${days}/2026-12-11?reason=x`).set(as('designer')).expect(404));
      expect(await version()).toBe(start + 1);

      const removed = await written(() =>
        http()
          .delete(`${days}/2026-12-09?reason=${encodeURIComponent('通知撤回')}`)
          .set(as('admin'))
          .expect(200),
      );
      expect(removed).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.admin,
          action: 'calendar.day-removed',
          subject_kind: 'calendar',
          subject_id: DEFAULT_CALENDAR_ID,
          before: {
            version: start + 1,
            day: { date: '2026-12-09', working: false, name: '本地休息日', addedIn: start + 1 },
          },
          after: { version: start + 2, day: null },
          reason: '通知撤回',
        }),
      ]);
    });
  });

  describe('process definitions', () => {
    it('should audit a draft created, saved and archived, a version published and archived, refusals writing nothing', async () => {
      let draft: Json = {};
      const created = await written(async () => {
        draft = (
          await http()
            .post('/api/v1/rules/drafts')
            .set(as('designer'))
            .send({ fromVersion: 'beijing@1', name: '西山区试行' })
            .expect(201)
        ).body as Json;
      });
      const original = draft.document as Json;
      expect(created).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.designer,
          action: 'rules.draft-created',
          subject_kind: 'process-draft',
          subject_id: draft.id,
          after: { name: '西山区试行', basedOn: 'beijing@1', documentSha256: sha256Hex(canonicalJson(original)) },
        }),
      ]);

      // A saved change: the description, under a new name.
      const changed = { ...original, description: '西山区试行：街道协调时限缩短' };
      const saved = await written(() =>
        http()
          .put(`/api/v1/rules/drafts/${draft.id}`)
          .set(as('designer'))
          .send({ document: changed, name: '西山区试行 v2' })
          .expect(200),
      );
      expect(saved).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.designer,
          action: 'rules.draft-saved',
          subject_kind: 'process-draft',
          subject_id: draft.id,
          before: { name: '西山区试行', documentSha256: sha256Hex(canonicalJson(original)) },
          after: {
            name: '西山区试行 v2',
            documentSha256: sha256Hex(canonicalJson(changed)),
            changes: 1,
            changed: ['description'],
          },
        }),
      ]);

      // Refused: an invalid draft published (400), a handler creating a draft (403).
      const broken = (
        await http()
          .post('/api/v1/rules/drafts')
          .set(as('designer'))
          .send({ document: { schemaVersion: 1 } })
      ).body as Json;
      await writesNothing(() =>
        http()
          .post(`/api/v1/rules/drafts/${broken.id}/publish`)
          .set(as('designer'))
          .send({ reason: '试发布', scope: { cityId: 'city-demo', districtId: 'd-xishan' } })
          .expect(400),
      );
      await writesNothing(() => http().post('/api/v1/rules/drafts').set(as('handler')).send({}).expect(403));

      let label = '';
      const reason = '区政府通知：街道协调委员会时限缩短';
      const published = await written(async () => {
        const version = await http()
          .post(`/api/v1/rules/drafts/${draft.id}/publish`)
          .set(as('designer'))
          .send({ reason, scope: { cityId: 'city-demo', districtId: 'd-xishan' } })
          .expect(201);
        label = version.body.label as string;
      });
      const stored = await pg.query(`SELECT document FROM process_versions WHERE label = $1`, [label]);
      expect(published).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.designer,
          action: 'rules.version-published',
          subject_kind: 'process-version',
          subject_id: label,
          before: { latestVersion: 'beijing@1' },
          after: {
            latestVersion: label,
            definitionId: 'beijing',
            version: 2,
            scope: { cityId: 'city-demo', districtId: 'd-xishan' },
            draftId: draft.id,
            documentSha256: sha256Hex(canonicalJson(stored.rows[0].document)),
          },
          reason,
        }),
      ]);
      expect(label).toBe('beijing@2');

      const archivedDraft = await written(() =>
        http().delete(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).expect(200),
      );
      expect(archivedDraft).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.designer,
          action: 'rules.draft-archived',
          subject_kind: 'process-draft',
          subject_id: draft.id,
          before: { name: '西山区试行 v2', archivedAt: null },
          after: { name: '西山区试行 v2', archivedAt: expect.any(String) },
        }),
      ]);
      // Refused: an archived draft saved (409) or archived again (409).
      await writesNothing(() =>
        http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: changed }).expect(409),
      );
      await writesNothing(() => http().delete(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).expect(409));

      const archive = (who: string) =>
        http().post(`/api/v1/rules/versions/${label}/archive`).set(as(who)).send({ reason: '试行结束' });
      await writesNothing(() => archive('auditor').expect(403));
      const archivedVersion = await written(() => archive('admin').expect(200));
      expect(archivedVersion).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.admin,
          action: 'rules.version-archived',
          subject_kind: 'process-version',
          subject_id: label,
          before: { archivedAt: null },
          after: { archivedAt: expect.any(String) },
          reason: '试行结束',
        }),
      ]);
      await writesNothing(() => archive('admin').expect(409));
    });

    it('should audit a migration run when it starts (version, filter) and when it ends (its result)', async () => {
      // Published for 北郊区 (d-beijiao), and one open case there without a workflow: matched, skipped.
      const draft = (
        await http().post('/api/v1/rules/drafts').set(as('designer')).send({ fromVersion: 'beijing@1' }).expect(201)
      ).body as Json;
      const label = (
        await http()
          .post(`/api/v1/rules/drafts/${draft.id}/publish`)
          .set(as('designer'))
          .send({ reason: '北郊区版本', scope: { cityId: 'city-demo', districtId: 'd-beijiao' } })
          .expect(201)
      ).body.label as string;
      // Far from any case number a workflow of another test file could have.
      const caseNo = `19990101${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
      await pg.query(
        `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description, address,
                            citizen_name, citizen_phone, rules_version, received_at, district_id)
         VALUES ($1, 'case-' || $1, 'complaint', 'noise-nuisance', 'normal', 'hotline', 'open', 'handling', '测试',
                 '示范市北郊区柳荫路17号', '钱女士', '13700001234', 'beijing@1', now(), 'd-beijiao')`,
        [caseNo],
      );
      const migration = { toVersion: label, filter: { districtId: 'd-beijiao', status: 'open' }, reason: '统一时限' };

      await writesNothing(() => http().post('/api/v1/rules/migrations').set(as('handler')).send(migration).expect(403));
      await writesNothing(() =>
        http()
          .post('/api/v1/rules/migrations')
          .set(as('designer'))
          .send({ ...migration, filter: { districtId: 'D X' } })
          .expect(400),
      );
      let report: Json = {};
      const rows = await written(async () => {
        report = (await http().post('/api/v1/rules/migrations').set(as('designer')).send(migration).expect(201))
          .body as Json;
      });
      expect(report).toMatchObject({ status: 'finished', matched: 1, moved: 0 });
      const common = {
        actor: actors.designer,
        subject_kind: 'rule-migration',
        subject_id: report.id,
        reason: '统一时限',
      };
      expect(rows).toEqual([
        entry({
          id: expect.any(String),
          ...common,
          action: 'rules.migration-started',
          after: { status: 'running', toVersion: label, filter: { districtId: 'd-beijiao', status: 'open' } },
        }),
        entry({
          id: expect.any(String),
          ...common,
          action: 'rules.migration-finished',
          before: { status: 'running' },
          after: { status: 'finished', matched: 1, moved: 0, skipped: [{ caseNo, code: 'no-workflow' }] },
        }),
      ]);

      // An archived version is refused (409) before anything is recorded.
      await http()
        .post(`/api/v1/rules/versions/${label}/archive`)
        .set(as('designer'))
        .send({ reason: '结束' })
        .expect(200);
      await writesNothing(() =>
        http().post('/api/v1/rules/migrations').set(as('designer')).send(migration).expect(409),
      );
      await pg.query(`UPDATE cases SET status = 'closed' WHERE case_no = $1`, [caseNo]);
    });
  });

  describe('identity', () => {
    /** The JWT id (`jti`) of a login token. */
    const jtiOf = (token: string): string =>
      (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;

    it('should audit logins, failed logins with the username attempted, and logouts, never a password or token', async () => {
      let token = '';
      const loggedIn = await written(async () => {
        token = await login(app, 'auditor');
      });
      expect(loggedIn).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.auditor,
          action: 'auth.login',
          subject_kind: 'session',
          subject_id: jtiOf(token),
          after: { username: 'auditor', expiresAt: expect.any(String) },
        }),
      ]);

      const wrongPassword = await written(() =>
        http().post('/api/v1/auth/login').send({ username: ' Auditor', password: 'not-the-password-1' }).expect(401),
      );
      const unknownUser = await written(() =>
        http().post('/api/v1/auth/login').send({ username: 'nobody.here', password: DEMO_PASSWORD }).expect(401),
      );
      const failed = (username: string) =>
        entry({
          id: expect.any(String),
          actor: { userId: 'anonymous', role: 'anonymous', unitId: null },
          action: 'auth.login-failed',
          subject_kind: 'username',
          subject_id: username,
          after: { username },
        });
      expect(wrongPassword).toEqual([failed('auditor')]);
      expect(unknownUser).toEqual([failed('nobody.here')]);
      // A malformed login is refused before anyone is checked.
      await writesNothing(() => http().post('/api/v1/auth/login').send({ username: 'auditor' }).expect(400));

      const loggedOut = await written(() => http().post('/api/v1/auth/logout').set(bearer(token)).expect(204));
      expect(loggedOut).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.auditor,
          action: 'auth.logout',
          subject_kind: 'session',
          subject_id: jtiOf(token),
          before: { revoked: false },
          after: { revoked: true, expiresAt: expect.any(String) },
        }),
      ]);
      await writesNothing(() => http().post('/api/v1/auth/logout').set(bearer(token)).expect(401));

      const log = (await pg.query(`SELECT string_agg(audit_log::text, ' ') AS text FROM audit_log`)).rows[0].text;
      expect(log).not.toContain(DEMO_PASSWORD);
      expect(log).not.toContain('not-the-password-1');
      expect(log).not.toContain(token);
    });

    it('should audit API tokens created and revoked without their secrets, refusals writing nothing', async () => {
      const body = { name: 'it-open311-gateway', role: 'operator', unitId: 'centre-12345', expiresInDays: 30 };
      await writesNothing(() => http().post('/api/v1/auth/api-tokens').set(as('auditor')).send(body).expect(403));
      await writesNothing(() =>
        http()
          .post('/api/v1/auth/api-tokens')
          .set(as('admin'))
          .send({ ...body, role: 'admin' })
          .expect(400),
      );
      const create = async (): Promise<Json> =>
        (await http().post('/api/v1/auth/api-tokens').set(as('admin')).send(body).expect(201)).body as Json;
      let created: Json = {};
      const rows = await written(async () => {
        created = await create();
      });
      expect(rows).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.admin,
          action: 'auth.api-token-created',
          subject_kind: 'api-token',
          subject_id: created.id,
          after: { name: 'it-open311-gateway', role: 'operator', unitId: 'centre-12345', expiresAt: created.expiresAt },
        }),
      ]);
      const secret = created.token as string;

      const revoked = (id: string, actor: Json, via?: string) =>
        entry({
          id: expect.any(String),
          actor,
          action: 'auth.api-token-revoked',
          subject_kind: 'api-token',
          subject_id: id,
          before: { revokedAt: null },
          after: { revokedAt: expect.any(String), ...(via ? { via } : {}) },
        });
      // Over HTTP: only admins reach it (the controller does not hand the service who it is yet: see the service).
      expect(
        await written(() => http().delete(`/api/v1/auth/api-tokens/${created.id}`).set(as('admin')).expect(204)),
      ).toEqual([revoked(created.id, expect.objectContaining({ role: 'admin' }))]);
      await writesNothing(() => http().delete(`/api/v1/auth/api-tokens/${created.id}`).set(as('admin')).expect(204));
      await writesNothing(() => http().delete(`/api/v1/auth/api-tokens/${randomUUID()}`).set(as('admin')).expect(404));
      await writesNothing(() => http().delete(`/api/v1/auth/api-tokens/${created.id}`).set(as('designer')).expect(403));

      // Given the revoking admin, the entry names them.
      const second = await create();
      const admin = await app.get(AuthService).authenticate(tokens.admin);
      expect(await written(() => app.get(ApiTokenService).revoke(second.id, admin))).toEqual([
        revoked(second.id, actors.admin),
      ]);

      // An integration logging out revokes its own token.
      const third = await create();
      expect(await written(() => http().post('/api/v1/auth/logout').set(bearer(third.token)).expect(204))).toEqual([
        revoked(third.id, { userId: `api-token:${third.id}`, role: 'operator', unitId: 'centre-12345' }, 'logout'),
      ]);

      const log = (await pg.query(`SELECT string_agg(audit_log::text, ' ') AS text FROM audit_log`)).rows[0].text;
      for (const token of [secret, second.token, third.token]) {
        expect(log).not.toContain(token);
        expect(log).not.toContain(createHash('sha256').update(token).digest('hex'));
      }
    });
  });

  describe('the task inbox', () => {
    it('should audit claims, releases and hand-overs with the claim before → after, refusals writing nothing', async () => {
      const caseNo = `19990102${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
      await pg.query(
        `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description, address,
                            citizen_name, citizen_phone, rules_version, received_at)
         VALUES ($1, 'case-' || $1, 'complaint', 'noise-nuisance', 'normal', 'hotline', 'open', 'handling', '测试',
                 '示范市东湖区湖滨路8号', '钱女士', '13700001234', 'beijing@1', now())`,
        [caseNo],
      );
      const task = await pg.query(
        `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, status, category, escalation_level,
                            created_at, due_at)
         VALUES ($1, $2, 'handle', $3, 'handler', 'open', 'noise-nuisance', 'none', now(), now() + interval '1 day')
         RETURNING id`,
        [`${caseNo}:handle`, caseNo, UNIT],
      );
      const id = task.rows[0].id as string;
      const post = (who: string, path: string, body: object = {}) =>
        http().post(`/api/v1/tasks/${id}/${path}`).set(as(who)).send(body);
      const claimEntry = (action: string, actor: Json, before: Json, after: Json) =>
        entry({
          id: expect.any(String),
          actor,
          action,
          subject_kind: 'task',
          subject_id: id,
          before,
          after: { ...after, caseNo, step: 'handle' },
        });

      await writesNothing(() => post('handler', 'claim').expect(404)); // another unit's handler: as an unknown task
      expect(await written(() => post('ann', 'claim').expect(200))).toEqual([
        claimEntry(
          'task.claimed',
          actors.ann,
          { status: 'open', claimedBy: null },
          { status: 'claimed', claimedBy: actors.ann.userId },
        ),
      ]);
      await writesNothing(() => post('ann', 'claim').expect(200)); // already hers: nothing changes
      await writesNothing(() => post('bob', 'claim').expect(409));
      await writesNothing(() => post('bob', 'unclaim').expect(403));
      await writesNothing(() => post('ann', 'reassign', { username: 'nobody.here' }).expect(400));

      expect(await written(() => post('ann', 'reassign', { username: `bob.${UNIT}` }).expect(200))).toEqual([
        claimEntry(
          'task.reassigned',
          actors.ann,
          { status: 'claimed', claimedBy: actors.ann.userId },
          { status: 'claimed', claimedBy: actors.bob.userId },
        ),
      ]);
      expect(await written(() => post('admin', 'unclaim').expect(200))).toEqual([
        claimEntry(
          'task.unclaimed',
          actors.admin,
          { status: 'claimed', claimedBy: actors.bob.userId },
          { status: 'open', claimedBy: null },
        ),
      ]);
      await writesNothing(() => post('ann', 'unclaim').expect(409)); // open: no claim to release
    });
  });

  describe('scores', () => {
    it('should audit an on-demand run requested, refusals writing nothing', async () => {
      await writesNothing(() =>
        http().post('/api/v1/scores/runs').set(as('handler')).send({ month: '2026-10' }).expect(403),
      );
      await writesNothing(() =>
        http().post('/api/v1/scores/runs').set(as('auditor')).send({ month: '2999-01' }).expect(400),
      );
      let run: Json = {};
      const rows = await written(async () => {
        run = (await http().post('/api/v1/scores/runs').set(as('auditor')).send({ month: '2026-10' })).body as Json;
      });
      expect(run).toMatchObject({ month: '2026-10', trigger: 'on-demand', workflowId: expect.any(String) });
      expect(rows).toEqual([
        entry({
          id: expect.any(String),
          actor: actors.auditor,
          action: 'scores.run-requested',
          subject_kind: 'score-run',
          subject_id: run.workflowId,
          after: { month: '2026-10', trigger: 'on-demand', workflowId: run.workflowId },
        }),
      ]);
    });
  });

  describe('the whole log', () => {
    it('should still verify after every action above (declared last: runs last)', async () => {
      const verified = await http().get('/api/v1/audit/verify').set(as('auditor')).expect(200);
      expect(verified.body).toMatchObject({ ok: true, head: { id: expect.any(String), hash: expect.any(String) } });
      expect(verified.body.checked).toBeGreaterThanOrEqual(20);
    });
  });
});
