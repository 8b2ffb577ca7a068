export * from './whistle-round';
export * from './whistle.types';
export * from './open-whistle-tasks';
