/** The org tree: units from city to grid, departments and committees; place resolution; the demo city 示范市. */
export * from './org.types';
export * from './geo';
export * from './org-tree';
export * from './resolve-place';
export * from './demo-city';
