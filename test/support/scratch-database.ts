import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../libs/persistence/src';
import { requiredTestEnv, TEST_ENV } from './test-env';

/** A migrated database of a test file's own. */
export interface ScratchDatabase {
  url: string;
  /** Drops the database (closing whatever connections are left). */
  drop(): Promise<void>;
}

/**
 * Creates the migrated, empty template scratch databases are copied from (the integration tier's global setup, once
 * per run: copying a template takes a fraction of migrating). Nothing may stay connected to it.
 */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = 'shaosheng_template';
  await onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const template = process.env[TEST_ENV.templateDatabase];
  await onServer(serverUrl, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!template) await runMigrations(url.toString());
  return name;
}

/**
 * Creates and migrates a database of its own on the integration tier's PostgreSQL server, for a test file that
 * changes data every other file shares (the calendar, the org tree) or needs an empty one. Drop it in `afterAll`.
 */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const serverUrl = requiredTestEnv(TEST_ENV.databaseUrl);
  const name = `${label.replace(/[^a-z0-9]/g, '_')}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const template = process.env[TEST_ENV.templateDatabase];
  await onServer(serverUrl, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!template) await runMigrations(url.toString());
  // Case numbers name workflows (`case-<caseNo>`) in the one Temporal namespace every file shares: a scratch
  // database numbers its cases far from the shared database's and from other scratch databases' (within int4:
  // intake reads the sequence as an integer).
  await onDatabase(url.toString(), `SELECT setval('case_no_seq', ${100_000_000 + Math.floor(Math.random() * 1.9e9)})`);
  return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

const onDatabase = (url: string, sql: string) => onServer(url, sql);

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
