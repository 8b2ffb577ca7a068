/** The calendar source lives in libs/persistence (the API reads it too); the activities import it from here. */
export * from '../libs/persistence/src/calendar/calendar-source';
