export * from './audit.types';
export * from './audit.verify';
export * from './audit.writer';
export * from './canonical';
export * from './case-event-audit';
export * from './consistency';
