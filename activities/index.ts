export * from './case.activities';
export * from './lifecycle.activities';
