import {
  decodeCursor,
  encodeCursor,
  escapeLike,
  InboxFilter,
  inboxPageSql,
  inboxPageSqlFor,
  SEARCH_FETCH_CAP,
  Sql,
} from './inbox-query';
import { actionsForStep, isTaskAction } from './task-actions';

const base: InboxFilter = { unitId: 's-hubin', sort: 'due_at', order: 'asc', limit: 20 };

describe('inbox cursors', () => {
  it('should round-trip a position with its sort and order, exact to the microsecond', () => {
    const cursor = {
      sort: 'due_at' as const,
      order: 'desc' as const,
      key: '2026-11-23 10:00:00.123456+00',
      id: '0b5c1f0e-6a43-4f7e-9d0e-2b1f6d1c2a3b',
    };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ ...cursor, key: 'infinity' }))?.key).toBe('infinity');
  });

  it.each([
    ['not base64', '!!!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    [
      'an unknown sort',
      Buffer.from(JSON.stringify({ s: 'id', o: 'asc', k: 'infinity', i: 'x' })).toString('base64url'),
    ],
    [
      'a key that is not a timestamp',
      Buffer.from(
        JSON.stringify({ s: 'due_at', o: 'asc', k: "1'; DROP TABLE tasks", i: '0b5c1f0e-6a43-4f7e-9d0e-2b1f6d1c2a3b' }),
      ).toString('base64url'),
    ],
    [
      'an id that is not a UUID',
      Buffer.from(JSON.stringify({ s: 'due_at', o: 'asc', k: 'infinity', i: '42' })).toString('base64url'),
    ],
  ])('should refuse %s', (_what, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});

describe('inboxPageSql', () => {
  it('should list open and claimed tasks by the partial indexes’ predicate, due date first, one row extra', () => {
    const { text, values } = inboxPageSql(base);
    expect(text).toContain(`t.status <> 'closed'`);
    expect(text).toMatch(/ORDER BY COALESCE\(t\.due_at, 'infinity'::timestamptz\) ASC, t\.id ASC\s+LIMIT \$2/);
    expect(values).toEqual(['s-hubin', 21]);
  });

  it('should continue after the cursor position in the direction of the order', () => {
    const after = { key: '2026-11-23 10:00:00+00', id: '0b5c1f0e-6a43-4f7e-9d0e-2b1f6d1c2a3b' };
    const { text, values } = inboxPageSql({ ...base, sort: 'created_at', order: 'desc', after });
    expect(text).toContain('(t.created_at, t.id) < ($2::timestamptz, $3::uuid)');
    expect(text).toContain('ORDER BY t.created_at DESC, t.id DESC');
    expect(values).toEqual(['s-hubin', after.key, after.id, 21]);
  });

  it('should bind every filter value as a parameter, the status as a literal from its list', () => {
    const { text, values } = inboxPageSql({
      ...base,
      status: 'claimed',
      role: 'handler',
      step: 'handle',
      category: 'noise-nuisance',
      escalationLevel: 'street',
      overdue: true,
      dueBefore: '2026-11-30T10:00:00Z',
    });
    expect(text).toContain(`t.status = 'claimed'`);
    expect(text).toContain(`COALESCE(t.due_at, 'infinity'::timestamptz) < $7::timestamptz`);
    expect(values).toEqual([
      's-hubin',
      'handler',
      'handle',
      'noise-nuisance',
      'street',
      true,
      '2026-11-30T10:00:00Z',
      21,
    ]);
    expect(() => inboxPageSql({ ...base, status: "open' OR 1=1 --" as never })).toThrow(/unknown status/);
  });

  it('should search digits as a case-number prefix and other text as a literal address substring', () => {
    expect(inboxPageSql({ ...base, q: '20261123' }).values).toContain('20261123%');
    expect(inboxPageSql({ ...base, q: '50%_路' }).values).toContain('%50\\%\\_路%');
    expect(escapeLike('a\\b')).toBe('a\\\\b');
  });
});

describe('inboxPageSqlFor', () => {
  const answering =
    (rows: unknown[]) =>
    async <T>(_sql: Sql): Promise<T[]> =>
      rows as T[];

  it('should read and sort the few tasks of a selective case-number prefix, walk the inbox for a common one', async () => {
    const few = await inboxPageSqlFor({ ...base, q: '2026112300001' }, answering([{ n: 3 }]));
    expect(few.text).toMatch(/OFFSET 0\) m\s+ORDER BY m\.sort_at ASC/);
    const many = await inboxPageSqlFor({ ...base, q: '2026' }, answering([{ n: SEARCH_FETCH_CAP + 1 }]));
    expect(many.text).not.toContain('OFFSET 0');
  });

  it('should look an address up by trigram first and read only the matching cases, unless there are too many', async () => {
    const few = await inboxPageSqlFor({ ...base, q: '湖滨路' }, answering([{ case_no: '20261123000001' }]));
    expect(few.text).toContain('t.case_no = ANY($2::text[])');
    expect(few.values).toContainEqual(['20261123000001']);
    const rows = Array.from({ length: SEARCH_FETCH_CAP + 1 }, (_, i) => ({ case_no: String(i) }));
    const many = await inboxPageSqlFor({ ...base, q: '湖滨路' }, answering(rows));
    expect(many.text).toContain('c.address ILIKE $2');
  });

  it('should issue no look-up without a text search', async () => {
    const query = jest.fn();
    await inboxPageSqlFor(base, query);
    expect(query).not.toHaveBeenCalled();
  });
});

describe('task actions', () => {
  it.each([
    ['sign', ['sign', 'return']],
    ['handle', ['reply', 'extension-request', 'suspend', 'whistle', 'escalate', 'return']],
    ['review', ['review']],
    ['callback', ['callback']],
    ['coordinate-street', ['coordinate']],
    ['whistle-report', ['report']],
    ['whistle-result', ['result']],
    ['whistle-rating', ['rate']],
    ['unknown-step', []],
  ])('should let a %s task take %j', (step, actions) => {
    expect(actionsForStep(step)).toEqual(actions);
  });

  it('should know the case actions by their URL names only', () => {
    expect(isTaskAction('extension-request')).toBe(true);
    expect(isTaskAction('requestExtension')).toBe(false);
    expect(isTaskAction('toString')).toBe(false);
  });
});
