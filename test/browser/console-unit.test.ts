import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const consoleDir = join(__dirname, '..', '..', 'apps', 'console');

describe('console unit tests (vitest)', () => {
  it('should pass every vitest spec of apps/console', () => {
    // vitest prints its own report; a failing spec makes execFileSync throw with that report.
    const output = execFileSync(join(consoleDir, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=dot'], {
      cwd: consoleDir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    expect(output).toMatch(/Tests\s+\d+ passed/);
  });
});
