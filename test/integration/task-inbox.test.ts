import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import request from 'supertest';
import { bearer } from '../support/auth';
import { insertTestUser, startTestStack, TestStack } from '../support/test-stack';

/**
 * The task inbox over HTTP on rows written straight into a database of its own (the case workflow writes them in
 * production; authz-matrix.test.ts covers that path): the default listing, every filter, keyset pages in both
 * orders, the badge counts, 400s naming the field, and the rules of releasing and handing on a claim.
 */
describe('the task inbox', () => {
  const UNIT = 'it-inbox';
  const OTHER = 'it-inbox-other';
  type Who = 'ann' | 'bob' | 'stranger' | 'admin' | 'auditor';
  let stack: TestStack<Who>;
  let pg: PgClient;
  let tokens: Record<Who, string>;
  const ids: Record<string, string> = {};
  const users: Record<string, string> = {};
  const hours = (n: number) => new Date(Date.now() + n * 3_600_000);

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-inbox',
      scratch: true,
      // The demo users (admin, auditor) are seeded only into a database whose stored tree is the demo city's.
      seed: true,
      worker: false,
      taskQueue: 'it-inbox',
      prepare: async (db) => {
        for (const [name, unit, role] of [
          ['ann', UNIT, 'handler'],
          ['bob', UNIT, 'handler'],
          ['stranger', OTHER, 'handler'],
          ['cora', UNIT, 'coordinator'],
        ]) {
          users[name] = await insertTestUser(db, { username: `${name}.it-inbox`, role, unitId: unit });
        }
      },
      users: {
        ann: 'ann.it-inbox',
        bob: 'bob.it-inbox',
        stranger: 'stranger.it-inbox',
        admin: 'admin',
        auditor: 'auditor',
      },
    });
    ({ pg, tokens } = stack);
    // Three cases; their tasks in the unit, in due order: a (1h), b (2h, claimed), c (3h, overdue), d (4h, street
    // escalation, coordinator), e (no deadline); and closed, and another unit's.
    const cases = [
      ['20261120000101', '示范市东湖区湖滨路8号', 'noise-nuisance'],
      ['20261121000102', '示范市西山区文昌街50%折扣店', 'garbage-sorting'],
      ['20261122000103', '示范市北郊区柳荫路17号', 'noise-nuisance'],
    ];
    for (const [caseNo, address, category] of cases) {
      await pg.query(
        `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description, address,
                            citizen_name, citizen_phone, rules_version, received_at)
         VALUES ($1, 'case-' || $1, 'complaint', $3, 'normal', 'hotline', 'open', 'handling', '测试', $2,
                 '钱女士', '13700001234', 'beijing@1', now())`,
        [caseNo, address, category],
      );
    }
    const task = async (
      name: string,
      values: { caseNo: string; step?: string; unit?: string; role?: string; due?: Date | null; createdAt: Date } & {
        status?: string;
        claimedBy?: string;
        overdue?: boolean;
        level?: string;
        category?: string;
      },
    ) => {
      const row = await pg.query(
        `INSERT INTO tasks (task_key, case_no, step, unit_id, candidate_role, status, claimed_by, claimed_at, category,
                            escalation_level, created_at, due_at, overdue, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, $8, $9, $10, $11, $12,
                 CASE WHEN $6 = 'closed' THEN now() END)
         RETURNING id`,
        [
          `${name}:${randomUUID()}`,
          values.caseNo,
          values.step ?? 'handle',
          values.unit ?? UNIT,
          values.role ?? 'handler',
          values.status ?? 'open',
          values.claimedBy ?? null,
          values.category ?? 'noise-nuisance',
          values.level ?? 'none',
          values.createdAt,
          values.due === undefined ? null : values.due,
          values.overdue ?? false,
        ],
      );
      ids[name] = row.rows[0].id;
    };
    await task('a', { caseNo: '20261120000101', step: 'sign', due: hours(1), createdAt: hours(-5) });
    await task('b', {
      caseNo: '20261121000102',
      due: hours(2),
      createdAt: hours(-4),
      status: 'claimed',
      claimedBy: users.bob,
      category: 'garbage-sorting',
    });
    await task('c', { caseNo: '20261122000103', due: hours(3), createdAt: hours(-3), overdue: true });
    await task('d', {
      caseNo: '20261120000101',
      step: 'coordinate-street',
      role: 'coordinator',
      due: hours(4),
      createdAt: hours(-2),
      level: 'street',
    });
    await task('e', { caseNo: '20261121000102', step: 'resume', due: null, createdAt: hours(-1) });
    await task('closed', {
      caseNo: '20261122000103',
      step: 'contact',
      due: hours(0.5),
      createdAt: hours(-6),
      status: 'closed',
    });
    await task('elsewhere', { caseNo: '20261122000103', unit: OTHER, due: hours(1), createdAt: hours(-6) });
  });

  afterAll(() => stack?.stop());

  const list = (who: keyof typeof tokens, query = '') =>
    stack.http().get(`/api/v1/tasks${query}`).set(bearer(tokens[who]));
  const names = (body: { items: { id: string }[] }) =>
    body.items.map((item) => Object.keys(ids).find((name) => ids[name] === item.id));
  const post = (who: keyof typeof tokens, path: string, body: object = {}) =>
    stack.http().post(`/api/v1/tasks/${path}`).set(bearer(tokens[who])).send(body);

  it("should list the caller's unit's open and claimed tasks by due date, those without one last, with badges", async () => {
    const response = await list('ann').expect(200);
    expect(response.body.unitId).toBe(UNIT);
    expect(names(response.body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(response.body.counts).toEqual({ open: 4, claimed: 1, overdue: 1 });
    expect(response.body.nextCursor).toBeNull();
    const [a, b] = response.body.items;
    expect(a).toMatchObject({
      caseNo: '20261120000101',
      step: 'sign',
      status: 'open',
      claim: null,
      actions: ['sign', 'return'],
      case: { kind: 'complaint', urgency: 'normal', address: '示范市东湖区湖滨路8号' },
    });
    expect(b).toMatchObject({ status: 'claimed', claim: { userId: users.bob, username: 'bob.it-inbox' } });
    expect(response.text).not.toContain('13700001234');
    expect(response.text).not.toContain('钱女士');
  });

  it('should walk every page by cursor in both orders and by creation, without gaps or repeats', async () => {
    for (const [query, expected] of [
      ['', ['a', 'b', 'c', 'd', 'e']],
      ['&order=desc', ['e', 'd', 'c', 'b', 'a']],
      ['&sort=created_at&order=desc', ['e', 'd', 'c', 'b', 'a']],
      ['&sort=created_at', ['a', 'b', 'c', 'd', 'e']],
    ] as const) {
      const seen: (string | undefined)[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await list('ann', `?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(
          200,
        );
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
  });

  it.each([
    ['?status=closed', ['closed']],
    ['?status=claimed', ['b']],
    ['?status=open', ['a', 'c', 'd', 'e']],
    ['?step=handle', ['b', 'c']],
    ['?step=coordinate-street', ['d']],
    ['?step=whistle-report', []],
    ['?role=coordinator', ['d']],
    ['?overdue=true', ['c']],
    ['?overdue=false', ['a', 'b', 'd', 'e']],
    ['?escalationLevel=street', ['d']],
    ['?category=garbage-sorting', ['b']],
    ['?q=2026112', ['a', 'b', 'c', 'd', 'e']],
    ['?q=20261120', ['a', 'd']],
    ['?q=20261121000102', ['b', 'e']],
    ['?q=湖滨路', ['a', 'd']],
    ['?q=50%25', ['b', 'e']],
    ['?q=柳荫路', ['c']],
    ['?q=99999', []],
  ])('should filter %s', async (query, expected) => {
    const response = await list('ann', query).expect(200);
    expect(names(response.body)).toEqual(expected);
  });

  it('should filter by due instant, a time zone given as + or as a space', async () => {
    const before = hours(2.5).toISOString();
    expect(names((await list('ann', `?dueBefore=${encodeURIComponent(before)}`).expect(200)).body)).toEqual(['a', 'b']);
    const china = new Date(hours(2.5).getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
    expect(names((await list('ann', `?dueBefore=${china}+08:00`).expect(200)).body)).toEqual(['a', 'b']);
  });

  it("should list only the tasks the caller has claimed with claimedBy=me, the badges still the unit's", async () => {
    expect(names((await list('bob', '?claimedBy=me').expect(200)).body)).toEqual(['b']);
    expect(names((await list('ann', '?claimedBy=me').expect(200)).body)).toEqual([]);
    expect(names((await list('bob', '?claimedBy=me&status=open').expect(200)).body)).toEqual([]);
    expect(names((await list('bob', '?claimedBy=me&step=handle&q=20261121').expect(200)).body)).toEqual(['b']);
    expect((await list('bob', '?claimedBy=me').expect(200)).body.counts).toEqual({ open: 4, claimed: 1, overdue: 1 });
  });

  it("should keep a handler to their own unit's inbox, and let auditors and admins read any unit's", async () => {
    const refused = await list('ann', `?unit=${OTHER}`).expect(403);
    expect(refused.body).toMatchObject({ error: 'ActionForbidden', message: expect.stringMatching(/^WrongUnit: /) });
    expect(names((await list('stranger').expect(200)).body)).toEqual(['elsewhere']);
    expect(names((await list('auditor', `?unit=${UNIT}`).expect(200)).body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await list('admin', `?unit=${OTHER}`).expect(200)).body.counts).toEqual({
      open: 1,
      claimed: 0,
      overdue: 0,
    });
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?status=done', 'status'],
    ['?sort=id', 'sort'],
    ['?order=up', 'order'],
    ['?overdue=yes', 'overdue'],
    ['?dueBefore=tomorrow', 'dueBefore'],
    ['?escalationLevel=province', 'escalationLevel'],
    ['?step=sign%20off', 'step'],
    ['?role=citizen', 'role'],
    ['?unit=NOT_A_UNIT', 'unit'],
    ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['?colour=red', 'colour'],
    ['?claimedBy=bob.it-inbox', 'claimedBy'],
    ['?claimedBy=', 'claimedBy'],
  ])('should refuse %s with a 400 naming %s', async (query, field) => {
    const response = await list('ann', query).expect(400);
    expect(response.body).toMatchObject({ error: 'ValidationFailed' });
    expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });

  it('should refuse a cursor of another sort or order', async () => {
    const page = await list('ann', '?limit=1').expect(200);
    const response = await list('ann', `?limit=1&order=desc&cursor=${page.body.nextCursor}`).expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('should release a claim only for the claimer (or an admin), and refuse releasing an open or closed task', async () => {
    const notMine = await post('ann', `${ids.b}/unclaim`).expect(403);
    expect(notMine.body.message).toMatch(/^NotClaimer: /);
    expect((await post('ann', `${ids.a}/unclaim`).expect(409)).body.message).toMatch(/^NotClaimed: /);
    expect((await post('ann', `${ids.closed}/unclaim`).expect(409)).body.message).toMatch(/^TaskClosed: /);
    await post('ann', `${ids.a}/claim`).expect(200);
    await post('ann', `${ids.a}/claim`).expect(200); // claiming one's own claim again changes nothing
    const released = await post('ann', `${ids.a}/unclaim`).expect(200);
    expect(released.body).toMatchObject({ status: 'open', claim: null });
    await post('admin', `${ids.b}/unclaim`).expect(200);
    await post('bob', `${ids.b}/claim`).expect(200);
  });

  it('should refuse to claim or act on a closed task as stale', async () => {
    const claimed = await post('ann', `${ids.closed}/claim`).expect(409);
    expect(claimed.body.message).toMatch(/^TaskClosed: .*stale/);
    const acted = await post('ann', `${ids.closed}/actions/contact`, { note: '已联系' }).expect(409);
    expect(acted.body.message).toMatch(/^TaskClosed: /);
  });

  it('should hand a task to a colleague of its unit and role, by username or id, and refuse anyone else', async () => {
    const handed = await post('ann', `${ids.a}/reassign`, { username: 'bob.it-inbox' }).expect(200);
    expect(handed.body).toMatchObject({ status: 'claimed', claim: { username: 'bob.it-inbox' } });
    // Bob's now: Ann may no longer hand it on; Bob may, by id.
    expect((await post('ann', `${ids.a}/reassign`, { userId: users.ann }).expect(403)).body.message).toMatch(
      /^NotClaimer: /,
    );
    await post('bob', `${ids.a}/reassign`, { userId: users.ann }).expect(200);
    for (const [body, field, rule] of [
      [{ username: 'stranger.it-inbox' }, 'username', 'sameUnitAndRole'],
      [{ username: 'cora.it-inbox' }, 'username', 'sameUnitAndRole'],
      [{ username: 'nobody.it-inbox' }, 'username', 'unknownUser'],
      [{ userId: users.ann, username: 'ann.it-inbox' }, 'userId', 'oneOf'],
      [{}, 'userId', 'isUuid'],
    ] as const) {
      const refused = await post('ann', `${ids.a}/reassign`, body).expect(400);
      expect(refused.body.details).toContainEqual(expect.objectContaining({ field, rule }));
    }
  });

  it('should answer 404 for an unknown task and 400 for an id that is not one', async () => {
    await post('ann', `${randomUUID()}/claim`).expect(404);
    const bad = await post('ann', 'nope/claim').expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});
