import { bearer, handlerOf } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';
import { noiseComplaintBody } from '../support/case-fixtures';

/**
 * A case whose whistle round ended (the department reported, resulted and was rated) and which was replied at once:
 * what `npm run bench:day` does to one case in five. Replying must not fail on the finished round: the case asks its
 * open rounds to close when it leaves handling, and a round its rating has just completed may not have told the case
 * yet (the signal then finds no workflow; it failed the reply with a 500 before). Five cases, since the race is
 * lost only sometimes; plus an extension alone, and a round ended before an extension.
 */
describe('a whistle round finished just before the case leaves handling', () => {
  const DEPARTMENT = 'dept-urban-management';
  const USERS = { operator: 'operator', street: handlerOf('s-hubin'), urban: handlerOf(DEPARTMENT) };
  type Who = keyof typeof USERS;
  let stack: TestStack<Who>;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-whistle-extension', scratch: true, seed: true, users: USERS });
  });

  afterAll(() => stack?.stop());

  const act = (who: Who, caseNo: string, path: string, body: object = {}) =>
    stack.http().post(`/api/v1/cases/${caseNo}/${path}`).set(bearer(stack.tokens[who])).send(body);

  /** The action, tried again while the case answers 409 (it has not caught up with the round yet). */
  const settle = (who: Who, caseNo: string, path: string, body: object = {}) =>
    eventually(async () => {
      const answer = await act(who, caseNo, path, body);
      expect(answer.status).not.toBe(409);
      return answer;
    });

  it.each([1, 2, 3, 4, 5])('should reply right after the rating that ends the round (run %i)', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => expect((await act('street', caseNo, 'sign')).status).toBe(200));
    await act('street', caseNo, 'contact', { note: '已电话联系' }).expect(200);
    await act('street', caseNo, 'whistle', { departmentIds: [DEPARTMENT], grade: 'blue', reason: '需执法配合' }).expect(
      200,
    );
    expect((await settle('urban', caseNo, 'whistle-rounds/1/report', { note: '已到场' })).status).toBe(200);
    await act('urban', caseNo, 'whistle-rounds/1/result', { summary: '已处置' }).expect(200);
    await act('street', caseNo, 'whistle-rounds/1/ratings', { departmentId: DEPARTMENT, score: 5 }).expect(200);
    const replied = await act('street', caseNo, 'reply', { result: 'solved', summary: '已处理' });
    expect({ status: replied.status, body: replied.status === 200 ? undefined : replied.body }).toEqual({
      status: 200,
      body: undefined,
    });
    await act('operator', caseNo, 'review', { accepted: true }).expect(200);
    const closed = await act('operator', caseNo, 'callback', {
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    });
    expect(closed.body.status).toBe('closed');
    // The round's own result reached the case: completed, not closed by the case.
    const rounds = closed.body.lifecycle.whistleRounds as { round: number; status: string }[];
    expect(rounds.map(({ round, status }) => ({ round, status }))).toEqual([{ round: 1, status: 'completed' }]);
  });

  it('should reply after an extension alone', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => expect((await act('street', caseNo, 'sign')).status).toBe(200));
    await act('street', caseNo, 'contact', { note: '已电话联系' }).expect(200);
    await act('street', caseNo, 'extension-request', { workingDays: 3, reason: '等待整改' }).expect(200);
    await act('operator', caseNo, 'extension-decision', { approved: true, reason: '同意' }).expect(200);
    const replied = await act('street', caseNo, 'reply', { result: 'solved', summary: '已处理' });
    expect({ status: replied.status, body: replied.status === 200 ? undefined : replied.body }).toEqual({
      status: 200,
      body: undefined,
    });
  });

  it('should reply, review and close a case whose round ended before its extension', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    await eventually(async () => expect((await act('street', caseNo, 'sign')).status).toBe(200));
    await act('street', caseNo, 'contact', { note: '已电话联系' }).expect(200);
    await act('street', caseNo, 'whistle', { departmentIds: [DEPARTMENT], grade: 'blue', reason: '需执法配合' }).expect(
      200,
    );
    expect((await settle('urban', caseNo, 'whistle-rounds/1/report', { note: '已到场' })).status).toBe(200);
    await act('urban', caseNo, 'whistle-rounds/1/result', { summary: '已处置' }).expect(200);
    await act('street', caseNo, 'whistle-rounds/1/ratings', { departmentId: DEPARTMENT, score: 5 }).expect(200);
    await act('street', caseNo, 'extension-request', { workingDays: 3, reason: '等待整改' }).expect(200);
    await act('operator', caseNo, 'extension-decision', { approved: true, reason: '同意' }).expect(200);
    const replied = await act('street', caseNo, 'reply', { result: 'solved', summary: '已处理' });
    expect({ status: replied.status, body: replied.status === 200 ? undefined : replied.body }).toEqual({
      status: 200,
      body: undefined,
    });
    await act('operator', caseNo, 'review', { accepted: true }).expect(200);
    const closed = await act('operator', caseNo, 'callback', {
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
  });
});
