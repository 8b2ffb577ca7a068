export * from './case-lifecycle';
export * from './lifecycle.types';
export * from './presets';
export * from './open-tasks';
export * from './notifications';
export * from './ladder';
