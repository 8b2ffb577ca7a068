export * from './case.activities';
