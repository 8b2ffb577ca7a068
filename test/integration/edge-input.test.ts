import { bearer, handlerOf } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';

/**
 * Bad input stops at the HTTP edge: text PostgreSQL cannot hold (NUL, lone surrogates), bodies over the size limit
 * and JSON nested beyond 32 levels get a 400 or 413 naming the field and the rule, in the API's one error shape,
 * never a 500. No worker: nothing here may reach a workflow.
 */
describe('bad input at the HTTP edge', () => {
  let stack: TestStack<'operator' | 'handler'>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-edge-input',
      worker: false,
      users: { operator: 'operator', handler: handlerOf('s-hubin') },
    });
  });
  afterAll(() => stack?.stop());

  const intake = (overrides: Record<string, unknown> = {}) => ({
    kind: 'complaint',
    category: 'noise-nuisance',
    channel: 'hotline',
    description: '施工噪声扰民',
    address: '示范市东湖区花园路1号',
    citizen: { name: '王小明', phone: '13800138000' },
    place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    ...overrides,
  });

  /** Posts raw JSON text, so escapes like `\ud800` (a lone surrogate) reach the server as they are. */
  const postRaw = (path: string, json: string, token?: string) => {
    const call = stack.http().post(path).set('Content-Type', 'application/json');
    return (token ? call.set(bearer(token)) : call).send(json);
  };

  const textProblem = (field: string) => ({
    error: 'ValidationFailed',
    message: expect.any(String),
    details: [{ field, rule: 'text-characters', message: expect.stringContaining(field) }],
  });

  it('should refuse a NUL in an intake description with 400 naming the field', async () => {
    const response = await stack
      .http()
      .post('/api/v1/cases')
      .set(bearer(stack.tokens.operator))
      .send(intake({ description: '噪声\u0000扰民' }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(textProblem('description'));
  });

  it('should refuse a lone surrogate in a nested intake field with 400 naming its path', async () => {
    const json = JSON.stringify(intake()).replace('王小明', '王\\ud800');
    const response = await postRaw('/api/v1/cases', json, stack.tokens.operator);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(textProblem('citizen.name'));
  });

  it('should refuse a NUL in a login username with 400, not 500', async () => {
    const response = await stack.http().post('/api/v1/auth/login').send({ username: 'op\u0000', password: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(textProblem('username'));
  });

  it('should refuse a NUL in a query string with 400 naming the query field', async () => {
    const response = await stack.http().get('/api/v1/tasks?q=a%00b').set(bearer(stack.tokens.handler));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(textProblem('q'));
  });

  it("should refuse a NUL in a case action's note before it reaches the workflow", async () => {
    const response = await stack
      .http()
      .post('/api/v1/cases/20260101000001/contact')
      .set(bearer(stack.tokens.handler))
      .send({ note: '已联系\u0000' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(textProblem('note'));
  });

  it('should refuse a NUL in a path parameter by its name', async () => {
    const response = await stack.http().get('/api/v1/cases/2026%00').set(bearer(stack.tokens.operator));
    expect(response.status).toBe(400);
    expect(response.body.details[0]).toMatchObject({ field: 'caseNo' });
  });

  it('should answer 413 PayloadTooLarge to an intake body over 100 KB', async () => {
    const response = await stack
      .http()
      .post('/api/v1/cases')
      .set(bearer(stack.tokens.operator))
      .send(intake({ description: '扰'.repeat(60_000) }));
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ error: 'PayloadTooLarge', message: expect.any(String), details: [] });
  });

  it.each([
    ['intake', '/api/v1/cases', 40],
    ['intake', '/api/v1/cases', 20_000],
    ['login', '/api/v1/auth/login', 40],
    ['a case action', '/api/v1/cases/20260101000001/return', 40],
  ])('should refuse %s (%s) nested %i levels deep with 400 naming the nesting rule', async (_, path, levels) => {
    const json = `{"reason":"x","extra":${'['.repeat(levels)}1${']'.repeat(levels)}}`;
    const response = await postRaw(path, json, stack.tokens.handler);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'ValidationFailed',
      message: expect.any(String),
      details: [{ field: 'body', rule: 'nesting', message: expect.stringContaining('32') }],
    });
  });

  it('should still accept emoji (surrogate pairs) and answer the ordinary validation of the DTO', async () => {
    const response = await stack
      .http()
      .post('/api/v1/cases/20260101000001/contact')
      .set(bearer(stack.tokens.handler))
      .send({ note: 5 });
    expect(response.status).toBe(400);
    expect(response.body.details).toContainEqual(expect.objectContaining({ field: 'note', rule: 'isString' }));
    const login = await stack.http().post('/api/v1/auth/login').send({ username: '用户😀', password: 'wrong' });
    expect(login.status).toBe(401);
  });
});
