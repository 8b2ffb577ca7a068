import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { oversightEn, oversightZhCN } from '../../i18n/oversight';
import { actionKey, NAMED_ACTIONS, storyOf, temporalEventLink, versionsIn, versionsOfCase } from './story';
import type { AuditTimelineRow, CaseTimeline } from './views';

/** A stand-in for i18next: the key and its interpolation values; action names fall back to the log's name. */
const t = ((key: string, options: Record<string, unknown> = {}) => {
  const { defaultValue, ...values } = options;
  if (defaultValue !== undefined && key.startsWith('oversight.actionNames.')) return defaultValue;
  return Object.keys(values).length ? `${key}${JSON.stringify(values)}` : key;
}) as unknown as TFunction;

function row(overrides: Partial<AuditTimelineRow>): AuditTimelineRow {
  return {
    time: '2026-11-23T01:00:00.000Z',
    actor: 'u-1',
    role: 'handler',
    unit: 's-hubin',
    action: 'signed',
    before: null,
    after: null,
    change: null,
    reason: null,
    temporalEventId: null,
    temporalEventType: null,
    workflowId: 'case-20261123000001',
    source: 'audit-log',
    ...overrides,
  };
}

const timeline = (rows: AuditTimelineRow[]): CaseTimeline => ({
  caseNo: '20261123000001',
  workflowId: 'case-20261123000001',
  namespace: 'default',
  temporalUiUrl: 'http://ui/namespaces/default/workflows/case-20261123000001',
  historySource: 'temporal+audit-log',
  workflows: [
    {
      workflowId: 'case-20261123000001',
      temporalUiUrl: 'http://ui/namespaces/default/workflows/case-20261123000001',
      historyFound: true,
    },
  ],
  rows,
});

describe('a case timeline as a story', () => {
  it('should tell who did what, what changed and why, and point at the Temporal event', () => {
    const [line] = storyOf(
      timeline([
        row({
          temporalEventId: 42,
          temporalEventType: 'WorkflowExecutionUpdateAccepted',
          change: 'phase: awaiting-sign → handling',
          reason: '已到场',
        }),
      ]),
      t,
    );
    expect(line.sentence).toBe('oversight.story.sentence{"who":"roles.handler（s-hubin） u-1","action":"signed"}');
    expect(line.change).toBe('phase: awaiting-sign → handling');
    expect(line.reason).toBe('已到场');
    expect(line.event).toEqual({
      workflowId: 'case-20261123000001',
      eventId: 42,
      eventType: 'WorkflowExecutionUpdateAccepted',
    });
    expect(temporalEventLink(timeline([]), line.event!)).toBe(
      'http://ui/namespaces/default/workflows/case-20261123000001/history#event-42',
    );
  });

  it('should name the engine for system entries and leave out the event where Temporal has none', () => {
    const [line] = storyOf(timeline([row({ actor: 'system', role: 'system', unit: null, action: 'overdue' })]), t);
    expect(line.sentence).toContain('"who":"roles.system"');
    expect(line.event).toBeUndefined();
  });

  it('should state the rules and calendar versions an entry carries, and gather them for the case', () => {
    const rows = [
      row({
        action: 'dispatched',
        after: {
          rulesVersion: 'beijing@1',
          deadlines: [{ kind: 'sign', calendarId: 'cn-mainland', calendarVersion: 3 }],
        },
      }),
      row({ action: 'rules-migrated', before: { rulesVersion: 'beijing@1' }, after: { rulesVersion: 'beijing@2' } }),
    ];
    const story = storyOf(timeline(rows), t);
    expect(story[0].versions).toEqual([
      'oversight.story.rulesTag{"version":"beijing@1"}',
      'oversight.story.calendarTag{"version":"cn-mainland v3"}',
    ]);
    expect(versionsOfCase(undefined, timeline(rows))).toEqual({
      rules: ['beijing@1', 'beijing@2'],
      calendars: ['cn-mainland v3'],
    });
  });

  it("should read a deadline entry's calendar named as <id>@<version>", () => {
    const found = versionsIn({ kind: 'sign', calendar: 'cn-mainland+provisional-2027@4', duration: '1WD' });
    expect([...found.calendars]).toEqual(['cn-mainland+provisional-2027 v4']);
  });

  it('should name every known action in both languages', () => {
    for (const names of [oversightZhCN.actionNames, oversightEn.actionNames]) {
      expect(NAMED_ACTIONS.filter((action) => !(actionKey(action) in names))).toEqual([]);
    }
  });

  it('should make action names safe as translation keys', () => {
    expect(actionKey('whistle-round.reported')).toBe('whistle-round_reported');
    expect(actionKey('update:sign')).toBe('update_sign');
  });
});
