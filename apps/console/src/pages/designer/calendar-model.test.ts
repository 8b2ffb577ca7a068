import { describe, expect, it } from 'vitest';
import { dayKind, daysOfMonth, isoWeekday } from './calendar-model';

describe('calendar year view', () => {
  it('lays a month out in weeks from Monday', () => {
    // 2026-10-01 is a Thursday; October has 31 days.
    const weeks = daysOfMonth(2026, 9);
    expect(weeks[0]).toEqual([null, null, null, '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(daysOfMonth(2028, 1).flat().filter(Boolean)).toHaveLength(29);
  });

  it('marks holidays, make-up days and local days over the weekday rule', () => {
    expect(isoWeekday('2026-10-04')).toBe(7);
    expect(dayKind('2026-10-05', [6, 7])).toBe('working');
    expect(dayKind('2026-10-04', [6, 7])).toBe('weekend');
    expect(
      dayKind('2026-10-05', [6, 7], { date: '2026-10-05', working: false, name: '国庆节', source: 'chinese-days' }),
    ).toBe('holiday');
    expect(
      dayKind('2026-10-10', [6, 7], { date: '2026-10-10', working: true, name: '国庆节', source: 'chinese-days' }),
    ).toBe('makeup');
    expect(dayKind('2026-11-25', [6, 7], { date: '2026-11-25', working: false, name: '市运会', source: 'local' })).toBe(
      'localOff',
    );
  });
});
