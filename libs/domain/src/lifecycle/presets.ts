import type { LifecycleRules } from './lifecycle.types';

/**
 * The `beijing` preset's lifecycle rules: return within 2 working days, one extension of at most 10 working days
 * (Shandong), committee deadlines 3 / 5 / 7 working days, reminders at 80 %, call-back within 2 working days in up
 * to 3 attempts, one re-handling of 5 working days; whistle grades blue (report within 1 working day), yellow
 * (4 working hours) and red (30 minutes, Pinggu's figure for emergencies), whistled by a street/township or a
 * community handler, at most 6 departments per round; an overdue reminder the working day after a deadline passes,
 * then one supervision level up every 5 working days the case stays overdue.
 */
export const BEIJING_LIFECYCLE_RULES: LifecycleRules = {
  returnWindow: '2WD',
  extension: { maxCount: 1, maxWorkingDays: 10 },
  ladder: { community: '3WD', street: '5WD', district: '7WD' },
  reminderFraction: 0.8,
  callback: { window: '2WD', maxAttempts: 3 },
  rehandle: { duration: '5WD', maxCount: 1 },
  whistle: {
    grades: {
      blue: { reportLimit: '1WD', description: '一般事项：部门派员报到并按期办结' },
      yellow: { reportLimit: '4WH', description: '较大事项：部门负责人报到，联合处置' },
      red: { reportLimit: 'PT30M', description: '紧急事项：部门主要负责人30分钟内到场' },
    },
    whistlerKinds: ['street', 'township', 'community', 'village'],
    maxDepartments: 6,
    answeredBy: { street: 'departments', township: 'departments', community: 'departments', village: 'departments' },
    triggers: ['citizen-demand', 'key-work', 'joint-enforcement', 'emergency-response'],
    types: [],
    stayUntilDone: false,
    rating: { required: true, veto: false },
  },
  supervision: { reminderAfter: '1WD', raiseAfter: '5WD' },
};
