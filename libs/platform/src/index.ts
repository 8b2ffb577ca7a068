export * from './config/app-config';
export * from './logging/logger';
export * from './net/free-port';
export * from './postgres/embedded-postgres';
export * from './temporal/binaries';
export * from './temporal/connection';
export * from './temporal/dev-server';
export * from './temporal/search-attributes';
