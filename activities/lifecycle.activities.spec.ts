import type { DataSource } from 'typeorm';
import { toLifecycleRules } from '../libs/domain/src/rules/process-definition';
import { DEMO_PRESETS as PRESETS } from '../libs/persistence/src/seed/demo-presets';
import { DEMO_CITY } from '../libs/domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../libs/domain/src/routing/demo-catalogue';
import { buildDefaultCalendar, createLifecycleActivities } from './lifecycle.activities';

describe('lifecycle activities without a database', () => {
  const activities = createLifecycleActivities({
    dataSource: {} as DataSource,
    trees: async () => DEMO_CITY,
    catalogue: DEMO_CATALOGUE,
  });
  const noise = {
    kind: 'complaint' as const,
    category: 'noise-nuisance',
    urgency: 'normal' as const,
    channel: 'hotline' as const,
    place: { gridId: 'g-xiyuan-1', communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
  };

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
      serviceCentreId: 'centre-12345',
    });
  });

  it('should resolve every rung of a pinned ladder at the place, in climbing order', async () => {
    const plan = await activities.planDispatch(noise, 'beijing@1', toLifecycleRules(PRESETS.beijing));
    expect(plan.rungUnits).toEqual(['cc-c-xiyuan', 'cc-s-hubin', 'cc-d-donghu', 'centre-12345']);
    const grid = await activities.planDispatch(noise, 'ningbo-dl@1', toLifecycleRules(PRESETS['ningbo-dl']));
    expect(grid.rungUnits).toEqual(['g-xiyuan-1', 'cc-c-xiyuan', 'cc-s-hubin']);
  });

  it('should refuse for good a ladder whose rung the place does not have, naming the rung', async () => {
    const { place, ...rest } = noise;
    const streetOnly = { ...rest, place: { streetId: place.streetId, districtId: place.districtId } };
    await expect(
      activities.planDispatch(streetOnly, 'ningbo-dl@1', toLifecycleRules(PRESETS['ningbo-dl'])),
    ).rejects.toMatchObject({
      type: 'LadderUnresolved',
      nonRetryable: true,
      message: expect.stringContaining("rung 'grid'"),
    });
  });
});
