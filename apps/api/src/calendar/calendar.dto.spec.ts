import { durationProblem, isInstant, isLocalDate } from './calendar.dto';

describe('calendar request checks', () => {
  it.each([
    ['2026-11-23T10:00:00+08:00', true],
    ['2026-11-23T10:00+08:00', true],
    ['2026-11-23T02:00:00.000Z', true],
    ['2026-11-23T10:00:00', false], // no time zone: ambiguous
    ['2026-11-23', false],
    ['2026-02-30T10:00:00Z', false],
    ['2026-11-23T25:00:00Z', false],
    ['yesterday', false],
  ])('should judge %s as an instant: %s', (text, expected) => {
    expect(isInstant(text)).toBe(expected);
  });

  it.each([
    ['2026-11-25', true],
    ['2026-02-29', false],
    ['2026-1-5', false],
    ['20261125', false],
  ])('should judge %s as a local date: %s', (text, expected) => {
    expect(isLocalDate(text)).toBe(expected);
  });

  it.each(['7WD', '4WH', 'PT2H', 'P1DT2H'])('should accept the duration %s', (text) => {
    expect(durationProblem(text)).toBeUndefined();
  });

  it.each([
    ['7 days', 'UNKNOWN_FORMAT'],
    ['1.5WD', 'WHOLE_UNITS'],
    ['P1M', 'UNSUPPORTED_UNIT'],
    [undefined, 'EMPTY'],
  ])('should refuse the duration %s naming the rule %s', (text, rule) => {
    expect(durationProblem(text)).toContain(rule);
  });
});
