/**
 * Deadline durations as designers write them in the rules: natural ISO-8601 time (`PT2H`, `P1DT2H`), working days
 * (`7WD`) and working hours (`4WH`, `0.5WH`).
 */

/** The three ways a deadline can count time. */
export type DurationKind = 'natural' | 'workingDays' | 'workingHours';

/**
 * A parsed duration.
 * - `natural`: `ms` milliseconds around the clock (a day is always 24 h: the calendar has no DST);
 * - `workingDays`: `days` whole working days, counted from the working day after the start;
 * - `workingHours`: `ms` milliseconds of office time.
 */
export type Duration =
  | { kind: 'natural'; ms: number }
  | { kind: 'workingDays'; days: number }
  | { kind: 'workingHours'; ms: number };

/** The rule a duration text (or value) broke; carried by {@link DurationFormatError}. */
export type DurationRule =
  | 'EMPTY'
  | 'UNKNOWN_FORMAT'
  | 'UNSUPPORTED_UNIT'
  | 'WHOLE_UNITS'
  | 'HOURS_PRECISION'
  | 'NOT_POSITIVE'
  | 'TOO_LARGE';

/** Thrown when a duration cannot be parsed or formatted; the message names the rule and the offending text. */
export class DurationFormatError extends Error {
  constructor(
    public readonly rule: DurationRule,
    public readonly text: string,
    detail: string,
  ) {
    super(`Invalid duration ${JSON.stringify(text)}: ${detail} (rule ${rule})`);
    this.name = 'DurationFormatError';
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Upper bound for any duration: about ten years. Longer deadlines are typos, and would run past any calendar. */
const MAX_DAYS = 3660;
const EXPECTED = "expected natural ISO-8601 like 'PT2H', 'P1DT2H', working days like '7WD' or working hours like '4WH'";

const WORKING = /^(\d+)(?:\.(\d+))?(WD|WH)$/;
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses a duration text. Surrounding whitespace is ignored; units are upper-case. Natural time accepts whole
 * days, hours, minutes and seconds (`P1DT2H30M`); years, months and weeks are refused because their length is
 * ambiguous. Working days must be whole; working hours allow up to two decimals (`0.25WH` = 15 minutes).
 * Zero, negative and longer-than-ten-years durations are refused.
 * @throws DurationFormatError naming the broken rule and the text.
 */
export function parseDuration(text: string): Duration {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') throw new DurationFormatError('EMPTY', String(text), `empty; ${EXPECTED}`);
  const working = WORKING.exec(trimmed);
  if (working) return parseWorking(trimmed, working);
  if (trimmed.startsWith('P')) return parseNatural(trimmed);
  throw new DurationFormatError('UNKNOWN_FORMAT', trimmed, EXPECTED);
}

function parseWorking(text: string, [, whole, fraction, unit]: RegExpExecArray): Duration {
  if (unit === 'WD') {
    if (fraction !== undefined) throw new DurationFormatError('WHOLE_UNITS', text, 'working days must be whole');
    const days = Number(whole);
    return { kind: 'workingDays', days: checkSize(text, days, days) };
  }
  if (fraction !== undefined && fraction.length > 2) {
    throw new DurationFormatError('HOURS_PRECISION', text, 'working hours take at most two decimals');
  }
  // Integer arithmetic in hundredths of an hour avoids binary floating-point drift (0.29 * 3600000).
  const hundredths = Number(whole) * 100 + Number((fraction ?? '').padEnd(2, '0'));
  const ms = hundredths * 36 * SECOND;
  return { kind: 'workingHours', ms: checkSize(text, ms, ms / DAY) };
}

function parseNatural(text: string): Duration {
  if (/[YW]/.test(text) || /^P[^T]*M/.test(text)) {
    throw new DurationFormatError('UNSUPPORTED_UNIT', text, 'years, months and weeks are not supported; use days');
  }
  if (/[.,]/.test(text)) {
    throw new DurationFormatError('WHOLE_UNITS', text, "natural units must be whole; write 'PT30M', not 'PT0.5H'");
  }
  const match = ISO.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) throw new DurationFormatError('UNKNOWN_FORMAT', text, EXPECTED);
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? '0'));
  const ms = days * DAY + hours * HOUR + minutes * MINUTE + seconds * SECOND;
  return { kind: 'natural', ms: checkSize(text, ms, ms / DAY) };
}

function checkSize(text: string, value: number, days: number): number {
  if (!(value > 0)) throw new DurationFormatError('NOT_POSITIVE', text, 'a deadline duration must be positive');
  if (!Number.isSafeInteger(value) || days > MAX_DAYS) {
    throw new DurationFormatError('TOO_LARGE', text, `longer than ${MAX_DAYS} days`);
  }
  return value;
}

/**
 * Formats a duration in its canonical text, which {@link parseDuration} reads back to the same value.
 * Natural time is written with the largest units first and zero parts left out (`PT24H` becomes `P1D`).
 * @throws DurationFormatError when the value has no text form: natural time that is not whole seconds, or working
 * hours that are not whole hundredths of an hour (e.g. a remaining time measured to the millisecond).
 */
export function formatDuration(duration: Duration): string {
  switch (duration.kind) {
    case 'workingDays':
      return `${duration.days}WD`;
    case 'workingHours': {
      const hundredths = duration.ms / (36 * SECOND);
      if (!Number.isInteger(hundredths)) {
        throw new DurationFormatError('HOURS_PRECISION', `${duration.ms}ms`, 'not whole hundredths of an hour');
      }
      return `${hundredths / 100}WH`;
    }
    case 'natural':
      return formatNatural(duration.ms);
  }
}

function formatNatural(ms: number): string {
  if (!Number.isInteger(ms / SECOND)) {
    throw new DurationFormatError('WHOLE_UNITS', `${ms}ms`, 'natural time must be whole seconds');
  }
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  const time = [hours && `${hours}H`, minutes && `${minutes}M`, seconds && `${seconds}S`].filter(Boolean).join('');
  const text = `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return text === 'P' ? 'PT0S' : text;
}
