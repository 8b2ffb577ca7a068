export * from './score.types';
export * from './month';
export * from './compute-scores';
export * from './hotspots';
export * from './definition-policy';
