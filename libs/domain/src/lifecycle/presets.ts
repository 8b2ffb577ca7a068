import type { LifecycleRules } from './lifecycle.types';

/**
 * The `beijing` preset's lifecycle rules: return within 2 working days, one extension of at most 10 working days
 * (Shandong), committee deadlines 3 / 5 / 7 working days, reminders at 80 %, call-back within 2 working days in up
 * to 3 attempts, one re-handling of 5 working days.
 */
export const BEIJING_LIFECYCLE_RULES: LifecycleRules = {
  returnWindow: '2WD',
  extension: { maxCount: 1, maxWorkingDays: 10 },
  ladder: { community: '3WD', street: '5WD', district: '7WD' },
  reminderFraction: 0.8,
  callback: { window: '2WD', maxAttempts: 3 },
  rehandle: { duration: '5WD', maxCount: 1 },
};
