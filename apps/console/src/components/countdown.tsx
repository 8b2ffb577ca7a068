import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWeekdayTime, isDueSoon, remaining } from '../lib/time';

/** The current time, refreshed every `everyMs` (countdowns re-render with it). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "due in 1 d 3 h (Fri 18:00)" / "overdue by 2 h", coloured by urgency; nothing when there is no deadline. */
export function Countdown({ due, now }: { due: string | null | undefined; now: Date }) {
  const { t, i18n } = useTranslation();
  if (!due) return <span>{t('time.noDeadline')}</span>;
  const left = remaining(due, now);
  const span = left.days
    ? t('time.daysHours', { days: left.days, hours: left.hours })
    : t('time.hoursMinutes', { hours: left.hours, minutes: left.minutes });
  const at = formatWeekdayTime(due, i18n.language);
  const text = left.overdue ? t('time.overdueBy', { span, at }) : t('time.dueIn', { span, at });
  // Text and background pairs that keep WCAG AA contrast (antd's preset orange does not).
  const style = left.overdue
    ? { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' }
    : isDueSoon(due, now)
      ? { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' }
      : undefined;
  return (
    <Tag style={style} data-testid="countdown">
      {text}
    </Tag>
  );
}
