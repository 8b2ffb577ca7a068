import { auditHash, AuditRowContent, canonicalJson, GENESIS_HASH, sha256Hex } from './canonical';

describe('canonicalJson', () => {
  it.each([
    ['null', null, 'null'],
    ['a string with quotes and CJK', '他说"好"', '"他说\\"好\\""'],
    ['an integer', 42, '42'],
    ['a fraction', 0.1, '0.1'],
    ['a boolean', false, 'false'],
    ['an empty object', {}, '{}'],
    ['an array in its own order', [3, 1, 2], '[3,1,2]'],
    ['an object with keys sorted', { b: 1, a: 2, A: 3 }, '{"A":3,"a":2,"b":1}'],
    ['nested objects sorted at every level', { z: { y: 1, x: [{ b: 1, a: 0 }] } }, '{"z":{"x":[{"a":0,"b":1}],"y":1}}'],
    ['undefined members dropped', { a: undefined, b: null }, '{"b":null}'],
    ['a Date as its ISO string', new Date('2026-11-23T02:00:00.000Z'), '"2026-11-23T02:00:00.000Z"'],
  ])('should write %s deterministically', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('should give the same text whatever order the keys were built in (as jsonb reorders them)', () => {
    const built = { reason: '噪声', actor: { unitId: 's-hubin', userId: 'u1', role: 'handler' }, level: 2 };
    const stored = JSON.parse(
      JSON.stringify({ level: 2, actor: { role: 'handler', userId: 'u1', unitId: 's-hubin' }, reason: '噪声' }),
    );
    expect(canonicalJson(stored)).toBe(canonicalJson(built));
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['undefined at the top', undefined],
    ['undefined inside an array', [1, undefined]],
    ['a bigint', BigInt(1)],
    ['a Map', new Map()],
    ['a function', () => 1],
  ])('should refuse %s, which JSON cannot carry faithfully', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

describe('auditHash', () => {
  const row: AuditRowContent = {
    id: '1',
    at: '2026-11-23T02:00:00.000Z',
    recordedAt: '2026-11-23T02:00:00.010Z',
    actor: { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' },
    action: 'signed',
    subjectKind: 'case',
    subjectId: '20261123000001',
    caseNo: '20261123000001',
    caseSeq: 1,
    before: { phase: 'awaiting-sign' },
    after: { phase: 'handling' },
    reason: null,
    source: 'case-event',
    eventRef: '20261123000001/case/2',
    updateId: 'u-1',
  };

  it('should be the SHA-256 of the canonical {v, chain, prev, row}', () => {
    expect(auditHash('global', GENESIS_HASH, row)).toBe(
      sha256Hex(canonicalJson({ v: 1, chain: 'global', prev: GENESIS_HASH, row })),
    );
    expect(auditHash('global', GENESIS_HASH, row)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should differ between the global and the case chain for the same row and previous hash', () => {
    expect(auditHash('global', GENESIS_HASH, row)).not.toBe(auditHash('case', GENESIS_HASH, row));
  });

  it.each<[string, Partial<AuditRowContent>]>([
    ['id', { id: '2' }],
    ['at', { at: '2026-11-23T02:00:00.001Z' }],
    ['actor', { actor: { userId: 'u-other', role: 'handler', unitId: 's-hubin' } }],
    ['action', { action: 'returned' }],
    ['before', { before: { phase: 'handling' } }],
    ['after', { after: { phase: 'closed' } }],
    ['reason', { reason: '补' }],
    ['updateId', { updateId: null }],
    ['caseSeq', { caseSeq: 2 }],
  ])('should change when %s changes', (_field, change) => {
    expect(auditHash('global', GENESIS_HASH, { ...row, ...change })).not.toBe(auditHash('global', GENESIS_HASH, row));
  });

  it('should change with the previous hash', () => {
    expect(auditHash('case', 'f'.repeat(64), row)).not.toBe(auditHash('case', GENESIS_HASH, row));
  });
});
