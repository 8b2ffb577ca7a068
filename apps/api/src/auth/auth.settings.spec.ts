import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../../libs/platform/src/config/app-config';
import { JWT_SECRET_FILE, resolveAuthSettings } from './auth.settings';

describe('auth settings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'shaosheng-auth-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should default to 8-hour tokens, demo users without a database URL, and modest rate limits', () => {
    expect(loadConfig({}).auth).toEqual({
      jwtSecret: undefined,
      tokenTtlSeconds: 28_800,
      seedDemoUsers: true,
      adminPassword: undefined,
      loginRateLimit: { limit: 10, windowSeconds: 60 },
      intakeRateLimit: { limit: 30, windowSeconds: 60 },
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }).auth.seedDemoUsers).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', AUTH_DEMO_USERS: 'true' }).auth.seedDemoUsers).toBe(true);
  });

  it('should read every auth variable', () => {
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      AUTH_TOKEN_TTL_SECONDS: '900',
      AUTH_DEMO_USERS: 'false',
      AUTH_ADMIN_PASSWORD: 'a-long-admin-password',
      LOGIN_RATE_LIMIT: '3',
      LOGIN_RATE_WINDOW_SECONDS: '30',
      INTAKE_RATE_LIMIT: '100',
      INTAKE_RATE_WINDOW_SECONDS: '3600',
    });
    expect(config.auth).toEqual({
      jwtSecret: 'x'.repeat(32),
      tokenTtlSeconds: 900,
      seedDemoUsers: false,
      adminPassword: 'a-long-admin-password',
      loginRateLimit: { limit: 3, windowSeconds: 30 },
      intakeRateLimit: { limit: 100, windowSeconds: 3600 },
    });
  });

  it('should refuse a short secret without echoing it', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET="\(hidden\)": JWT_SECRET must be/);
    expect(() => loadConfig({ JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ AUTH_TOKEN_TTL_SECONDS: '5' })).toThrow(/AUTH_TOKEN_TTL_SECONDS="5"/);
  });

  it('should require JWT_SECRET when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/x', DATA_DIR: dataDir });
    expect(() => resolveAuthSettings(config)).toThrow(ConfigError);
    expect(() => resolveAuthSettings(config)).toThrow(/JWT_SECRET is required when DATABASE_URL is set/);
  });

  it('should use JWT_SECRET when set', () => {
    const config = loadConfig({ JWT_SECRET: 's'.repeat(40), DATA_DIR: dataDir });
    expect(resolveAuthSettings(config).jwtSecret).toBe('s'.repeat(40));
  });

  it('should generate a secret once for the embedded setup and keep it under the data directory', () => {
    const config = loadConfig({ DATA_DIR: join(dataDir, 'nested') });
    const first = resolveAuthSettings(config).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAuthSettings(config).jwtSecret).toBe(first);
    const file = join(dataDir, 'nested', JWT_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('should refuse a truncated secret file rather than use it', () => {
    writeFileSync(join(dataDir, JWT_SECRET_FILE), 'too-short\n');
    expect(() => resolveAuthSettings(loadConfig({ DATA_DIR: dataDir }))).toThrow(/delete it to generate a new secret/);
  });
});
