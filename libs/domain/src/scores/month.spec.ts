import { isScoreMonth, monthOf, monthWindow, nextMonthOf, previousMonth, previousMonthOf } from './month';

describe('score months (Asia/Shanghai calendar months)', () => {
  it.each<[string, string, string]>([
    ['the first instant of October in Shanghai', '2026-09-30T16:00:00.000Z', '2026-10'],
    ['the last millisecond of September in Shanghai', '2026-09-30T15:59:59.999Z', '2026-09'],
    ['late evening of 31 October in Shanghai', '2026-10-31T15:59:59.999Z', '2026-10'],
    ['midnight of 1 November in Shanghai', '2026-10-31T16:00:00.000Z', '2026-11'],
    ['an instant with an offset', '2026-11-01T00:30:00+08:00', '2026-11'],
    ['new year in Shanghai while still December in UTC', '2026-12-31T16:00:00.000Z', '2027-01'],
  ])('should put %s in its month', (_title, instant, month) => {
    expect(monthOf(instant)).toBe(month);
  });

  it.each<[string, string, string]>([
    ['2026-10', '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z'],
    ['2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2024-02', '2024-01-31T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
  ])('should cover %s from Shanghai midnight of the 1st to that of the next 1st', (month, from, to) => {
    expect(monthWindow(month)).toEqual({ from, to });
  });

  it.each<[string, string, string]>([
    ['2026-10', '2026-09', '2026-11'],
    ['2026-01', '2025-12', '2026-02'],
    ['2026-12', '2026-11', '2027-01'],
  ])('should step from %s back to %s and on to %s', (month, previous, next) => {
    expect(previousMonthOf(month)).toBe(previous);
    expect(nextMonthOf(month)).toBe(next);
  });

  it('should score the month before the one the schedule fires in (02:00 on the 1st in Shanghai)', () => {
    expect(previousMonth(new Date('2026-11-30T18:00:00.000Z'))).toBe('2026-11'); // 1 Dec 02:00 in Shanghai
    expect(previousMonth(new Date('2027-01-01T02:00:00+08:00'))).toBe('2026-12');
  });

  it.each<[unknown, boolean]>([
    ['2026-10', true],
    ['2026-1', false],
    ['2026-13', false],
    ['2026-00', false],
    ['0999-01', false],
    ['2026-10-01', false],
    [202610, false],
  ])('should tell whether %p is a month', (value, ok) => {
    expect(isScoreMonth(value)).toBe(ok);
  });

  it('should refuse to step from something that is not a month', () => {
    expect(() => previousMonthOf('2026-13')).toThrow(/YYYY-MM/);
  });
});
