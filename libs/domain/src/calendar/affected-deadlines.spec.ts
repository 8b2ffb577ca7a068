import { affectedDeadlines, recomputeDeadline, StampedDeadline, stampedVersions } from './affected-deadlines';
import { addDuration, resumeDeadline } from './calendar';
import { buildChineseCalendar } from './chinese-days-source';
import { withLocalDays } from './local-days';
import { OfficialYear, withNationalYears } from './national-years';

const HOUR = 3_600_000;
const packageCalendar = buildChineseCalendar({ id: 'cn-mainland', version: 1, fromYear: 2025, toYear: 2026 });
/** A made-up official 2027 Spring Festival: Thursday 4 to Friday 12 February off, Sunday 31 January worked. */
const official2027: OfficialYear = {
  year: 2027,
  days: [
    { date: '2027-01-01', working: false, name: '元旦' },
    { date: '2027-01-31', working: true, name: '春节调休上班' },
    ...['04', '05', '08', '09', '10', '11', '12'].map((d) => ({ date: `2027-02-${d}`, working: false, name: '春节' })),
    { date: '2027-04-05', working: false, name: '清明节' },
    { date: '2027-06-09', working: false, name: '端午节' },
    { date: '2027-09-15', working: false, name: '中秋节' },
    { date: '2027-10-01', working: false, name: '国庆节' },
  ],
};
const v1 = withLocalDays(withNationalYears(packageCalendar, []), 1, []);
const v2 = withLocalDays(withNationalYears(packageCalendar, [official2027]), 2, []);
const now = '2027-01-20T00:00:00.000Z';

/** A deadline laid on v1 as stampDeadline lays it. */
const stamped = (kind: string, duration: string, from: string): StampedDeadline => {
  const result = addDuration(v1, new Date(from), duration);
  return { kind, duration, from, due: result.due.toISOString(), calendarId: v1.id, calendarVersion: 1 };
};
/** A deadline restarted on v1 after a suspension, owing `owedHours` of office time (as resumeDeadlines lays it). */
const resumed = (kind: string, from: string, owedHours: number): StampedDeadline => {
  const result = resumeDeadline(v1, new Date(from), owedHours * HOUR);
  return { kind, duration: '3WD', from, due: result.due.toISOString(), calendarId: v1.id, calendarVersion: 1 };
};

describe('recomputeDeadline', () => {
  it.each<[string, StampedDeadline, string]>([
    // Monday 1 February 10:00: on v1 (provisional: 5 and 8 February off) the 7th working day is Friday 12 February;
    // on v2 (4–12 February off) it is Friday 19 February.
    ['a fresh working-days deadline', stamped('handle', '7WD', '2027-02-01T02:00:00.000Z'), '2027-02-19T10:00:00.000Z'],
    // Wednesday 3 February 10:00 owing 15 office hours: v1 ends Tuesday 9 February 10:00 (4 and 9 worked, 5 and 8
    // off); v2 works Wednesday and then Monday 15 and Tuesday 16 February.
    [
      'a resumed deadline (keeps the office time it owed)',
      resumed('handle', '2027-02-03T02:00:00.000Z', 15),
      '2027-02-16T02:00:00.000Z',
    ],
    ['natural time', stamped('sign', 'PT48H', '2027-02-03T02:00:00.000Z'), '2027-02-05T02:00:00.000Z'],
    [
      'a deadline before the changed days',
      stamped('contact', '1WD', '2027-01-26T02:00:00.000Z'),
      '2027-01-27T10:00:00.000Z',
    ],
  ])('should recompute %s on the new version', (_what, entry, due) => {
    expect(recomputeDeadline(v1, v2, entry).due.toISOString()).toBe(due);
  });

  it('should give back the same deadline on the version it was laid on', () => {
    for (const entry of [
      stamped('handle', '7WD', '2027-02-01T02:00:00.000Z'),
      resumed('x', '2027-02-03T02:00:00.000Z', 15),
    ]) {
      expect(recomputeDeadline(v1, v1, entry).due.toISOString()).toBe(entry.due);
    }
  });
});

describe('affectedDeadlines', () => {
  const cases = [
    {
      caseNo: '20270120000002',
      deadlines: {
        handle: stamped('handle', '7WD', '2027-02-01T02:00:00.000Z'),
        sign: stamped('sign', 'PT48H', '2027-02-03T02:00:00.000Z'),
      },
    },
    {
      caseNo: '20270120000001',
      deadlines: {
        handle: resumed('handle', '2027-02-03T02:00:00.000Z', 15),
        contact: stamped('contact', '1WD', '2027-01-26T02:00:00.000Z'), // before the changed days: unchanged
      },
    },
    {
      caseNo: '20270120000003',
      deadlines: {
        // Already passed: its timer has fired, nothing to move.
        handle: stamped('handle', '7WD', '2027-01-04T02:00:00.000Z'),
        // Laid on v2 already.
        escalation: { ...stamped('escalation', '3WD', '2027-02-01T02:00:00.000Z'), calendarVersion: 2 },
        // Laid on a version the caller did not pass.
        return: { ...stamped('return', '3WD', '2027-02-01T02:00:00.000Z'), calendarVersion: 0 },
        // Laid on another calendar.
        callback: { ...stamped('callback', '3WD', '2027-02-01T02:00:00.000Z'), calendarId: 'test-calendar' },
        broken: { duration: '3WD' },
      },
    },
  ];
  const result = affectedDeadlines(cases, v2, new Map([[1, v1]]), now);

  it('should list the running deadlines the new version moves, by case and kind, with both due instants', () => {
    expect(result.changed).toEqual([
      {
        caseNo: '20270120000001',
        kind: 'handle',
        duration: '3WD',
        from: '2027-02-03T02:00:00.000Z',
        calendarVersion: 1,
        due: '2027-02-09T02:00:00.000Z',
        newCalendarVersion: 2,
        newDue: '2027-02-16T02:00:00.000Z',
        newAppliedDays: [
          '2027-02-04',
          '2027-02-05',
          '2027-02-08',
          '2027-02-09',
          '2027-02-10',
          '2027-02-11',
          '2027-02-12',
        ],
      },
      {
        caseNo: '20270120000002',
        kind: 'handle',
        duration: '7WD',
        from: '2027-02-01T02:00:00.000Z',
        calendarVersion: 1,
        due: '2027-02-12T10:00:00.000Z',
        newCalendarVersion: 2,
        newDue: '2027-02-19T10:00:00.000Z',
        newAppliedDays: [
          '2027-02-04',
          '2027-02-05',
          '2027-02-08',
          '2027-02-09',
          '2027-02-10',
          '2027-02-11',
          '2027-02-12',
        ],
      },
    ]);
  });

  it('should say which deadlines it could not judge, and why', () => {
    expect(result.unchecked.map(({ caseNo, kind, reason }) => [caseNo, kind, reason])).toEqual([
      ['20270120000003', 'broken', 'not a deadline entry (kind, duration, from, due, calendar)'],
      ['20270120000003', 'callback', 'laid on calendar test-calendar, not on cn-mainland'],
      ['20270120000003', 'return', 'calendar version 0 is unknown'],
    ]);
  });

  it('should list nothing when the new version changes no running deadline', () => {
    const v3 = withLocalDays(withNationalYears(packageCalendar, [official2027]), 3, []);
    const onV2 = cases.slice(0, 2).map(({ caseNo, deadlines }) => ({
      caseNo,
      deadlines: Object.fromEntries(
        Object.entries(deadlines).map(([kind, entry]) => [kind, { ...entry, ...recomputeOn(v2, entry) }]),
      ),
    }));
    expect(affectedDeadlines(onV2, v3, new Map([[2, v2]]), now)).toEqual({ changed: [], unchecked: [] });
  });

  it('should name the versions to load', () => {
    expect(stampedVersions(cases)).toEqual([0, 1, 2]);
  });
});

function recomputeOn(calendar: typeof v2, entry: StampedDeadline): Partial<StampedDeadline> {
  const result = recomputeDeadline(v1, calendar, entry);
  return { due: result.due.toISOString(), calendarVersion: result.calendarVersion, calendarId: result.calendarId };
}
