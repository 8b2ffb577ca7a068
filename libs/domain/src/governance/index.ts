export * from './governance.types';
export * from './governance-item';
export * from './triggers';
export * from './effect-query';
