import { Client as PgClient } from 'pg';
import { BEIJING_DEFINITION } from '../../libs/persistence/src/seed/demo-presets';
import { bearer, handlerOf } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/*
 * 湖滨街道 had 6 noise complaints in October 2026 (1 in September), every one called back unsolved and dissatisfied;
 * 文昌街道 had 2 property complaints, solved and satisfied. The city's definition is published with a minimum sample
 * of 1 and a bottom list of 1, so 湖滨街道 is October's bottom street, its noise hotspot grew by 5 (past beijing's
 * threshold of 3, to at least 5 cases) and noise is a problem-of-the-month candidate.
 */
const OCTOBER = '2026-10';
const NOISE = 'noise-nuisance';
let serial = 0;
const caseNo = () => `2026${String(Date.now() % 1e6).padStart(6, '0')}${String(++serial).padStart(4, '0')}`;

async function seedCase(
  pg: PgClient,
  seed: { category: string; street: string; at: string; solved: boolean; satisfied: boolean },
): Promise<string> {
  const no = caseNo();
  await pg.query(
    `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
       rules_version, received_at, phase, lead_unit_id, street_id, district_id, outcome, dispatched_at, closed_at)
     VALUES ($1, 'case-' || $1, 'complaint', $2, 'normal', 'hotline', 'closed', 'closed', '（测试数据）', 'beijing@1',
             $3, 'closed', $4, $4, 'd-donghu', $5, $3, $3)`,
    [no, seed.category, seed.at, seed.street, seed.satisfied ? 'satisfied' : 'dissatisfied'],
  );
  await pg.query(
    `INSERT INTO case_events (case_no, seq, type, at, detail) VALUES ($1, 1, 'dispatched', $2, $3),
       ($1, 2, 'called-back', $2::timestamptz + interval '3 days', $4)`,
    [
      no,
      seed.at,
      JSON.stringify({ leadUnitId: seed.street }),
      JSON.stringify({ solved: seed.solved, satisfaction: seed.satisfied ? 'satisfied' : 'dissatisfied' }),
    ],
  );
  return no;
}

async function seedMonths(pg: PgClient): Promise<void> {
  const bad = { category: NOISE, street: 's-hubin', solved: false, satisfied: false };
  await seedCase(pg, { ...bad, at: '2026-09-15T02:00:00.000Z' });
  for (let day = 10; day < 16; day++) await seedCase(pg, { ...bad, at: `2026-10-${day}T02:00:00.000Z` });
  const good = { category: 'property-management', street: 's-wenchang', solved: true, satisfied: true };
  for (const day of [12, 13]) await seedCase(pg, { ...good, at: `2026-10-${day}T02:00:00.000Z` });
}

describe('governance items through the API (每月一题, 限期整改, 未诉先办)', () => {
  let stack: TestStack<'operator' | 'auditor' | 'designer' | 'hubin' | 'housing'>;
  let pg: PgClient;
  let tokens: TestStack<'operator' | 'auditor' | 'designer' | 'hubin' | 'housing'>['tokens'];
  const http = () => stack.http();
  type Item = { id: string; kind: string; ownerUnitIds: string[]; scope: { unitId?: string; categories: string[] } };

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-governance',
      scratch: true,
      seed: true,
      prepare: seedMonths,
      api: { notifications: { pollIntervalMs: 0 } },
      users: {
        operator: 'operator',
        auditor: 'auditor',
        designer: 'designer',
        hubin: handlerOf('s-hubin'),
        housing: handlerOf('dept-housing'),
      },
    });
    ({ pg, tokens } = stack);
    // The city's definition: beijing's rules with every unit ranked from one rated case and a bottom list of one.
    const document = {
      ...BEIJING_DEFINITION,
      id: 'it-governance',
      name: '治理测试定义',
      scoring: { ...BEIJING_DEFINITION.scoring, minimumSample: 1, bottomN: 1 },
    };
    const draft = await http().post('/api/v1/rules/drafts').set(bearer(tokens.designer)).send({ document }).expect(201);
    await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(bearer(tokens.designer))
      .send({ reason: '治理测试', scope: { cityId: 'city-demo' } })
      .expect(201);
    const run = await http().post('/api/v1/scores/runs').set(bearer(tokens.auditor)).send({ month: OCTOBER });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: 'completed' });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const items = async (token: string, query = `month=${OCTOBER}`): Promise<Item[]> =>
    (await http().get(`/api/v1/governance/items?${query}`).set(bearer(token)).expect(200)).body;

  /** Plans two milestones, completes them and reports, as 湖滨街道's handler; answers the reported item. */
  async function workThrough(id: string) {
    const base = `/api/v1/governance/items/${id}`;
    const planned = await http()
      .post(`${base}/plan`)
      .set(bearer(tokens.hubin))
      .send({
        plan: '排查噪声源，约谈商户，夜间巡查',
        milestones: [{ title: '排查', due: '2026-12-10' }, { title: '整治' }],
      })
      .expect(200);
    expect(planned.body).toMatchObject({ status: 'planned', milestones: [{ title: '排查' }, { title: '整治' }] });
    await http().post(`${base}/milestones/0/complete`).set(bearer(tokens.hubin)).send({ note: '已排查' }).expect(200);
    await http().post(`${base}/milestones/1/complete`).set(bearer(tokens.hubin)).send({}).expect(200);
    const reported = await http()
      .post(`${base}/report`)
      .set(bearer(tokens.hubin))
      .send({ report: '噪声源已整治，夜间巡查常态化', outcome: 'resolved' })
      .expect(200);
    expect(reported.body.milestones.every((m: { doneAt?: string }) => m.doneAt)).toBe(true);
    return reported.body;
  }

  let problemId: string;

  it("should open a rectification item for the month's bottom street only, with a deadline, when the run completes", async () => {
    const opened = await eventually(async () => {
      const all = await items(tokens.operator);
      if (!all.some((item) => item.kind === 'rectification')) throw new Error('no rectification item yet');
      return all;
    });
    const rectifications = opened.filter((item) => item.kind === 'rectification');
    expect(rectifications.filter((item) => item.scope.unitId?.startsWith('s-')).map((i) => i.ownerUnitIds)).toEqual([
      ['s-hubin'],
    ]);
    const rectification = rectifications.find((item) => item.ownerUnitIds[0] === 's-hubin')!;
    const stored = await eventually(async () => {
      const item = (await http().get(`/api/v1/governance/items/${rectification.id}`).set(bearer(tokens.hubin))).body;
      if (!item.dueAt) throw new Error('no deadline yet');
      return item;
    });
    expect(stored).toMatchObject({ status: 'open', deadline: '10WD', supervision: 'none', openedBy: 'system' });
    // From the city scope's published bottom list, under the definition published above.
    expect(stored.origin).toMatchObject({
      bottomN: 1,
      unitId: 's-hubin',
      scope: 'city',
      definition: expect.stringMatching(/^it-governance@/),
    });
  });

  it('should open a proactive item for the street whose hotspot passed the threshold', async () => {
    const proactive = (await items(tokens.operator)).filter((item) => item.kind === 'proactive');
    expect(proactive).toEqual([
      expect.objectContaining({ ownerUnitIds: ['s-hubin'], scope: expect.objectContaining({ categories: [NOISE] }) }),
    ]);
    const detail = (await http().get(`/api/v1/governance/items/${proactive[0].id}`).set(bearer(tokens.hubin))).body;
    expect(detail.origin).toMatchObject({ cases: 6, previousCases: 1, growth: 5, rule: { growthThreshold: 3 } });
  });

  it("should show a unit its own items only, and another unit's item as not found", async () => {
    const own = await items(tokens.hubin, '');
    expect(own.length).toBeGreaterThanOrEqual(2);
    expect(own.every((item) => item.ownerUnitIds.includes('s-hubin'))).toBe(true);
    expect(await items(tokens.housing, '')).toEqual([]);
    await http().get(`/api/v1/governance/items/${own[0].id}`).set(bearer(tokens.housing)).expect(404);
    await http()
      .post(`/api/v1/governance/items/${own[0].id}/plan`)
      .set(bearer(tokens.housing))
      .send({ plan: 'x', milestones: [{ title: 'y' }] })
      .expect(404);
  });

  it('should let the centre adopt a candidate once, naming what is wrong with a bad adoption', async () => {
    const bad = await http()
      .post('/api/v1/governance/problems')
      .set(bearer(tokens.operator))
      .send({
        month: OCTOBER,
        category: 'no-such-category',
        title: '测试',
        ownerUnitIds: ['s-hubin'],
        deadline: '20WD',
      })
      .expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'category', rule: 'candidate' })]);
    const badDeadline = await http()
      .post('/api/v1/governance/problems')
      .set(bearer(tokens.operator))
      .send({ month: OCTOBER, category: NOISE, title: '测试', ownerUnitIds: ['s-hubin'], deadline: 'soon' })
      .expect(400);
    expect(badDeadline.body.details).toEqual([expect.objectContaining({ field: 'deadline' })]);
    const adopted = await http()
      .post('/api/v1/governance/problems')
      .set(bearer(tokens.operator))
      .send({ month: OCTOBER, category: NOISE, title: '湖滨噪声治理', ownerUnitIds: ['s-hubin'], deadline: '20WD' })
      .expect(201);
    expect(adopted.body).toMatchObject({
      kind: 'problem-of-the-month',
      status: 'open',
      deadline: '20WD',
      scope: { categories: [NOISE], places: ['s-hubin'], month: OCTOBER },
      dueAt: expect.any(String),
    });
    problemId = adopted.body.id;
    await http()
      .post('/api/v1/governance/problems')
      .set(bearer(tokens.operator))
      .send({ month: OCTOBER, category: NOISE, title: '再次', ownerUnitIds: ['s-hubin'], deadline: '20WD' })
      .expect(409);
    // The handler cannot adopt.
    await http()
      .post('/api/v1/governance/problems')
      .set(bearer(tokens.hubin))
      .send({ month: OCTOBER, category: NOISE, title: '再次', ownerUnitIds: ['s-hubin'], deadline: '20WD' })
      .expect(403);
  });

  it('should run every item through plan, milestones, report and close, and record the complaints that followed', async () => {
    // A noise complaint that arrives after the items were opened: the count that follows.
    await seedCase(pg, {
      category: NOISE,
      street: 's-hubin',
      at: new Date().toISOString(),
      solved: true,
      satisfied: true,
    });
    const all = await items(tokens.hubin, '');
    const rectification = all.find((item) => item.kind === 'rectification')!;
    const proactive = all.find((item) => item.kind === 'proactive')!;

    // Out of turn: a report before a plan, a close by a handler, a close before the report.
    const early = await http()
      .post(`/api/v1/governance/items/${problemId}/report`)
      .set(bearer(tokens.hubin))
      .send({ report: '太早', outcome: 'resolved' })
      .expect(409);
    expect(early.body.message).toMatch(/^WrongState: /);
    await http()
      .post(`/api/v1/governance/items/${problemId}/close`)
      .set(bearer(tokens.hubin))
      .send({ note: 'x' })
      .expect(403);
    await http()
      .post(`/api/v1/governance/items/${problemId}/close`)
      .set(bearer(tokens.operator))
      .send({ note: 'x' })
      .expect(409);

    for (const id of [rectification.id, proactive.id, problemId]) {
      await workThrough(id);
      const closed = await http()
        .post(`/api/v1/governance/items/${id}/close`)
        .set(bearer(tokens.operator))
        .send({ note: '验收通过' })
        .expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', outcome: 'resolved', closedAt: expect.any(String) });
    }

    const problem = (await http().get(`/api/v1/governance/items/${problemId}`).set(bearer(tokens.operator))).body;
    // Before: September's and October's 7 noise cases of 湖滨街道 (within 3 months of the adoption); since: 1.
    expect(problem.measured).toMatchObject({
      months: 3,
      rows: [{ category: NOISE, place: 's-hubin', before: 7, since: 1 }],
      before: 7,
      since: 1,
    });
    const followed = (await http().get(`/api/v1/governance/items/${proactive.id}`).set(bearer(tokens.hubin))).body;
    expect(followed.measured).toMatchObject({ since: 1 });
    expect(followed.events.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['opened', 'deadline-set', 'plan-submitted', 'milestone-completed', 'reported', 'closed']),
    );
    const live = await http()
      .get(`/api/v1/governance/items/${problemId}/effect?months=1`)
      .set(bearer(tokens.auditor))
      .expect(200);
    expect(live.body).toMatchObject({ months: 1, since: 1 });
    await http().get(`/api/v1/governance/items/${problemId}/effect?months=0`).set(bearer(tokens.auditor)).expect(400);
    // Each action is in the audit log with its actor.
    const audit = await pg.query(
      `SELECT action, actor->>'userId' AS user_id FROM audit_log WHERE subject_kind = 'governance-item' AND subject_id = $1`,
      [problemId],
    );
    expect(audit.rows.map((row: { action: string }) => row.action)).toEqual(
      expect.arrayContaining(['governance.problem-adopted', 'governance.plan-submitted', 'governance.closed']),
    );
  });
});
