/**
 * The org tree: units from city to grid, departments and committees; place resolution. The demo city 示范市 is seed
 * data: import it from `./demo-city` (seeds, fixtures and tests only; lint keeps it so).
 */
export * from './org.types';
export * from './geo';
export * from './org-tree';
export * from './resolve-place';
