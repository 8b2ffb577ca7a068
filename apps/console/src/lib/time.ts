/** Every date the console shows is in the service centre's time zone, whatever the browser's. */
export const TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, hourCycle: 'h23', ...options });
    formatters.set(key, found);
  }
  return found;
}

/** `2026-12-04 18:00` in Asia/Shanghai; '' for a missing instant. */
export function formatInstant(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  const parts = formatter('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  void lang;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** `周五 18:00` / `Fri 18:00` in Asia/Shanghai: the short form next to a countdown. */
export function formatWeekdayTime(iso: string, lang: string): string {
  const parts = formatter(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('weekday')} ${get('hour')}:${get('minute')}`;
}

/** What is left until a deadline (or how late it is), in whole days, hours and minutes of natural time. */
export interface Remaining {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
  totalMinutes: number;
}

/** Time from `now` to `due`, split for display; a passed deadline counts how late it is. */
export function remaining(due: string | Date, now: Date): Remaining {
  const ms = new Date(due).getTime() - now.getTime();
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  return {
    overdue: ms < 0,
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
    totalMinutes,
  };
}

/** `due soon`: within the next 24 hours and not yet passed. */
export function isDueSoon(due: string | null | undefined, now: Date): boolean {
  if (!due) return false;
  const ms = new Date(due).getTime() - now.getTime();
  return ms >= 0 && ms <= 24 * 3600_000;
}
