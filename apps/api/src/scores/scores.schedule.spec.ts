import type { ScheduleDescription } from '@temporalio/client';
import { isStartedMonth } from './scores.dto';
import { monthlyScoresScheduleOptions, scheduleMatches } from './scores.schedule';

/** A description as the server gives back one created from {@link monthlyScoresScheduleOptions}. */
function described(overrides: { taskQueue?: string; hour?: number; timezone?: string; overlap?: string } = {}) {
  const one = (value: number) => [{ start: value, end: value, step: 1 }];
  return {
    spec: {
      calendars: [{ second: one(0), minute: one(0), hour: one(overrides.hour ?? 2), dayOfMonth: one(1) }],
      timezone: overrides.timezone ?? 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'monthlyScores',
      taskQueue: overrides.taskQueue ?? 'shaosheng-cases',
      args: [{ trigger: 'schedule' }],
    },
    policies: { overlap: overrides.overlap ?? 'SKIP' },
  } as unknown as ScheduleDescription;
}

describe('the monthly scores schedule', () => {
  it('should start monthlyScores for the month before at 02:00 Asia/Shanghai on the 1st, skipping overlaps', () => {
    const options = monthlyScoresScheduleOptions('shaosheng-cases');
    expect(options).toMatchObject({
      scheduleId: 'shaosheng-monthly-scores',
      spec: { calendars: [{ dayOfMonth: 1, hour: 2, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: 'monthlyScores',
        workflowId: 'monthly-scores',
        taskQueue: 'shaosheng-cases',
        args: [{ trigger: 'schedule' }],
      },
      policies: { overlap: 'SKIP' },
    });
  });

  it.each<[string, Parameters<typeof described>[0], boolean]>([
    ['leave a schedule as created alone', {}, true],
    ['move a schedule on another task queue', { taskQueue: 'old-queue' }, false],
    ['fix a schedule at another hour', { hour: 3 }, false],
    ['fix a schedule in another time zone', { timezone: 'UTC' }, false],
    ['fix a schedule that lets runs overlap', { overlap: 'ALLOW_ALL' }, false],
  ])('should %s', (_title, overrides, matches) => {
    expect(scheduleMatches(described(overrides), 'shaosheng-cases')).toBe(matches);
  });
});

describe('isStartedMonth', () => {
  const now = new Date('2026-10-31T16:30:00.000Z'); // 1 November 00:30 in Shanghai
  it.each<[string, boolean]>([
    ['2026-11', true],
    ['2026-10', true],
    ['2025-01', true],
    ['2026-12', false],
    ['2026-13', false],
  ])('should take %s as begun: %p', (month, begun) => {
    expect(isStartedMonth(month, now)).toBe(begun);
  });
});
