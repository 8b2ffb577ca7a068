import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedState,
  embeddedStateFile,
  loadCliConfig,
  readEmbeddedState,
  removeEmbeddedState,
  writeEmbeddedState,
} from './embedded-state';

describe('the embedded state file the CLIs read', () => {
  let dataDir: string;
  const state = (overrides: Partial<EmbeddedState> = {}): EmbeddedState => ({
    pid: process.pid,
    startedAt: '2026-12-03T08:00:00.000Z',
    databaseUrl: 'postgres://u:p@127.0.0.1:5433/shaosheng',
    temporalAddress: '127.0.0.1:7233',
    namespace: 'default',
    taskQueue: 'shaosheng-cases',
    api: 'http://localhost:3000',
    ...overrides,
  });

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'embedded-state-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should give the CLIs the running npm start database and Temporal when DATABASE_URL is unset', () => {
    writeEmbeddedState(dataDir, state());
    expect(statSync(embeddedStateFile(dataDir)).mode & 0o777).toBe(0o600);
    const config = loadCliConfig({ DATA_DIR: dataDir });
    expect(config.databaseUrl).toBe('postgres://u:p@127.0.0.1:5433/shaosheng');
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', taskQueue: 'shaosheng-cases' });
  });

  it('should keep DATABASE_URL and TEMPORAL_ADDRESS when they are set', () => {
    writeEmbeddedState(dataDir, state());
    const config = loadCliConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://x:y@db:5432/other',
      TEMPORAL_ADDRESS: 'temporal:7233',
    });
    expect(config.databaseUrl).toBe('postgres://x:y@db:5432/other');
    expect(config.temporal.address).toBe('temporal:7233');
  });

  it('should ignore a file left behind by a process that no longer runs, and an unreadable one', () => {
    writeEmbeddedState(dataDir, state({ pid: 4_000_000 }));
    expect(readEmbeddedState(dataDir, () => false)).toBeUndefined();
    expect(loadCliConfig({ DATA_DIR: dataDir }).databaseUrl).toBeUndefined();
    writeFileSync(embeddedStateFile(dataDir), '{not json');
    expect(readEmbeddedState(dataDir)).toBeUndefined();
  });

  it('should remove the file on stop only when it is this process', () => {
    writeEmbeddedState(dataDir, state({ pid: process.ppid }));
    removeEmbeddedState(dataDir);
    expect(readEmbeddedState(dataDir)).toBeDefined();
    writeEmbeddedState(dataDir, state());
    removeEmbeddedState(dataDir);
    expect(readEmbeddedState(dataDir)).toBeUndefined();
  });
});
