import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEntry, sealAuditEntries, SYSTEM_ACTOR } from '../../../../libs/persistence/src/audit';
import { GENESIS_HASH } from '../../../../libs/persistence/src/audit/canonical';
import { csvField, csvHeader, csvRecord } from './csv';
import { summarizeHistory } from './temporal-history';
import { buildTimeline, describeChange, TIMELINE_CSV_COLUMNS, timelineCsvCells } from './timeline';

/** A recorded case: dispatched, signed, contacted, whistled (one child round), the round finished. */
const recorded = historyFromJSON(
  JSON.parse(
    readFileSync(join(__dirname, '../../../../test/histories/case-whistled-three-one-never-reports.json'), 'utf8'),
  ),
);
const CASE_NO = '20261123800006';
const WORKFLOW = `case-${CASE_NO}`;
const SIGN_UPDATE = '3df2ae60-baa6-45fd-b46e-b48125253b82';
const street = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' };

describe('a Temporal history, summarised for the timeline', () => {
  const summary = summarizeHistory(WORKFLOW, recorded.events ?? []);

  it('should list each Update with its acceptance event, name, actor and action', () => {
    expect(summary.updates.get(SIGN_UPDATE)).toMatchObject({
      name: 'signCase',
      acceptedEventId: 76,
      completedEventId: expect.any(Number),
      actor: { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' },
      actionType: 'sign',
    });
    expect([...summary.updates.values()].map((update) => update.name)).toEqual([
      'signCase',
      'contactCitizen',
      'whistleCase',
    ]);
  });

  it('should know which appendCaseEvents activity carried each domain event', () => {
    expect(summary.appendedBy.get(`${CASE_NO}/case/1`)).toMatchObject({ eventId: 60 });
    expect(summary.appendedBy.get(`${CASE_NO}/case/5`)).toMatchObject({ eventId: 60 });
    expect(summary.appendedBy.get(`${CASE_NO}/case/6`)).toMatchObject({ eventId: 78 });
    expect(summary.appendedBy.get(`${CASE_NO}/case/9`)).toMatchObject({ eventId: 143 });
  });

  it('should note the start, the child round and the end with their event ids', () => {
    expect(summary.notes.map((note) => [note.eventId, note.action])).toEqual(
      expect.arrayContaining([
        [1, 'workflow-started'],
        [118, 'child-started'],
      ]),
    );
    expect(summary.notes[0]).toMatchObject({
      eventType: 'WorkflowExecutionStarted',
      detail: { workflowType: 'complaintCase' },
    });
    expect(summary.children).toEqual([`${WORKFLOW}-whistle-1`]);
  });
});

describe('a case timeline', () => {
  const summary = summarizeHistory(WORKFLOW, recorded.events ?? []);
  const entry = (seq: number, action: string, extra: Partial<AuditEntry> = {}, stream = 'case'): AuditEntry => ({
    at: '2026-11-23T02:32:42.016Z',
    actor: SYSTEM_ACTOR,
    action,
    subject: { kind: 'case', id: CASE_NO },
    caseNo: CASE_NO,
    source: 'case-event',
    eventRef: `${CASE_NO}/${stream}/${seq}`,
    ...extra,
  });
  const rows = sealAuditEntries(
    [
      entry(1, 'dispatched', { at: '2026-11-23T02:32:41.955Z', after: { phase: 'awaiting-sign' } }),
      entry(6, 'signed', { actor: street, updateId: SIGN_UPDATE, after: { phase: 'handling' } }),
      // No Update id (as on a whistle round's events): paired with the same user's Update nearest in time.
      entry(7, 'contacted', { actor: street, at: '2026-11-23T02:32:42.040Z', reason: '已联系' }),
    ],
    ['1', '2', '3'],
    new Date('2026-11-23T02:33:00Z'),
    { globalHash: GENESIS_HASH, cases: new Map(), state: new Map() },
  );
  const timeline = buildTimeline(rows, [summary]);

  it("should give a person's action the Update's acceptance event, and the engine's the activity that wrote it", () => {
    expect(timeline.find((row) => row.action === 'signed')).toMatchObject({
      actor: 'u-hubin-1',
      role: 'handler',
      unit: 's-hubin',
      temporalEventId: 76,
      temporalEventType: 'WorkflowExecutionUpdateAccepted',
      workflowId: WORKFLOW,
      source: 'audit-log',
      updateId: SIGN_UPDATE,
      change: 'phase: awaiting-sign → handling',
    });
    expect(timeline.find((row) => row.action === 'dispatched')).toMatchObject({
      actor: 'system',
      temporalEventId: 60,
      temporalEventType: 'ActivityTaskScheduled',
    });
    expect(timeline.find((row) => row.action === 'contacted')).toMatchObject({ temporalEventId: 96, reason: '已联系' });
  });

  it('should list Updates no entry names and the notable history events as Temporal rows, in time order', () => {
    expect(timeline.filter((row) => row.source === 'temporal').map((row) => row.action)).toEqual(
      expect.arrayContaining(['workflow-started', 'update:whistleCase', 'child-started']),
    );
    expect(timeline.some((row) => row.action === 'update:signCase')).toBe(false);
    const times = timeline.map((row) => Date.parse(row.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeline[0].action).toBe('workflow-started');
  });

  it('should come from the audit log alone when there is no history', () => {
    const alone = buildTimeline(rows, []);
    expect(alone.map((row) => [row.action, row.source, row.temporalEventId])).toEqual([
      ['dispatched', 'audit-log', null],
      ['signed', 'audit-log', null],
      ['contacted', 'audit-log', null],
    ]);
  });

  it('should write one CSV record per row with before and after as JSON', () => {
    const signed = timeline.find((row) => row.action === 'signed')!;
    const record = csvRecord(timelineCsvCells(signed));
    expect(record).toContain(',signed,phase: awaiting-sign → handling,,76,WorkflowExecutionUpdateAccepted,');
    expect(record).toContain('"{""phase"":""awaiting-sign""}"');
    expect(csvHeader(TIMELINE_CSV_COLUMNS)).toMatch(/^time,actor,role,unit,action,change,reason,temporal_event_id,/);
  });
});

describe('describing a change', () => {
  it.each([
    [{ phase: 'a' }, { phase: 'b' }, 'phase: a → b'],
    [null, { level: 2, units: ['x'] }, 'level: 2; units: ["x"]'],
    [{ gone: 'x' }, null, 'gone: x → (none)'],
    [null, null, null],
  ])('should write %j → %j as %j', (before, after, text) => {
    expect(describeChange(before, after)).toBe(text);
  });
});

describe('CSV fields', () => {
  it.each([
    [null, ''],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-1+1', "'-1+1"],
    [42, '42'],
    [false, 'false'],
  ])('should write %j as %j', (value, text) => {
    expect(csvField(value)).toBe(text);
  });
});
