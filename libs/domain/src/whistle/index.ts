export * from './whistle-round';
export * from './whistle.types';
