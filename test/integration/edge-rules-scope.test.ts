import { bearer } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';

/**
 * A scope is never left without a published version: archiving the city's only one is refused, so
 * `/rules/published` and intake (which pins the governing version on every new case) keep agreeing.
 */
describe('archiving the last published version of a scope', () => {
  let stack: TestStack<'designer' | 'auditor'>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-edge-rules-scope',
      scratch: true,
      seed: true,
      worker: false,
      users: { designer: 'designer', auditor: 'auditor' },
    });
  });
  afterAll(() => stack?.stop());

  it('should refuse with 409 naming the rule, and keep the version published', async () => {
    const before = await stack.http().get('/api/v1/rules/published').set(bearer(stack.tokens.auditor)).expect(200);
    const label = before.body.label as string;

    const refused = await stack
      .http()
      .post(`/api/v1/rules/versions/${label}/archive`)
      .set(bearer(stack.tokens.designer))
      .send({ reason: '试图下线唯一版本' });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'Conflict',
      message: expect.stringContaining(label),
      details: [{ field: 'label', rule: 'last-of-scope', message: expect.stringContaining('publish another') }],
    });

    const after = await stack.http().get('/api/v1/rules/published').set(bearer(stack.tokens.auditor)).expect(200);
    expect(after.body.label).toBe(label);
    const stored = await stack.pg.query(`SELECT archived_at FROM process_versions WHERE label = $1`, [label]);
    expect(stored.rows).toEqual([{ archived_at: null }]);
  });
});
