import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { AuditEntry, SYSTEM_ACTOR } from '../../libs/persistence/src/audit/audit.types';
import { appendAudit, appendAuditInTypeScript, sqlSealable } from '../../libs/persistence/src/audit/audit.writer';
import { verifyAuditLog } from '../../libs/persistence/src/audit/audit.verify';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';

/**
 * The audit append as one statement (`audit_append`, migration 17) against a real PostgreSQL: its rows must verify
 * exactly like those the TypeScript writer seals, interleaved with them, and fill `before` the same way.
 */
describe('audit append in one statement', () => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  const handler = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' };

  beforeAll(async () => {
    scratch = await createScratchDatabase('audit_append');
    dataSource = new DataSource(dataSourceOptions(scratch.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  const caseEntry = (caseNo: string, seq: number, action: string, after?: Record<string, unknown>): AuditEntry => ({
    at: new Date(Date.UTC(2026, 10, 23, 2, 0, seq)).toISOString(),
    actor: seq % 2 ? SYSTEM_ACTOR : handler,
    action,
    subject: { kind: 'case', id: caseNo },
    caseNo,
    ...(after ? { after } : {}),
    source: 'case-event',
    eventRef: `${caseNo}/case/${seq}`,
    ...(seq % 2 ? {} : { updateId: `update-${caseNo}-${seq}` }),
  });
  const rowsOf = async (caseNo: string) =>
    (await dataSource.query(
      `SELECT action, case_seq, before, after, reason, actor FROM audit_log WHERE case_no = $1 ORDER BY case_seq`,
      [caseNo],
    )) as Array<{ action: string; case_seq: number; before: unknown; after: unknown; reason: unknown }>;

  it('should seal rows that verify, numbering each case and filling before from the newest recorded values', async () => {
    const a = 'A-2026-1';
    const b = 'B-2026-1';
    await dataSource.transaction((manager) =>
      appendAudit(manager, [
        caseEntry(a, 1, 'dispatched', { phase: 'awaiting-sign', leadUnitId: 's-hubin', coUnitIds: ['d-1', 'd-2'] }),
        caseEntry(b, 1, 'dispatched', { phase: 'awaiting-sign', leadUnitId: 'dept-housing' }),
        {
          at: new Date('2026-11-23T02:00:05.123Z'),
          actor: handler,
          action: 'calendar.day-added',
          subject: { kind: 'calendar', id: 'cn-mainland' },
          after: {
            day: '2026-11-25',
            note: '调休 "quoted" \\ back\nline\u0001',
            ratio: 0.8,
            nested: { z: 1, a: [true, null] },
          },
          reason: '国务院办公厅通知',
          source: 'api',
        },
        caseEntry(a, 2, 'signed', { phase: 'handling' }),
      ]),
    );
    // The TypeScript path, then the statement again: the chains run on across both.
    await dataSource.transaction((manager) =>
      appendAuditInTypeScript(manager, [
        caseEntry(a, 3, 'escalated', { escalationLevel: 'community', phase: 'handling' }),
      ]),
    );
    const appended = await dataSource.transaction((manager) =>
      appendAudit(manager, [
        caseEntry(a, 4, 'reply-accepted', { phase: 'awaiting-callback', escalationLevel: 'community' }),
        caseEntry(a, 4, 'reply-accepted', { phase: 'awaiting-callback' }),
        caseEntry(b, 2, 'signed', { phase: 'handling' }),
      ]),
    );
    expect(appended).toBe(2);
    // A retry appends nothing.
    expect(await dataSource.transaction((manager) => appendAudit(manager, [caseEntry(b, 2, 'signed', {})]))).toBe(0);

    expect(await verifyAuditLog(dataSource)).toMatchObject({ ok: true, checked: 7 });
    expect(await verifyAuditLog(dataSource, { caseNo: a })).toMatchObject({ ok: true, checked: 4 });
    expect(await rowsOf(a)).toEqual([
      expect.objectContaining({
        case_seq: 1,
        before: null,
        after: expect.objectContaining({ phase: 'awaiting-sign' }),
      }),
      expect.objectContaining({ case_seq: 2, before: { phase: 'awaiting-sign' }, after: { phase: 'handling' } }),
      expect.objectContaining({ case_seq: 3, before: null, after: { escalationLevel: 'community' } }),
      expect.objectContaining({
        case_seq: 4,
        before: { phase: 'handling' },
        after: { phase: 'awaiting-callback' },
        actor: { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' },
      }),
    ]);
  });

  it('should leave to the TypeScript path what the statement cannot seal as JavaScript writes it', async () => {
    expect(sqlSealable(caseEntry('C', 1, 'x', { ratio: 0.8, count: 3 }))).toBe(true);
    expect(sqlSealable(caseEntry('C', 1, 'x', { tiny: 1e-7 }))).toBe(false);
    expect(sqlSealable(caseEntry('C', 1, 'x', { huge: [1e21] }))).toBe(false);
    expect(sqlSealable(caseEntry('C', 1, 'x', { '\u{1F600}': 1 }))).toBe(false);
    await dataSource.transaction((manager) =>
      appendAudit(manager, [caseEntry('C-2026-1', 1, 'measured', { tiny: 1e-7, '\u{1F600}': 'x', '\uE000': 'y' })]),
    );
    expect(await verifyAuditLog(dataSource)).toMatchObject({ ok: true });
  });
});
