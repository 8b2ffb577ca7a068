import { describe, expect, it } from 'vitest';
import { formatInstant, formatWeekdayTime, isDueSoon, remaining } from './time';

describe('time', () => {
  it('should show instants in Asia/Shanghai whatever the browser zone', () => {
    expect(formatInstant('2026-12-04T10:00:00.000Z', 'zh-CN')).toBe('2026-12-04 18:00');
    expect(formatInstant(null, 'en')).toBe('');
  });

  it('should name the weekday in the chosen language', () => {
    expect(formatWeekdayTime('2026-12-04T10:00:00.000Z', 'en')).toBe('Fri 18:00');
    expect(formatWeekdayTime('2026-12-04T10:00:00.000Z', 'zh-CN')).toBe('周五 18:00');
  });

  it.each([
    ['2026-12-05T12:30:00Z', false, 1, 2, 30],
    ['2026-12-04T09:59:00Z', true, 0, 0, 1],
  ])('should split the time left until %s', (due, overdue, days, hours, minutes) => {
    expect(remaining(due, new Date('2026-12-04T10:00:00Z'))).toMatchObject({ overdue, days, hours, minutes });
  });

  it('should count only the next 24 hours as due soon', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    expect(isDueSoon('2026-12-05T09:00:00Z', now)).toBe(true);
    expect(isDueSoon('2026-12-06T09:00:00Z', now)).toBe(false);
    expect(isDueSoon('2026-12-04T09:00:00Z', now)).toBe(false);
    expect(isDueSoon(null, now)).toBe(false);
  });
});
