/**
 * Working-day calendar: durations and deadline arithmetic, pure and safe to import from workflows. Build calendars
 * from national data with `./chinese-days-source` (outside workflows).
 */
export * from './calendar.types';
export * from './duration';
export * from './calendar';
