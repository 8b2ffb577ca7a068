import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A designer changes the escalation path itself: a version that inserts a rung between the street and the district
 * committees is published and open cases are migrated onto it; a case on the street rung keeps its rung and then
 * climbs into the new one, whose body (the 12345 centre, acting as operator) takes it up. A case on a rung that a
 * version no longer has is skipped, and the report says why. On a database of its own: versions published here are
 * city-wide.
 */
describe('a designer inserts a rung into the ladder', () => {
  const USERS = {
    designer: 'designer',
    operator: 'operator',
    handler: handlerOf('s-hubin'),
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-ladder-migration',
      scratch: true,
      seed: true,
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

  async function openCase(): Promise<string> {
    const created = await http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => expect((await caseOf(caseNo)).phase).toBe('awaiting-sign'));
    for (const action of ['sign', 'contact']) {
      await http().post(`/api/v1/cases/${caseNo}/${action}`).set(as('handler')).send({}).expect(200);
    }
    return caseNo;
  }

  const escalate = async (caseNo: string) =>
    (
      await http()
        .post(`/api/v1/cases/${caseNo}/escalate`)
        .set(as('handler'))
        .send({ reason: '需要上级协调' })
        .expect(200)
    ).body as Json;

  async function publish(change: (rungs: Json[]) => Json[], reason: string): Promise<string> {
    const draft = (await http().post('/api/v1/rules/drafts').set(as('designer')).send({ fromVersion: 'beijing@1' }))
      .body as Json;
    const doc = draft.document as Json;
    doc.lifecycle.ladder.rungs = change(doc.lifecycle.ladder.rungs as Json[]);
    const saved = await http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: doc });
    expect(saved.body.validation).toEqual({ ok: true, errors: [] });
    const version = await http()
      .post(`/api/v1/rules/drafts/${draft.id}/publish`)
      .set(as('designer'))
      .send({ reason, scope: { cityId: 'city-demo' } })
      .expect(201);
    return version.body.label as string;
  }

  const migrate = async (toVersion: string, reason: string) =>
    (
      await http()
        .post('/api/v1/rules/migrations')
        .set(as('designer'))
        .send({ toVersion, filter: { districtId: 'd-donghu' }, reason })
        .expect(201)
    ).body as Json;

  it('should move a case on the street rung onto the new ladder, where it climbs into the inserted rung', async () => {
    const onStreet = await openCase();
    await escalate(onStreet);
    expect((await escalate(onStreet)).lifecycle).toMatchObject({ escalationLevel: 'street', rung: { position: 2 } });

    const inserted = {
      id: 'hotline-consultation',
      name: '12345热线会商',
      coordinator: { serviceCentre: true },
      role: 'operator',
      actions: ['instruct', 'convene'],
      deadline: '2WD',
      next: 'district',
    };
    const label = await publish(
      (rungs) => [...rungs.map((r) => (r.id === 'street' ? { ...r, next: inserted.id } : r)), inserted],
      '街道与区之间增设热线中心会商',
    );
    const report = await migrate(label, '增设热线会商');
    expect(report.skipped.map((s: Json) => s.caseNo)).not.toContain(onStreet);
    const migrated = await eventually(async () => {
      const row = await caseOf(onStreet);
      expect(row.rulesVersion).toBe(label);
      return row;
    });
    expect(migrated.escalationLevel).toBe('street');

    // The next climb goes into the inserted rung, with its body and acting role.
    const climbed = (await escalate(onStreet)).lifecycle as Json;
    expect(climbed).toMatchObject({
      escalationLevel: 'hotline-consultation',
      escalationUnitId: 'centre-12345',
      rung: { id: 'hotline-consultation', position: 3, role: 'operator' },
    });
    await http()
      .post(`/api/v1/cases/${onStreet}/coordinate`)
      .set(as('operator'))
      .send({ instruction: '召集住建、城管会商' })
      .expect(200);
    await eventually(async () => {
      const row = await caseOf(onStreet);
      expect([row.escalationLevel, row.escalationPosition]).toEqual(['hotline-consultation', 3]);
    });
    expect((await escalate(onStreet)).lifecycle).toMatchObject({ escalationLevel: 'district', rung: { position: 4 } });
  });

  it('should skip a case whose rung the new ladder lacks, saying why', async () => {
    const onCommunity = await openCase();
    expect((await escalate(onCommunity)).lifecycle.escalationLevel).toBe('community');
    const label = await publish((rungs) => rungs.filter((r) => r.id !== 'community'), '取消社区一级');
    const report = await migrate(label, '取消社区一级');
    const skipped = (report.skipped as Json[]).find((s) => s.caseNo === onCommunity);
    expect(skipped?.reason).toMatch(/rung 'community'/);
    expect((await caseOf(onCommunity)).rulesVersion).not.toBe(label);
  });
});
