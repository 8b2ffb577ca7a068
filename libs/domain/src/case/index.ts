export * from './case.types';
export * from './search-attributes';
export * from './text';
