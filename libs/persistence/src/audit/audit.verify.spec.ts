import { AuditEntry, AuditRow, SYSTEM_ACTOR } from './audit.types';
import { CaseChainCheck, earlierBreak, GlobalChainCheck } from './audit.verify';
import { ChainHeads, sealAuditEntries } from './audit.writer';
import { GENESIS_HASH } from './canonical';

const handler = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' };
const empty = (): ChainHeads => ({ globalHash: GENESIS_HASH, cases: new Map(), state: new Map() });

function entry(caseNo: string | undefined, action: string, after?: Record<string, unknown>, seq = 1): AuditEntry {
  return {
    at: '2026-11-23T02:00:00.000Z',
    actor: action === 'deadline-set' ? SYSTEM_ACTOR : handler,
    action,
    subject: caseNo ? { kind: 'case', id: caseNo } : { kind: 'calendar', id: 'cn-mainland' },
    ...(caseNo ? { caseNo } : {}),
    ...(after ? { after } : {}),
    source: caseNo ? 'case-event' : 'api',
    ...(caseNo ? { eventRef: `${caseNo}/case/${seq}` } : {}),
  };
}

/** Two cases interleaved and one entry of no case: ids 1..6. */
function sampleLog(): AuditRow[] {
  const entries = [
    entry('A', 'dispatched', { phase: 'awaiting-sign', leadUnitId: 's-hubin' }, 1),
    entry('B', 'dispatched', { phase: 'awaiting-sign', leadUnitId: 'dept-housing' }, 1),
    entry(undefined, 'calendar.day-added', { day: '2026-11-25' }),
    entry('A', 'signed', { phase: 'handling' }, 2),
    entry('A', 'escalated', { escalationLevel: 'community', responsibleUnitId: 'cc-c-xiyuan' }, 3),
    entry('B', 'signed', { phase: 'handling' }, 2),
  ];
  return sealAuditEntries(entries, ['1', '2', '3', '4', '5', '6'], new Date('2026-11-23T02:00:01Z'), empty());
}

/** Both chains over `rows` (stored order for the global one, by case then case_seq for the case one). */
function verify(rows: AuditRow[], head = { lastId: rows[rows.length - 1].id, lastHash: rows[rows.length - 1].hash }) {
  const global = new GlobalChainCheck();
  let broken;
  for (const row of rows) if ((broken = global.push(row))) break;
  broken ??= global.end(head);
  const cases = new CaseChainCheck();
  const byCase = rows
    .filter((row) => row.caseNo)
    .sort((a, b) => (a.caseNo! < b.caseNo! ? -1 : a.caseNo! > b.caseNo! ? 1 : a.caseSeq! - b.caseSeq!));
  for (const row of byCase) cases.push(row);
  return { global: broken, case: cases.first, first: earlierBreak(broken, cases.first) };
}

describe('sealing audit entries', () => {
  it('should link every row to the previous one, globally and per case, numbering each case from 1', () => {
    const rows = sampleLog();
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, i) => expect(row.prevHash).toBe(rows[i].hash));
    expect(rows.map((row) => [row.caseNo, row.caseSeq])).toEqual([
      ['A', 1],
      ['B', 1],
      [null, null],
      ['A', 2],
      ['A', 3],
      ['B', 2],
    ]);
    expect(rows[3].casePrevHash).toBe(rows[0].caseHash);
    expect(rows[5].casePrevHash).toBe(rows[1].caseHash);
    expect(rows[2]).toMatchObject({ casePrevHash: null, caseHash: null });
  });

  it("should fill before from the case's last recorded values and leave out what did not change", () => {
    const rows = sampleLog();
    expect(rows[3]).toMatchObject({ before: { phase: 'awaiting-sign' }, after: { phase: 'handling' } });
    // leadUnitId of case B never mixes into case A.
    expect(rows[5]).toMatchObject({ before: { phase: 'awaiting-sign' }, after: { phase: 'handling' } });
    const unchanged = sealAuditEntries(
      [entry('A', 'dispatched', { phase: 'handling', leadUnitId: 's-hubin', coUnitIds: [] })],
      ['7'],
      new Date(),
      {
        ...empty(),
        state: new Map([['A', { phase: 'handling', leadUnitId: 's-x' }]]),
      },
    );
    expect(unchanged[0]).toMatchObject({
      before: { leadUnitId: 's-x' },
      after: { leadUnitId: 's-hubin', coUnitIds: [] },
    });
  });

  it('should keep an explicit before as given', () => {
    const given = { ...entry('A', 'rules-migrated', { rulesVersion: 'beijing@2' }), before: { rulesVersion: 'x@0' } };
    const [row] = sealAuditEntries([given], ['1'], new Date(), {
      ...empty(),
      state: new Map([['A', { rulesVersion: 'beijing@1' }]]),
    });
    expect(row.before).toEqual({ rulesVersion: 'x@0' });
  });

  it('should continue chains from the heads it is given', () => {
    const first = sampleLog();
    const last = first[first.length - 1];
    const heads: ChainHeads = {
      globalHash: last.hash,
      cases: new Map([['A', { seq: 3, hash: first[4].caseHash! }]]),
      state: new Map(),
    };
    const [next] = sealAuditEntries([entry('A', 'contacted', { contacted: true }, 4)], ['7'], new Date(), heads);
    expect(next).toMatchObject({ prevHash: last.hash, caseSeq: 4, casePrevHash: first[4].caseHash });
    expect(verify([...first, next]).first).toBeUndefined();
  });

  it('should refuse a batch whose ids do not match its entries', () => {
    expect(() => sealAuditEntries([entry('A', 'signed')], [], new Date(), empty())).toThrow(/1 entries but 0 ids/);
  });
});

describe('verifying the chains', () => {
  it('should pass an untouched log, also after a JSON round trip that reorders keys (jsonb)', () => {
    const rows = sampleLog().map((row) => {
      const copy = JSON.parse(JSON.stringify(row)) as AuditRow;
      copy.after = copy.after && Object.fromEntries(Object.entries(copy.after).reverse());
      return copy;
    });
    expect(verify(rows)).toEqual({ global: undefined, case: undefined, first: undefined });
  });

  it('should name a row whose content was changed, in both chains', () => {
    const rows = sampleLog();
    rows[3] = { ...rows[3], reason: 'edited afterwards' };
    const result = verify(rows);
    expect(result.global).toMatchObject({ id: '4', chain: 'global', problem: 'hash', found: rows[3].hash });
    expect(result.global?.expected).not.toBe(rows[3].hash);
    expect(result.case).toMatchObject({ id: '4', chain: 'case', caseNo: 'A', problem: 'hash' });
    expect(result.first).toBe(result.global);
  });

  it('should name the row after a removed one: its link no longer holds', () => {
    const rows = sampleLog();
    const removed = rows.splice(3, 1)[0];
    const result = verify(rows);
    expect(result.global).toMatchObject({ id: '5', problem: 'link', expected: rows[2].hash, found: removed.hash });
    expect(result.case).toMatchObject({
      id: '5',
      caseNo: 'A',
      problem: 'sequence',
      expected: 'case_seq 2',
      found: 'case_seq 3',
    });
  });

  it('should name a row whose hash was recomputed after a change, by the next link', () => {
    const rows = sampleLog();
    const forged = sealAuditEntries(
      [{ ...entry('A', 'signed', { phase: 'handling' }, 2), reason: 'forged' }],
      ['4'],
      new Date('2026-11-23T02:00:01Z'),
      { globalHash: rows[2].hash, cases: new Map([['A', { seq: 1, hash: rows[0].caseHash! }]]), state: new Map() },
    )[0];
    rows[3] = forged;
    expect(verify(rows).global).toMatchObject({ id: '5', problem: 'link', found: sampleLog()[3].hash });
  });

  it('should report rows cut from the end of the log against the chain head', () => {
    const rows = sampleLog();
    const head = { lastId: rows[5].id, lastHash: rows[5].hash };
    const result = verify(rows.slice(0, 5), head);
    expect(result.global).toMatchObject({ id: '6', problem: 'head', expected: rows[5].hash, found: rows[4].hash });
  });

  it('should report the lowest id when only case chains break', () => {
    const cases = new CaseChainCheck();
    const rows = sampleLog();
    const tampered = rows.map((row) =>
      row.id === '6' || row.id === '4' ? { ...row, casePrevHash: 'f'.repeat(64) } : row,
    );
    for (const row of [tampered[0], tampered[3], tampered[4], tampered[1], tampered[5]]) cases.push(row);
    expect(cases.broken.map((link) => link.id)).toEqual(['4', '6']);
    expect(cases.first).toMatchObject({ id: '4', problem: 'link', caseNo: 'A' });
    expect(earlierBreak(undefined, cases.first)).toBe(cases.first);
  });

  it('should pass an empty log whose head is at genesis', () => {
    expect(new GlobalChainCheck().end({ lastId: '0', lastHash: GENESIS_HASH })).toBeUndefined();
  });
});
