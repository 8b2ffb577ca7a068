import { randomUUID } from 'node:crypto';
import { bearer } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/** `/metrics` scraped as Prometheus does, after real traffic through the API. */
describe('metrics', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-metrics', users: { operator: 'operator' } });
  });

  afterAll(() => stack?.stop());

  it('should expose HTTP, intake, case, outbox and lag series in the Prometheus text format', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    await stack.http().get(`/api/v1/cases/${created.body.caseNo}`).set(bearer(stack.tokens.operator)).expect(200);
    await stack.http().get('/ready');
    const scraped = await stack.http().get('/metrics').expect(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
    const text = scraped.text;
    expect(text).toMatch(
      /shaosheng_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/cases",status="201"\} \d+/,
    );
    expect(text).toMatch(
      /shaosheng_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/cases\/:caseNo",status="200"\}/,
    );
    expect(text).toMatch(/shaosheng_intake_total\{outcome="started"\} [1-9]\d*/);
    // The case's projection row is written by the worker shortly after the POST.
    await eventually(async () =>
      expect((await stack.http().get('/metrics').expect(200)).text).toMatch(
        /shaosheng_open_cases\{stage="[a-z-]+"\} [1-9]\d*/,
      ),
    );
    for (const series of [
      'shaosheng_overdue_tasks',
      'shaosheng_outbox_backlog',
      'shaosheng_outbox_oldest_seconds',
      'shaosheng_intake_pending_oldest_seconds',
      'shaosheng_projection_lag_seconds',
      'shaosheng_workflow_task_backlog',
      'shaosheng_live_pollers',
    ]) {
      expect(text).toMatch(new RegExp(`^${series} \\d+(\\.\\d+)?$`, 'm'));
    }
    expect(text).toMatch(/# TYPE shaosheng_supervised_cases gauge/);
  });

  it('should count unresolved incidents by step, leaving resolved ones out', async () => {
    // Rows of a case of this test only (the database is the tier's shared one), removed again at the end.
    const caseNo = `METRICS-${randomUUID()}`;
    const step = `metrics-probe-${randomUUID().slice(0, 8)}`;
    const insert = (key: string, status: string) =>
      stack.pg.query(
        `INSERT INTO incidents (case_no, workflow_id, incident_key, step, error_type, message, status)
         VALUES ($1, $2, $3, $4, 'MirrorRejected', 'probe', $5)`,
        [caseNo, `case-${caseNo}`, key, step, status],
      );
    try {
      await insert('a', 'open');
      await insert('b', 'retrying');
      await insert('c', 'resolved');
      const text = (await stack.http().get('/metrics').expect(200)).text;
      expect(text).toMatch(/# TYPE shaosheng_open_incidents gauge/);
      expect(text).toMatch(new RegExp(`^shaosheng_open_incidents\\{step="${step}"\\} 2$`, 'm'));
      await stack.pg.query(`UPDATE incidents SET status = 'resolved' WHERE case_no = $1`, [caseNo]);
      const after = (await stack.http().get('/metrics').expect(200)).text;
      expect(after).not.toContain(`step="${step}"`);
    } finally {
      await stack.pg.query(`DELETE FROM incidents WHERE case_no = $1`, [caseNo]);
    }
  });
});
