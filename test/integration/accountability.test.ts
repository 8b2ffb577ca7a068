import { randomUUID } from 'node:crypto';
import { bearer } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Suyu's accountability step and audit call-backs over HTTP (issue 11), with `suyu` published for 西山区: a case there
 * that the citizen is dissatisfied with twice goes to the discipline office (示范市纪委监委, found by function above
 * the case's place), which is told, finds the decision task in its inbox and decides through it, and the case closes
 * with the decision on the record; a closed case drawn for an audit call-back is called back again by the centre from
 * its inbox, and a citizen contradicting the street's "solved" flags it and changes the street's monthly figures.
 * On a database of its own: the versions published here would otherwise reach other files' cases.
 */
describe("suyu's accountability step and audit call-backs through the API", () => {
  const suffix = randomUUID().slice(0, 6);
  const USERS = {
    designer: 'designer',
    operator: 'operator',
    auditor: 'auditor',
    street: `handler.s-yinxing-${suffix}`,
    office: `handler.o-discipline-office-${suffix}`,
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-accountability',
      scratch: true,
      seed: true,
      prepare: async (db) => {
        await insertTestUser(db, { username: USERS.street, role: 'handler', unitId: 's-yinxing' });
        await insertTestUser(db, { username: USERS.office, role: 'handler', unitId: 'o-discipline-office' });
      },
      users: USERS,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const caseOf = async (caseNo: string): Promise<Json> =>
    (await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200)).body.case as Json;
  const act = (caseNo: string, action: string, user: User, body: Json = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${action}`).set(as(user)).send(body);

  /** Publishes `suyu` for 西山区, changed by `edit` (saved as a draft first). */
  async function publishSuyu(edit?: (doc: Json) => void): Promise<string> {
    const draft = await http()
      .post('/api/v1/rules/drafts')
      .set(as('designer'))
      .send({ fromPreset: 'suyu', districtId: 'd-xishan' })
      .expect(201);
    expect(draft.body.validation).toMatchObject({ ok: true });
    if (edit) {
      const doc = draft.body.document as Json;
      edit(doc);
      const saved = await http()
        .put(`/api/v1/rules/drafts/${draft.body.id}`)
        .set(as('designer'))
        .send({ document: doc });
      expect(saved.body.validation).toEqual({ ok: true, errors: [] });
    }
    const version = await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(as('designer'))
      .send({ reason: '宿豫民意访评试点', scope: { cityId: 'city-demo', districtId: 'd-xishan' } })
      .expect(201);
    return version.body.label as string;
  }

  async function replyAndCallBack(caseNo: string, satisfaction: string, solved = false): Promise<Json> {
    await act(caseNo, 'reply', 'street', { result: 'solved', summary: '已约谈施工方，夜间停工' }).expect(200);
    await act(caseNo, 'review', 'operator', { accepted: true }).expect(200);
    return (await act(caseNo, 'callback', 'operator', { reached: true, solved, satisfaction }).expect(200))
      .body as Json;
  }

  /** A noise complaint in 松涛社区 (银杏街道, 西山区), signed and contacted by the street, on version `label`. */
  async function openCase(label: string): Promise<string> {
    const created = await http()
      .post('/api/v1/cases')
      .send(
        noiseComplaintBody({
          description: '夜间施工噪声扰民',
          address: `示范市西山区银杏路${randomUUID().slice(0, 8)}号`,
          place: { communityId: 'c-songtao', streetId: 's-yinxing', districtId: 'd-xishan' },
        }),
      )
      .expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () =>
      expect(await caseOf(caseNo)).toMatchObject({ phase: 'awaiting-sign', rulesVersion: label }),
    );
    await act(caseNo, 'sign', 'street').expect(200);
    await act(caseNo, 'contact', 'street', { note: '已电话联系' }).expect(200);
    return caseNo;
  }

  /** 银杏街道's figures in a score run of this month, started now. */
  async function streetScores(): Promise<Json> {
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    await http().post('/api/v1/scores/runs').set(as('auditor')).send({ month }).expect(201);
    const { body } = await http().get(`/api/v1/scores/${month}`).set(as('auditor')).expect(200);
    return (body.units as Json[]).find((unit) => unit.unitId === 's-yinxing') as Json;
  }

  it('should send a case dissatisfied twice to the discipline office, whose handler decides from the inbox', async () => {
    const caseNo = await openCase(await publishSuyu());
    await replyAndCallBack(caseNo, 'dissatisfied');
    await replyAndCallBack(caseNo, 'very-dissatisfied');

    // Before the office: its handler alone may decide; the street may not decide on itself.
    await eventually(async () =>
      expect(await caseOf(caseNo)).toMatchObject({ phase: 'accountability', responsibleUnitId: 'o-discipline-office' }),
    );
    const refused = await act(caseNo, 'accountability-decision', 'street', { responsible: false, decision: '已尽职' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/o-discipline-office/);

    // The office is told (an `escalated` notification at level `accountability`) and finds the task in its inbox.
    await eventually(async () => {
      const told = await stack.pg.query(
        `SELECT kind, payload->>'level' AS level FROM outbox WHERE case_no = $1 AND unit_id = 'o-discipline-office'`,
        [caseNo],
      );
      expect(told.rows).toEqual([{ kind: 'escalated', level: 'accountability' }]);
    });
    const task = await eventually(async () => {
      const inbox = await http().get('/api/v1/tasks').set(as('office')).expect(200);
      const found = (inbox.body.items as Json[]).find((item) => item.caseNo === caseNo);
      expect(found).toMatchObject({
        step: 'accountability-decision',
        unitId: 'o-discipline-office',
        candidateRole: 'handler',
        actions: ['accountability-decision'],
      });
      expect(found?.dueAt).toEqual(expect.any(String));
      return found as Json;
    });

    // A decision without its text is a 400 naming the field; the real one closes the case on the record.
    const blank = await http()
      .post(`/api/v1/tasks/${task.id}/actions/accountability-decision`)
      .set(as('office'))
      .send({ responsible: true })
      .expect(400);
    expect(new Set((blank.body.details as Json[]).map((detail) => detail.field))).toEqual(new Set(['decision']));
    const decision = '承办街道两次办理均未解决夜间施工噪声，责任成立，约谈街道负责人';
    const decided = await http()
      .post(`/api/v1/tasks/${task.id}/actions/accountability-decision`)
      .set(as('office'))
      .send({ responsible: true, decision })
      .expect(200);
    expect(decided.body.lifecycle).toMatchObject({
      phase: 'closed',
      outcome: 'accountability',
      accountability: { unitId: 'o-discipline-office', decision: { responsible: true, decision } },
    });
    await eventually(async () =>
      expect(await caseOf(caseNo)).toMatchObject({ phase: 'closed', outcome: 'accountability' }),
    );
    const events = await stack.pg.query(
      `SELECT type, detail, actor->>'unitId' AS unit FROM case_events WHERE case_no = $1 AND stream = 'case'
        AND type IN ('accountability-escalated', 'accountability-decided', 'closed') ORDER BY seq`,
      [caseNo],
    );
    expect(events.rows).toEqual([
      expect.objectContaining({
        type: 'accountability-escalated',
        detail: { to: 'discipline-office', unitId: 's-yinxing', accountabilityUnitId: 'o-discipline-office' },
      }),
      expect.objectContaining({
        type: 'accountability-decided',
        unit: 'o-discipline-office',
        detail: { responsible: true, decision, unitId: 's-yinxing', accountabilityUnitId: 'o-discipline-office' },
      }),
      expect.objectContaining({ type: 'closed', detail: { outcome: 'accountability', flagged: true } }),
    ]);
    await eventually(async () => {
      const inbox = await http().get('/api/v1/tasks').set(as('office')).expect(200);
      expect((inbox.body.items as Json[]).filter((item) => item.caseNo === caseNo)).toEqual([]);
    });
  });

  it("should flag a closed case whose audit call-back contradicts the unit's 'solved', and count it in the unit's scores", async () => {
    // A version that audits every case closed satisfied (suyu's fifth, raised to all for a test that must not depend
    // on the draw of one case number).
    const label = await publishSuyu((doc) => (doc.lifecycle.callback.audit.fraction = 1));
    const caseNo = await openCase(label);
    const closed = await replyAndCallBack(caseNo, 'satisfied', true);
    expect(closed.lifecycle).toMatchObject({ phase: 'closed', outcome: 'satisfied', audit: { status: 'pending' } });
    const task = await eventually(async () => {
      const inbox = await http().get('/api/v1/tasks').set(as('operator')).expect(200);
      const found = (inbox.body.items as Json[]).find((item) => item.caseNo === caseNo);
      expect(found).toMatchObject({ step: 'audit-callback', unitId: 'centre-12345', actions: ['audit-callback'] });
      return found as Json;
    });
    const before = await streetScores();
    // The centre sees the citizen's number to call them again only while the audit is pending.
    const contact = await http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(as('operator')).expect(200);
    expect(contact.body.phone).toBe('13900001111');

    const audited = await http()
      .post(`/api/v1/tasks/${task.id}/actions/audit-callback`)
      .set(as('operator'))
      .send({ reached: true, solved: false, satisfaction: 'dissatisfied', note: '市民称夜间仍在施工' })
      .expect(200);
    expect(audited.body.lifecycle.audit).toMatchObject({ status: 'contradicted', reportedResult: 'solved' });
    await eventually(async () => {
      const flagged = await stack.pg.query(
        `SELECT detail FROM case_events WHERE case_no = $1 AND type = 'audit-flagged'`,
        [caseNo],
      );
      expect(flagged.rows).toEqual([
        {
          detail: {
            unitId: 's-yinxing',
            reportedResult: 'solved',
            effect: 'audit-answer',
            scored: { solved: false, satisfaction: 'dissatisfied' },
          },
        },
      ]);
    });

    await http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(as('operator')).expect(409);
    // The flag is on the case row too (cases.audit_status), where flagged cases are searched.
    await eventually(async () => expect((await caseOf(caseNo)).auditStatus).toBe('contradicted'));

    // suyu's flagEffect `audit-answer`: the case now counts unsolved and dissatisfied for 银杏街道.
    const after = await streetScores();
    expect(after.counts.rated).toBe(before.counts.rated);
    expect(after.counts.solved).toBe(before.counts.solved - 1);
    expect(after.counts.satisfied).toBe(before.counts.satisfied - 1);
    expect(after.score).toBeLessThan(before.score);
  });
});
