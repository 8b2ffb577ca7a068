import type { DataSource } from 'typeorm';
import { buildDefaultCalendar, createLifecycleActivities } from './lifecycle.activities';

describe('lifecycle activities without a database', () => {
  const activities = createLifecycleActivities({ dataSource: {} as DataSource });

  it('should stamp a 7-working-day deadline at 18:00 China time with its calendar and an 80 % reminder', async () => {
    // Monday 2026-11-23 10:00 (UTC+8): counting starts Tuesday, the 7th working day is Wednesday 2026-12-02.
    const entry = await activities.stampDeadline({
      kind: 'handle',
      duration: '7WD',
      from: '2026-11-23T02:00:00.000Z',
      reminderFraction: 0.8,
    });
    expect(entry).toMatchObject({ kind: 'handle', due: '2026-12-02T10:00:00.000Z', duration: '7WD' });
    expect(entry.calendarId).toMatch(/^cn-mainland/);
    expect(entry.reminderAt! < entry.due && entry.reminderAt! > entry.from).toBe(true);
  });

  it('should lay a deadline that runs into the next, not yet published, year on the provisional calendar', async () => {
    const calendar = buildDefaultCalendar();
    const provisionalYear = Number(calendar.coversTo.slice(0, 4));
    const entry = await activities.stampDeadline({
      kind: 'escalation',
      duration: '7WD',
      from: `${provisionalYear - 1}-12-28T02:00:00.000Z`,
      reminderFraction: 0.8,
    });
    expect(entry.calendarId).toBe(calendar.id);
    expect(calendar.id).toMatch(/\+provisional-\d{4}$/);
    expect(entry.due.slice(0, 4)).toBe(String(provisionalYear));
  });

  it('should refuse a malformed duration for good, naming the rule', async () => {
    await expect(
      activities.stampDeadline({
        kind: 'handle',
        duration: '7 days',
        from: '2026-11-23T02:00:00.000Z',
        reminderFraction: 0.8,
      }),
    ).rejects.toMatchObject({ type: 'DeadlineFailed', nonRetryable: true });
  });

  it('should plan a direct dispatch with the committees of every ladder level', async () => {
    const plan = await activities.planDispatch({
      kind: 'complaint',
      category: 'noise-nuisance',
      urgency: 'normal',
      channel: 'hotline',
      place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
    });
    expect(plan).toMatchObject({
      leadUnitId: 's-hubin',
      copyUnitIds: ['d-donghu'],
      ladderUnits: { community: 'cc-c-xiyuan', street: 'cc-s-hubin', district: 'cc-d-donghu' },
    });
  });
});
