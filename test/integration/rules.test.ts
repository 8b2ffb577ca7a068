import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { buildDefaultCalendar } from '../../libs/persistence/src/calendar/calendar-source';
import { addDuration } from '../../libs/domain/src/calendar';
import { formatCaseNo } from '../../libs/domain/src/case/case.types';
import { BEIJING_DEFINITION } from '../../libs/persistence/src/seed/demo-presets';
import { monthOf } from '../../libs/domain/src/scores';
import { bearer, handlerOf } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { noiseComplaintBody } from '../support/case-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The designer side of versioned process definitions through the HTTP API, on the Temporal dev server and
 * PostgreSQL: drafts, validation with every error at once, diffs, immutable numbered versions, roles, and the whole
 * change of a rule — a shorter street-committee deadline, predicted by a what-if against recorded cases, published
 * with a reason, and open cases migrated with their deadlines recomputed and the move on their record.
 *
 * Cases here live in 西山区 (d-xishan), where no other test file works, and versions published here are scoped to
 * a district, so nothing published here reaches another file's cases.
 */
describe('process definitions for designers', () => {
  let stack: TestStack;
  let pg: PgClient;
  let tokens: Record<string, string>;
  const seeded: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-rules',
      users: {
        designer: 'designer',
        admin: 'admin',
        auditor: 'auditor',
        operator: 'operator',
        handler: handlerOf('s-hubin'),
      },
    });
    ({ pg, tokens } = stack);
  });

  afterAll(async () => {
    // Seeded recorded cases have no workflow: close them so nothing else takes them for open cases.
    if (seeded.length) await pg?.query(`UPDATE cases SET status = 'closed' WHERE case_no = ANY($1)`, [seeded]);
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (who: string) => bearer(tokens[who]);
  const copy = (): Json => JSON.parse(JSON.stringify(BEIJING_DEFINITION)) as Json;
  const rung = (doc: Json, id: string): Json => (doc.lifecycle.ladder.rungs as Json[]).find((r) => r.id === id)!;
  const category = (doc: Json, id: string): Json => (doc.routing.categories as Json[]).find((c) => c.id === id)!;

  async function newDraft(body: Json = { fromVersion: 'beijing@1' }): Promise<Json> {
    return (await http().post('/api/v1/rules/drafts').set(as('designer')).send(body).expect(201)).body as Json;
  }

  async function submitCase(): Promise<string> {
    const created = await http()
      .post('/api/v1/cases')
      .send(
        noiseComplaintBody({
          description: '夜间施工噪声扰民',
          address: `示范市西山区银杏路${randomUUID().slice(0, 8)}号`,
          citizen: { name: '赵先生', phone: '13700002222' },
          place: { communityId: 'c-songtao', streetId: 's-yinxing', districtId: 'd-xishan' },
        }),
      )
      .expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => expect((await caseOf(caseNo)).case?.phase).toBe('awaiting-sign'));
    return caseNo;
  }

  async function caseOf(caseNo: string): Promise<Json> {
    return (await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200)).body as Json;
  }

  it('should serve the JSON Schema and the presets to designers and auditors, and to no handler', async () => {
    const schema = await http().get('/api/v1/rules/schema').set(as('auditor')).expect(200);
    expect(schema.body).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    const presets = await http().get('/api/v1/rules/presets').set(as('designer')).expect(200);
    expect(presets.body.map((preset: Json) => preset.id)).toEqual(
      expect.arrayContaining(['beijing', 'pinggu', 'ningbo-dl', 'suyu', 'jinan', 'nanjing', 'malu']),
    );
    const pinggu = await http()
      .get('/api/v1/rules/presets/pinggu?districtId=d-beijiao')
      .set(as('designer'))
      .expect(200);
    expect(pinggu.body.jurisdiction).toEqual({ cityId: 'city-demo', districtId: 'd-beijiao' });
    const valid = await http().post('/api/v1/rules/validate').set(as('designer')).send({ document: pinggu.body });
    expect(valid.body).toEqual({ ok: true, errors: [] });
    const notDistrict = await http().get('/api/v1/rules/presets/pinggu?districtId=s-hubin').set(as('designer'));
    expect(notDistrict.status).toBe(400);
    expect(JSON.stringify(notDistrict.body)).toContain('districtId');
    const fromDefault = await http().get('/api/v1/rules/presets/suyu').set(as('designer')).expect(200);
    expect(fromDefault.body.jurisdiction.districtId).toMatch(/^d-/);
    await http().get('/api/v1/rules/presets/nowhere').set(as('designer')).expect(404);
    await http().get('/api/v1/rules/schema').set(as('handler')).expect(403);
    await http().get('/api/v1/rules/versions').set(as('operator')).expect(403);
    await http().post('/api/v1/rules/drafts').set(as('handler')).send({}).expect(403);
    await http().post('/api/v1/rules/drafts').set(as('auditor')).send({}).expect(403);
    const versions = await http().get('/api/v1/rules/versions').set(as('auditor')).expect(200);
    expect(versions.body).toContainEqual(
      expect.objectContaining({ label: 'beijing@1', published: expect.objectContaining({ by: 'system' }) }),
    );
  });

  it('should save a malformed document as a draft and return all its errors at once, each with its path', async () => {
    const draft = await newDraft();
    expect(draft).toMatchObject({ basedOn: 'beijing@1', validation: { ok: true, errors: [] } });
    const doc = copy();
    doc.colour = 'red';
    doc.schemaVersion = 2;
    doc.lifecycle.reminderFraction = 1;
    category(doc, 'property-management').handler = 'dept-nowhere';
    rung(doc, 'street').next = 'nowhere';
    doc.whistle.grades[0].reportLimit = '2 days';
    doc.scoring.weights.response = 40;

    const saved = await http()
      .put(`/api/v1/rules/drafts/${draft.id}`)
      .set(as('designer'))
      .send({ document: doc })
      .expect(200);
    const expected = [
      { path: '/schemaVersion', rule: 'const' },
      { path: '/lifecycle/reminderFraction', rule: 'exclusive-maximum' },
      { path: '/whistle/grades/0/reportLimit', rule: 'duration' },
      { path: '/colour', rule: 'unknown-field' },
      { path: '/routing/categories/0/handler', rule: 'unknown-unit' },
      { path: '/lifecycle/ladder/rungs/1/next', rule: 'unknown-rung' },
      { path: '/scoring/weights', rule: 'weights-sum' },
    ];
    expect(saved.body.validation.ok).toBe(false);
    expect(saved.body.validation.errors).toEqual(
      expected.map((error) => ({ ...error, message: expect.stringMatching(/\S/) })),
    );
    expect(saved.body.document.colour).toBe('red'); // saved as written: a draft is work in progress

    const validated = await http().post(`/api/v1/rules/drafts/${draft.id}/validate`).set(as('designer')).expect(200);
    expect(validated.body).toEqual({ ok: false, errors: saved.body.validation.errors });

    const refused = await http()
      .post(`/api/v1/rules/drafts/${draft.id}/publish`)
      .set(as('designer'))
      .send({ reason: '试发布', scope: { cityId: 'city-demo', districtId: 'd-xishan' } })
      .expect(400);
    expect(refused.body.error).toBe('ValidationFailed');
    expect(refused.body.details.map((detail: Json) => detail.field)).toEqual(
      expected.map((error) => `document${error.path}`),
    );

    const loose = await http().post('/api/v1/rules/validate').set(as('auditor')).send({ document: {} }).expect(200);
    expect(loose.body.errors.length).toBeGreaterThanOrEqual(5);
    await http().delete(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).expect(200);
    await http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: doc }).expect(409);
  });

  it('should number published versions per definition and keep them immutable in PostgreSQL', async () => {
    const id = `it-${randomUUID().slice(0, 8)}`;
    const doc = { ...copy(), id, name: '测试定义' };
    const draft = await newDraft({ document: doc });
    const publish = (reason: string) =>
      http()
        .post(`/api/v1/rules/drafts/${draft.id}/publish`)
        .set(as('designer'))
        .send({ reason, scope: { cityId: 'city-demo', districtId: 'd-beijiao' } });
    const first = await publish('首次发布').expect(201);
    const second = await publish('再次发布').expect(201);
    expect([first.body.label, second.body.label]).toEqual([`${id}@1`, `${id}@2`]);
    expect(second.body).toMatchObject({
      scope: { cityId: 'city-demo', districtId: 'd-beijiao' },
      published: { byName: 'designer', reason: '再次发布', at: expect.any(String) },
    });
    await http()
      .post(`/api/v1/rules/drafts/${draft.id}/publish`)
      .set(as('auditor'))
      .send({ reason: 'x', scope: { cityId: 'city-demo' } })
      .expect(403);
    const elsewhere = await http()
      .post(`/api/v1/rules/drafts/${draft.id}/publish`)
      .set(as('designer'))
      .send({ reason: 'x', scope: { cityId: 'city-demo', districtId: 's-hubin' } })
      .expect(400);
    expect(elsewhere.body.details).toEqual([expect.objectContaining({ field: 'scope.districtId' })]);

    const published = await http().get('/api/v1/rules/published?districtId=d-beijiao').set(as('auditor')).expect(200);
    expect(published.body.label).toBe(`${id}@2`); // a district's own version beats the city's

    // The database itself refuses to change or remove a published version, or to skip a number.
    const label = `${id}@1`;
    for (const sql of [
      `UPDATE process_versions SET document = (document::jsonb || '{"name": "改"}')::json WHERE label = $1`,
      `UPDATE process_versions SET reason = 'rewritten' WHERE label = $1`,
      `DELETE FROM process_versions WHERE label = $1`,
    ]) {
      await expect(pg.query(sql, [label])).rejects.toThrow(/immutable/);
    }
    await expect(
      pg.query(
        `INSERT INTO process_versions (definition_id, version, label, document, scope_city_id, published_by,
           published_by_name, reason) SELECT definition_id, 5, definition_id || '@5', document, scope_city_id, 'x',
           'x', 'gap' FROM process_versions WHERE label = $1`,
        [label],
      ),
    ).rejects.toThrow(/next version/);

    for (const version of [`${id}@1`, `${id}@2`]) {
      await http()
        .post(`/api/v1/rules/versions/${version}/archive`)
        .set(as('admin'))
        .send({ reason: '测试结束' })
        .expect(200);
    }
    await http()
      .post(`/api/v1/rules/versions/${label}/archive`)
      .set(as('designer'))
      .send({ reason: 'again' })
      .expect(409);
    const after = await http().get('/api/v1/rules/published?districtId=d-beijiao').set(as('auditor')).expect(200);
    expect(after.body.label).not.toMatch(new RegExp(`^${id}@`));
    const stored = await http().get(`/api/v1/rules/versions/${label}`).set(as('auditor')).expect(200);
    expect(stored.body).toMatchObject({ document: { name: '测试定义' }, archived: { reason: '测试结束' } });
  });

  it('should show the differences between a version and a draft, structured and as text', async () => {
    const draft = await newDraft();
    const doc = draft.document as Json;
    rung(doc, 'street').deadline = '2WD';
    await http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: doc }).expect(200);
    const diff = await http()
      .get(`/api/v1/rules/diff?from=beijing@1&to=draft:${draft.id}`)
      .set(as('auditor'))
      .expect(200);
    expect(diff.body.changes).toEqual([
      {
        path: '/lifecycle/ladder/rungs/1/deadline',
        label: 'lifecycle.ladder.rungs[street].deadline',
        kind: 'changed',
        before: '5WD',
        after: '2WD',
      },
    ]);
    expect(diff.body.text).toBe('~ lifecycle.ladder.rungs[street].deadline: "5WD" → "2WD"');
    await http().get('/api/v1/rules/diff?from=beijing&to=preset:beijing').set(as('auditor')).expect(400);
  });

  it('should report a what-if job its API stopped running as interrupted, not running forever', async () => {
    const [{ id }] = (
      await pg.query(
        `INSERT INTO what_if_jobs (subject, document, sample, requested_by, status, updated_at)
         VALUES ('beijing@1', '{}', '{"last":1}', 'u-test', 'running', now() - interval '1 hour') RETURNING id`,
      )
    ).rows as { id: string }[];
    const job = (await http().get(`/api/v1/rules/what-if/${id}`).set(as('designer')).expect(200)).body as Json;
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted: no progress/) });
  });

  it('should never let a draft affect a case', async () => {
    const draft = await newDraft();
    const doc = draft.document as Json;
    category(doc, 'noise-nuisance').deadlines.normal = { sign: 'PT1H', contact: 'PT2H', handle: '2WD' };
    await http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: doc }).expect(200);

    const caseNo = await submitCase();
    const view = await caseOf(caseNo);
    const { label } = (await http().get('/api/v1/rules/published?districtId=d-xishan').set(as('designer'))).body;
    expect(view.case.rulesVersion).toBe(label);
    expect(view.case.deadlines.sign.duration).toBe('1WD');
    expect(view.case.deadlines.handle.duration).toBe('7WD');
  });

  it('should predict, publish and migrate a shorter street-committee deadline, on the record', async () => {
    // Two open cases awaiting sign, started through the API under the published version.
    const open = [await submitCase(), await submitCase()];
    const handleBefore = new Map<string, Json>();
    for (const caseNo of open) handleBefore.set(caseNo, (await caseOf(caseNo)).case.deadlines.handle);
    const recorded = await seedRecordedCases();

    // The designer drafts from beijing@1: the street committee gets 2 working days instead of 5, and noise
    // complaints are to be handled in 5 working days instead of 7.
    const draft = await newDraft({ fromVersion: 'beijing@1', name: '缩短街道协调时限' });
    const doc = draft.document as Json;
    rung(doc, 'street').deadline = '2WD';
    category(doc, 'noise-nuisance').deadlines.normal.handle = '5WD';
    const saved = await http()
      .put(`/api/v1/rules/drafts/${draft.id}`)
      .set(as('designer'))
      .send({ document: doc })
      .expect(200);
    expect(saved.body.validation).toEqual({ ok: true, errors: [] });

    // What-if against the recorded cases of that month: which would escalate sooner.
    const started = await http()
      .post('/api/v1/rules/what-if')
      .set(as('designer'))
      .send({ draftId: draft.id, sample: recorded.window })
      .expect(202);
    const job = await finished(started.body.jobId);
    expect(job.progress.total).toBeGreaterThanOrEqual(4);
    expect(job.progress.done).toBe(job.progress.total);
    const report = job.report as Json;
    const byCase = new Map<string, Json>(report.cases.map((entry: Json) => [entry.caseNo, entry]));
    expect(byCase.get(recorded.streetEscalated)?.escalation).toMatchObject({ stage: 'street', verdict: 'sooner' });
    expect(byCase.get(recorded.streetEscalated)?.escalation.byMs).toBeGreaterThanOrEqual(3 * 24 * 3600_000);
    expect(byCase.get(recorded.stillOpen)?.escalation).toMatchObject({ stage: 'handle', verdict: 'sooner' });
    expect(byCase.has(recorded.communityOnly)).toBe(false);
    expect(byCase.has(recorded.neverEscalated)).toBe(false);
    expect(report.totals.escalateSooner).toBeGreaterThanOrEqual(2);
    // Nothing real was touched by the what-if.
    expect((await caseOf(open[0])).case.deadlines.handle).toEqual(handleBefore.get(open[0]));

    const last = await http()
      .post('/api/v1/rules/what-if')
      .set(as('designer'))
      .send({ draftId: draft.id, sample: { last: 3 } })
      .expect(202);
    expect((await finished(last.body.jobId)).progress).toEqual({ done: 3, total: 3 });

    // Publish for the district, with a reason.
    const reason = '区政府通知：街道协调委员会时限缩短为2个工作日，噪声投诉5个工作日办结';
    const version = await http()
      .post(`/api/v1/rules/drafts/${draft.id}/publish`)
      .set(as('designer'))
      .send({ reason, scope: { cityId: 'city-demo', districtId: 'd-xishan' } })
      .expect(201);
    const label = version.body.label as string;
    expect(label).toMatch(/^beijing@([2-9]|\d\d+)$/);
    const published = await http().get('/api/v1/rules/published?districtId=d-xishan').set(as('auditor')).expect(200);
    expect(published.body.label).toBe(label);

    // Migrate the district's open cases; the handler cannot, the designer can.
    const migration = { toVersion: label, filter: { districtId: 'd-xishan' }, reason };
    await http().post('/api/v1/rules/migrations').set(as('handler')).send(migration).expect(403);
    const moved = await http().post('/api/v1/rules/migrations').set(as('designer')).send(migration).expect(201);
    expect(moved.body).toMatchObject({ status: 'finished', toVersion: label, reason });
    expect(moved.body.matched).toBe(moved.body.moved + moved.body.skipped.length);
    expect(moved.body.moved).toBeGreaterThanOrEqual(2);
    expect(moved.body.skipped).toContainEqual(
      expect.objectContaining({ caseNo: recorded.stillOpen, code: 'no-workflow' }),
    );
    expect(moved.body.skipped.map((skip: Json) => skip.caseNo)).not.toEqual(expect.arrayContaining([open[0]]));

    const designerId = (await pg.query(`SELECT id FROM users WHERE username = 'designer'`)).rows[0].id as string;
    for (const caseNo of open) {
      // The pending handling deadline is laid again from dispatch under 5WD: sooner than before.
      await eventually(async () => {
        const view = await caseOf(caseNo);
        expect(view.case.rulesVersion).toBe(label);
        expect(view.workflow.state.rulesVersion).toBe(label);
        const before = handleBefore.get(caseNo)!;
        expect(view.case.deadlines.handle).toMatchObject({ duration: '5WD', from: before.from });
        expect(Date.parse(view.case.deadlines.handle.due)).toBeLessThan(Date.parse(before.due));
        expect(view.case.deadlines.sign.duration).toBe('1WD');
      });
      const events = await pg.query(
        `SELECT actor, detail FROM case_events WHERE case_no = $1 AND type = 'rules-migrated'`,
        [caseNo],
      );
      expect(events.rows).toEqual([
        {
          actor: expect.objectContaining({ userId: designerId, role: 'designer' }),
          detail: { toVersion: label, reason, recomputed: ['handle: 5WD'] },
        },
      ]);
    }

    // The migration is on the record for auditors; running it again moves nothing twice.
    const audit = await http().get(`/api/v1/rules/migrations/${moved.body.id}`).set(as('auditor')).expect(200);
    expect(audit.body).toMatchObject({
      requestedBy: { username: 'designer', role: 'designer', userId: designerId },
      reason,
      filter: { districtId: 'd-xishan' },
      moved: moved.body.moved,
    });
    const again = await http().post('/api/v1/rules/migrations').set(as('designer')).send(migration).expect(201);
    expect(again.body.skipped).toEqual(
      expect.arrayContaining(open.map((caseNo) => expect.objectContaining({ caseNo, code: 'already-on-version' }))),
    );

    // Archived: new cases of the district go back to the city's version; the migrated cases keep theirs.
    await http()
      .post(`/api/v1/rules/versions/${label}/archive`)
      .set(as('designer'))
      .send({ reason: '测试结束' })
      .expect(200);
    expect((await caseOf(open[1])).case.rulesVersion).toBe(label);
  });

  it('should predict the 三率 of the sampled cases under new weights and under a shorter sign limit', async () => {
    const sample = await seedScoredCases();
    const whatIf = async (change: (doc: Json) => void): Promise<Json> => {
      const draft = await newDraft({ fromVersion: 'beijing@1' });
      const doc = draft.document as Json;
      change(doc);
      await http().put(`/api/v1/rules/drafts/${draft.id}`).set(as('designer')).send({ document: doc }).expect(200);
      const started = await http()
        .post('/api/v1/rules/what-if')
        .set(as('designer'))
        .send({ draftId: draft.id, sample: sample.window })
        .expect(202);
      const job = await finished(started.body.jobId);
      expect(job.progress).toEqual({ done: 4, total: 4 });
      return job.report as Json;
    };
    // Under beijing@1 银杏街道 and 西山区 (the same four cases) have responded on time 3/4 (one contact after 30 h),
    // solved 3/4, satisfied 2/4: score 30 × 0.75 + 35 × 0.75 + 35 × 0.5 = 66.25; none has the 10 rated cases to rank.
    const rate = (numerator: number, denominator: number) => ({
      numerator,
      denominator,
      value: numerator / denominator,
    });
    const units = (change: Json) => [
      { unitId: 's-yinxing', unitKind: 'street', ...change },
      { unitId: 'd-xishan', unitKind: 'district', ...change },
    ];

    // Weights 50 / 25 / 25: 50 × 0.75 + 25 × 0.75 + 25 × 0.5 = 68.75; no case changes, only the scores.
    const weights = await whatIf((doc) => (doc.scoring.weights = { response: 50, resolution: 25, satisfaction: 25 }));
    expect(weights.cases).toEqual([]);
    expect(weights.scores).toMatchObject({
      policy: {
        before: { rulesVersion: 'beijing@1', weights: { response: 30, resolution: 35, satisfaction: 35 } },
        after: { weights: { response: 50, resolution: 25, satisfaction: 25 }, minSample: 10, bottomN: 10 },
      },
      cases: 4,
      months: [
        {
          month: sample.month,
          cases: 4,
          units: units({ score: { before: 66.25, after: 68.75 } }),
          bottom: { entering: [], leaving: [] },
        },
      ],
      unitsChanged: 2,
      leftOut: [],
    });

    // Signing within 2 hours instead of 1 working day: the case signed after 3 hours becomes late, response 2/4,
    // score 30 × 0.5 + 35 × 0.75 + 35 × 0.5 = 58.75.
    const sign = await whatIf((doc) => (category(doc, 'garbage-sorting').deadlines.normal.sign = 'PT2H'));
    expect(sign.cases.find((entry: Json) => entry.caseNo === sample.signedLate)?.response).toEqual({
      before: 'on-time',
      after: 'late',
    });
    expect(sign.totals.responseOnTime).toEqual({ before: 3, after: 2 });
    expect(sign.scores.months).toEqual([
      {
        month: sample.month,
        cases: 4,
        units: units({ response: { before: rate(3, 4), after: rate(2, 4) }, score: { before: 66.25, after: 58.75 } }),
        bottom: { entering: [], leaving: [] },
      },
    ]);
  });

  /** Polls a what-if job until it is done (or fails the test). */
  async function finished(jobId: string): Promise<Json> {
    let job: Json = {};
    await eventually(async () => {
      job = (await http().get(`/api/v1/rules/what-if/${jobId}`).set(as('auditor')).expect(200)).body as Json;
      expect(job.status).toBe('done');
    });
    return job;
  }

  /**
   * Recorded cases of about a month ago, written straight into `cases` and `case_events` (a real case takes weeks to
   * climb the ladder): one that climbed from the community to the street committee and on to the district, one that
   * stopped at the community committee, one that never escalated, all closed; and one still open (with no workflow)
   * that climbed to the community committee when its handling deadline passed.
   */
  async function seedRecordedCases() {
    const day = 24 * 3600_000;
    // A Monday about five weeks ago, 10:00 in Beijing (02:00 UTC).
    const monday = new Date(Date.now() - 35 * day);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    monday.setUTCHours(2, 0, 0, 0);
    const at = (days: number) => new Date(monday.getTime() + days * day);
    const serial = 900_000 + Math.floor(Math.random() * 90_000);
    const caseNo = (n: number) => formatCaseNo(monday, serial + n);
    // Each climb when the deadline before it passed, as the workflow would have: 7WD to handle, then 3WD on the
    // community committee, 5WD on the street committee (beijing@1).
    const calendar = buildDefaultCalendar();
    const climbs = (levels: string[]) => {
      let from = monday;
      return levels.map((level, i) => {
        from = addDuration(calendar, from, ['7WD', '3WD', '5WD'][i]).due;
        return { level, at: from, reason: i === 0 ? 'handle deadline passed' : 'escalation deadline passed' };
      });
    };
    const cases = [
      { n: 1, category: 'garbage-sorting', climbs: climbs(['community', 'street', 'district']), closed: at(30) },
      { n: 2, category: 'garbage-sorting', climbs: climbs(['community']), closed: at(11) },
      { n: 3, category: 'garbage-sorting', climbs: [], closed: at(3) },
      { n: 4, category: 'noise-nuisance', climbs: climbs(['community']), closed: undefined },
    ];
    for (const recorded of cases) {
      const no = caseNo(recorded.n);
      seeded.push(no);
      const level = recorded.climbs.at(-1)?.level ?? 'none';
      await pg.query(
        `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
           community_id, street_id, district_id, rules_version, received_at, phase, lead_unit_id, responsible_unit_id,
           escalation_level, dispatched_at, signed_at, contacted_at, replied_at, closed_at)
         VALUES ($1, 'case-' || $1, 'complaint', $2, 'normal', 'hotline', $3, $4, '历史案件', 'c-songtao', 's-yinxing',
           'd-xishan', 'beijing@1', $5, $4, 's-yinxing', 's-yinxing', $6, $7, $8, $9, $10, $10)`,
        [
          no,
          recorded.category,
          recorded.closed ? 'closed' : 'open',
          recorded.closed ? 'closed' : 'handling',
          new Date(monday.getTime() - 3600_000),
          level,
          monday,
          at(0.1),
          at(0.2),
          recorded.closed ?? null,
        ],
      );
      const events = [
        { type: 'dispatched', at: monday, detail: { leadUnitId: 's-yinxing' } },
        ...recorded.climbs.map((climb) => ({
          type: 'escalated',
          at: climb.at,
          detail: { level: climb.level, unitId: `cc-${climb.level}`, reason: climb.reason },
        })),
      ];
      for (const [i, event] of events.entries()) {
        await pg.query(`INSERT INTO case_events (case_no, seq, type, at, detail) VALUES ($1, $2, $3, $4, $5)`, [
          no,
          i + 1,
          event.type,
          event.at,
          JSON.stringify(event.detail),
        ]);
      }
    }
    return {
      window: { from: at(-2).toISOString(), to: at(2).toISOString() },
      streetEscalated: caseNo(1),
      communityOnly: caseNo(2),
      neverEscalated: caseNo(3),
      stillOpen: caseNo(4),
    };
  }

  /**
   * Four closed garbage-sorting cases of 银杏街道, written straight into `cases` and `case_events` as the workflow
   * would have: dispatched on a Monday about ten weeks ago at 10:00 in Beijing, each signed, contacted and called back
   * (signed after 1 h or 3 h, contacted after 2 h, 4 h or 30 h). They are received within one second of a random
   * instant, so the sample holds them alone.
   */
  async function seedScoredCases() {
    const day = 24 * 3600_000;
    const monday = new Date(Date.now() - 70 * day);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    monday.setUTCHours(2, 0, 0, 0);
    const receivedAt = new Date(monday.getTime() - 3 * 3600_000 + Math.floor(Math.random() * 3600_000));
    const after = (hours: number) => new Date(monday.getTime() + hours * 3600_000);
    const serial = 700_000 + Math.floor(Math.random() * 90_000);
    const cases = [
      { sign: 1, contact: 2, solved: true, satisfaction: 'very-satisfied', outcome: 'satisfied' },
      { sign: 3, contact: 4, solved: true, satisfaction: 'satisfied', outcome: 'satisfied' },
      { sign: 1, contact: 30, solved: false, satisfaction: 'dissatisfied', outcome: 'accountability' },
      { sign: 1, contact: 2, solved: true, satisfaction: 'dissatisfied', outcome: 'accountability' },
    ];
    const numbers: string[] = [];
    for (const [i, recorded] of cases.entries()) {
      const no = formatCaseNo(monday, serial + i);
      numbers.push(no);
      seeded.push(no);
      const [signed, contacted, replied, calledBack] = [recorded.sign, recorded.contact, 72, 96].map(after);
      await pg.query(
        `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
           community_id, street_id, district_id, rules_version, received_at, phase, lead_unit_id, responsible_unit_id,
           outcome, dispatched_at, signed_at, contacted_at, replied_at, called_back_at, closed_at)
         VALUES ($1, 'case-' || $1, 'complaint', 'garbage-sorting', 'normal', 'hotline', 'closed', 'closed', '历史案件',
           'c-songtao', 's-yinxing', 'd-xishan', 'beijing@1', $2, 'closed', 's-yinxing', 's-yinxing', $3, $4, $5, $6,
           $7, $8, $8)`,
        [no, receivedAt, recorded.outcome, monday, signed, contacted, replied, calledBack],
      );
      const events = [
        { type: 'dispatched', at: monday, detail: { leadUnitId: 's-yinxing', coUnitIds: [], copyUnitIds: [] } },
        { type: 'signed', at: signed, detail: {} },
        { type: 'contacted', at: contacted, detail: { note: '已联系' } },
        { type: 'replied', at: replied, detail: { result: 'solved' } },
        {
          type: 'called-back',
          at: calledBack,
          detail: { solved: recorded.solved, satisfaction: recorded.satisfaction },
        },
        { type: 'closed', at: calledBack, detail: { outcome: recorded.outcome, flagged: false } },
      ];
      for (const [seq, event] of events.entries()) {
        await pg.query(`INSERT INTO case_events (case_no, seq, type, at, detail) VALUES ($1, $2, $3, $4, $5)`, [
          no,
          seq + 1,
          event.type,
          event.at,
          JSON.stringify(event.detail),
        ]);
      }
    }
    return {
      window: { from: receivedAt.toISOString(), to: new Date(receivedAt.getTime() + 1000).toISOString() },
      month: monthOf(monday),
      signedLate: numbers[1],
    };
  }
});
