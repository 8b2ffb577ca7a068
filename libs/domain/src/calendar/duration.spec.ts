import { Duration, DurationFormatError, DurationRule, formatDuration, parseDuration } from './duration';

const HOUR = 3_600_000;

describe('parseDuration', () => {
  it.each<[string, Duration]>([
    ['PT2H', { kind: 'natural', ms: 2 * HOUR }],
    ['PT30M', { kind: 'natural', ms: HOUR / 2 }],
    ['PT45S', { kind: 'natural', ms: 45_000 }],
    ['P1D', { kind: 'natural', ms: 24 * HOUR }],
    ['P1DT2H', { kind: 'natural', ms: 26 * HOUR }],
    ['PT1H30M15S', { kind: 'natural', ms: HOUR + 30 * 60_000 + 15_000 }],
    ['7WD', { kind: 'workingDays', days: 7 }],
    ['15WD', { kind: 'workingDays', days: 15 }],
    ['4WH', { kind: 'workingHours', ms: 4 * HOUR }],
    ['0.5WH', { kind: 'workingHours', ms: HOUR / 2 }],
    ['0.25WH', { kind: 'workingHours', ms: HOUR / 4 }],
    ['0.29WH', { kind: 'workingHours', ms: 1_044_000 }],
    ['  7WD  ', { kind: 'workingDays', days: 7 }],
  ])('should parse %j', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each<[string, DurationRule]>([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['7', 'UNKNOWN_FORMAT'],
    ['7wd', 'UNKNOWN_FORMAT'],
    ['2H', 'UNKNOWN_FORMAT'],
    ['-1WD', 'UNKNOWN_FORMAT'],
    ['P', 'UNKNOWN_FORMAT'],
    ['PT', 'UNKNOWN_FORMAT'],
    ['P1DT', 'UNKNOWN_FORMAT'],
    ['PT1H2D', 'UNKNOWN_FORMAT'],
    ['P1M', 'UNSUPPORTED_UNIT'],
    ['P1Y', 'UNSUPPORTED_UNIT'],
    ['P2W', 'UNSUPPORTED_UNIT'],
    ['PT0.5H', 'WHOLE_UNITS'],
    ['1.5WD', 'WHOLE_UNITS'],
    ['0.125WH', 'HOURS_PRECISION'],
    ['0WD', 'NOT_POSITIVE'],
    ['0.00WH', 'NOT_POSITIVE'],
    ['PT0S', 'NOT_POSITIVE'],
    ['P3661D', 'TOO_LARGE'],
    ['3661WD', 'TOO_LARGE'],
    ['99999999999999999999WD', 'TOO_LARGE'],
  ])('should reject %j under rule %s, naming the rule and the text', (text, rule) => {
    let error: unknown;
    try {
      parseDuration(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DurationFormatError);
    expect((error as DurationFormatError).rule).toBe(rule);
    expect((error as DurationFormatError).message).toContain(`rule ${rule}`);
    expect((error as DurationFormatError).message).toContain(JSON.stringify(text.trim() || text));
  });
});

describe('formatDuration', () => {
  it.each<[Duration, string]>([
    [{ kind: 'natural', ms: 2 * HOUR }, 'PT2H'],
    [{ kind: 'natural', ms: 26 * HOUR }, 'P1DT2H'],
    [{ kind: 'natural', ms: 24 * HOUR }, 'P1D'],
    [{ kind: 'natural', ms: HOUR + 30 * 60_000 + 15_000 }, 'PT1H30M15S'],
    [{ kind: 'workingDays', days: 7 }, '7WD'],
    [{ kind: 'workingHours', ms: 4 * HOUR }, '4WH'],
    [{ kind: 'workingHours', ms: HOUR / 2 }, '0.5WH'],
    [{ kind: 'workingHours', ms: 25.5 * HOUR }, '25.5WH'],
  ])('should format %j as %s', (duration, text) => {
    expect(formatDuration(duration)).toBe(text);
  });

  it.each(['PT2H', 'PT30M', 'P1D', 'P1DT2H', 'PT1H30M15S', '7WD', '4WH', '0.5WH', '0.29WH'])(
    'should read its own output of %s back to the same duration',
    (text) => {
      const duration = parseDuration(text);
      expect(formatDuration(duration)).toBe(text);
      expect(parseDuration(formatDuration(duration))).toEqual(duration);
    },
  );

  it.each<[Duration, DurationRule]>([
    [{ kind: 'natural', ms: 1500 }, 'WHOLE_UNITS'],
    [{ kind: 'workingHours', ms: 1234 }, 'HOURS_PRECISION'],
  ])('should refuse to format %j, which has no text form (rule %s)', (duration, rule) => {
    expect(() => formatDuration(duration)).toThrow(expect.objectContaining({ rule }));
  });
});
