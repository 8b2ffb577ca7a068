/** Intake decisions: emergency diversion, inadmissibility, on-the-spot answers, duplicates and repeat priority. */
export * from './intake';
export * from './duplicate';
export * from './patrol';
