import { randomUUID } from 'node:crypto';
import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/**
 * Scope before state: for a caller outside a case's scope (a handler of a department the case does not concern),
 * every case and task route answers exactly what it answers for a case number (or task id) that does not exist —
 * whatever the case's stage — so neither 403 nor 409 tells them that the case exists or where it stands. And an
 * action's arguments are refused all at once, each problem naming its field.
 */
describe('scope before state', () => {
  let stack: TestStack<'lead' | 'outsider'>;
  /** Cases of 湖滨街道 (lead) in two stages: awaiting signature, and signed (handling). */
  let awaitingSign: string;
  let handling: string;
  let signTask: string;
  /** A case number no case has (a valid format). */
  const unknownCase = '20991231999999';

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-case-scope',
      users: { lead: handlerOf('s-hubin'), outsider: handlerOf('dept-housing') },
    });
    awaitingSign = await newCase();
    signTask = await taskOf(awaitingSign, 'sign');
    handling = await newCase();
    await taskOf(handling, 'sign');
    await stack.http().post(`/api/v1/cases/${handling}/sign`).set(bearer(stack.tokens.lead)).expect(200);
  });
  afterAll(() => stack?.stop());

  async function newCase(): Promise<string> {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    return created.body.caseNo as string;
  }

  const taskOf = (caseNo: string, step: string) =>
    eventually(async () => {
      const { rows } = await stack.pg.query<{ id: string }>(
        `SELECT id FROM tasks WHERE case_no = $1 AND step = $2 AND status <> 'closed'`,
        [caseNo, step],
      );
      if (!rows[0]) throw new Error(`no ${step} task of ${caseNo} yet`);
      return rows[0].id;
    });

  /** Every case route the outsider's role passes the guard of, with a valid body. */
  const CASE_ROUTES: { method: 'get' | 'post'; path: string; body?: object }[] = [
    { method: 'get', path: '' },
    { method: 'post', path: '/sign' },
    { method: 'post', path: '/return', body: { reason: '不属本辖区' } },
    { method: 'post', path: '/contact', body: { note: '已联系' } },
    { method: 'post', path: '/extension-request', body: { workingDays: 3, reason: '需协调' } },
    { method: 'post', path: '/suspend', body: { reason: '等待市民' } },
    { method: 'post', path: '/resume', body: { reason: '市民已回复' } },
    {
      method: 'post',
      path: '/whistle',
      body: { departmentIds: ['dept-urban-management'], grade: 'blue', reason: '执法' },
    },
    { method: 'post', path: '/escalate', body: { reason: '需协调' } },
    { method: 'post', path: '/reply', body: { result: 'solved', summary: '已解决' } },
    { method: 'post', path: '/whistle-rounds/1/report', body: { note: '已到场' } },
    { method: 'post', path: '/whistle-rounds/1/result', body: { summary: '已处理' } },
    { method: 'post', path: '/whistle-rounds/1/ratings', body: { departmentId: 'dept-housing', score: 4 } },
  ];

  async function answer(method: 'get' | 'post', path: string, body?: object) {
    const request = stack.http()[method](path).set(bearer(stack.tokens.outsider));
    const response = await (body ? request.send(body) : request);
    return { status: response.status, body: response.body as { message?: string } };
  }

  it.each(CASE_ROUTES.map((route) => [`${route.method.toUpperCase()} …/cases/:caseNo${route.path}`, route] as const))(
    'should answer %s for another unit’s case in any stage exactly as for an unknown case number',
    async (_name, { method, path, body }) => {
      const unknown = await answer(method, `/api/v1/cases/${unknownCase}${path}`, body);
      expect(unknown.status).toBe(404);
      for (const caseNo of [awaitingSign, handling]) {
        const existing = await answer(method, `/api/v1/cases/${caseNo}${path}`, body);
        expect({ status: existing.status, body: existing.body }).toEqual({
          status: 404,
          body: { ...unknown.body, message: unknown.body.message?.replace(unknownCase, caseNo) },
        });
      }
    },
  );

  it.each([
    ['claim', undefined],
    ['unclaim', undefined],
    ['reassign', { username: handlerOf('dept-housing') }],
    ['actions/sign', {}],
  ] as const)(
    'should answer POST /tasks/:id/%s on another unit’s task exactly as on an unknown task',
    async (path, body) => {
      const unknownTask = randomUUID();
      const unknown = await answer('post', `/api/v1/tasks/${unknownTask}/${path}`, body);
      expect(unknown.status).toBe(404);
      const existing = await answer('post', `/api/v1/tasks/${signTask}/${path}`, body);
      expect({ status: existing.status, body: existing.body }).toEqual({
        status: 404,
        body: { ...unknown.body, message: unknown.body.message?.replace(unknownTask, signTask) },
      });
    },
  );

  it('should still let the lead unit act on its own case', async () => {
    const response = await stack
      .http()
      .post(`/api/v1/cases/${handling}/contact`)
      .set(bearer(stack.tokens.lead))
      .send({ note: '已电话联系' });
    expect(response.status).toBe(200);
  });

  it('should report every bad field of a whistle in one 400', async () => {
    const response = await stack
      .http()
      .post(`/api/v1/cases/${handling}/whistle`)
      .set(bearer(stack.tokens.lead))
      .send({ departmentIds: ['s-hubin', 'dept-housing'], grade: 'purple', reason: '   ' });
    expect(response.status).toBe(400);
    const details = response.body.details as { field: string; rule: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'reason', rule: 'notEmpty' }),
        expect.objectContaining({ field: 'grade', rule: 'oneOf' }),
        expect.objectContaining({ field: 'departmentIds[0]', rule: 'department' }),
        expect.objectContaining({ field: 'departmentIds[0]', rule: 'notSelf' }),
      ]),
    );
  });
});
