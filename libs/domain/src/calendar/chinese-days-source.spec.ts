import { getDayDetail } from 'chinese-days';
import { addDuration } from './calendar';
import { CalendarError } from './calendar.types';
import { buildChineseCalendar, chineseDaysCoverage } from './chinese-days-source';

describe('chineseDaysCoverage', () => {
  it('should report the years the installed chinese-days data covers', () => {
    expect(chineseDaysCoverage()).toEqual({ fromYear: 2004, toYear: 2026 });
  });
});

describe('buildChineseCalendar', () => {
  const calendar = buildChineseCalendar({ id: 'cn', version: 3, fromYear: 2025, toYear: 2026 });

  it('should cover whole years at UTC+8 with default office hours and weekend', () => {
    expect(calendar).toMatchObject({
      id: 'cn',
      version: 3,
      utcOffsetMinutes: 480,
      officeHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '18:00' },
      ],
      weekend: [6, 7],
      coversFrom: '2025-01-01',
      coversTo: '2026-12-31',
    });
  });

  it.each([
    ['2025-10-01', false, '国庆节 National Day'],
    ['2025-10-11', true, '国庆节调休上班 National Day make-up working day'],
    ['2025-09-28', true, '国庆节调休上班 National Day make-up working day'],
    ['2026-01-02', false, "元旦 New Year's Day"],
    ['2026-01-04', true, "元旦调休上班 New Year's Day make-up working day"],
    ['2026-02-14', true, '春节调休上班 Spring Festival make-up working day'],
  ])('should list %s as working=%s named %s', (date, working, name) => {
    expect(calendar.days.find((day) => day.date === date)).toEqual({ date, working, name, source: 'chinese-days' });
  });

  it('should leave out holidays that fall on a weekend anyway, and keep the days sorted', () => {
    expect(calendar.days.map((day) => day.date)).not.toContain('2025-10-04');
    const dates = calendar.days.map((day) => day.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('should let a local day off override the national schedule and show up in appliedDays', () => {
    const local = buildChineseCalendar({
      id: 'cn-local',
      version: 1,
      fromYear: 2025,
      toYear: 2025,
      localDays: [{ date: '2025-11-13', working: false, name: 'Municipal flood day' }],
    });
    expect(local.days).toContainEqual({
      date: '2025-11-13',
      working: false,
      name: 'Municipal flood day',
      source: 'local',
    });
    const result = addDuration(local, new Date('2025-11-12T10:00:00+08:00'), '1WD');
    expect(result).toMatchObject({ due: new Date('2025-11-14T18:00:00+08:00'), appliedDays: ['2025-11-13'] });
  });

  it('should refuse years chinese-days does not cover, naming them', () => {
    const build = () => buildChineseCalendar({ id: 'cn', version: 1, fromYear: 2025, toYear: 2027 });
    expect(build).toThrow(CalendarError);
    expect(build).toThrow('chinese-days covers 2004–2026 only, cannot build 2025–2027');
  });

  it('should refuse a local day outside the covered years', () => {
    const localDays = [{ date: '2027-01-05', working: false, name: 'too late' }];
    expect(() => buildChineseCalendar({ id: 'cn', version: 1, fromYear: 2025, toYear: 2026, localDays })).toThrow(
      /local day 2027-01-05/,
    );
  });

  it('should hold the same days as the chinese-days functions for every date from 2004 to 2026', () => {
    const everything = buildChineseCalendar({ id: 'all', version: 1, fromYear: 2004, toYear: 2026 });
    const ours = new Map(everything.days.map((day) => [day.date, day.working]));
    const mismatches: string[] = [];
    for (let ms = Date.UTC(2004, 0, 1); ms <= Date.UTC(2026, 11, 31); ms += 86_400_000) {
      const date = new Date(ms).toISOString().slice(0, 10);
      const weekend = [0, 6].includes(new Date(ms).getUTCDay());
      // getDayDetail names a listed day "National Day,国庆节,3" and any other day by its weekday; only listed days
      // are compared, because the package computes weekdays in the process time zone.
      const detail = getDayDetail(date);
      const listed = detail.name.includes(',');
      const theirs = listed && detail.work === weekend ? detail.work : undefined;
      if (ours.get(date) !== theirs) mismatches.push(date);
    }
    expect(mismatches).toEqual([]);
    expect(ours.size).toBeGreaterThan(500);
  });
});
