/**
 * The org tree: units from the city or county root to the grid, departments, committees and offices; place
 * resolution; comparing two lists of units (org-diff). The demo city 示范市 is seed data: import it from
 * `./demo-city` (seeds, fixtures and tests only; lint keeps it so).
 */
export * from './org.types';
export * from './geo';
export * from './org-tree';
export * from './resolve-place';
export * from './org-diff';
