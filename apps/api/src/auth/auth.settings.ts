import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ConfigError, RateLimit } from '../../../../libs/platform/src/config/app-config';

/** What the auth module runs with, resolved once at boot; also its injection token (a plain object fits it). */
export class AuthSettings {
  /** HS256 secret of login tokens (at least 32 characters). */
  readonly jwtSecret: string;
  /** Lifetime of a login token, in seconds. */
  readonly tokenTtlSeconds: number;
  /** Seed the demo city's users (all with the demo password) at start. */
  readonly seedDemoUsers: boolean;
  /** When set, an `admin` user with this password is created at start if none exists. */
  readonly adminPassword?: string;
  /** Login attempts per client address and username per window. */
  readonly loginRateLimit: RateLimit;
  /** Anonymous intake submissions per client address per window. */
  readonly intakeRateLimit: RateLimit;
}

/** Name of the file, under the data directory, holding the generated secret of an embedded install. */
export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * Resolves the auth settings from the validated configuration. The token secret is `JWT_SECRET` when set. Without
 * it, a server with its own database (`DATABASE_URL` set: production) refuses to start, since a secret made up per
 * process would log everyone out on each restart and differ between instances. The embedded install (`npm start`)
 * generates one on first start and keeps it in `<DATA_DIR>/jwt-secret` (mode 0600), so tokens survive a restart.
 *
 * @throws ConfigError naming `JWT_SECRET` when it is required and missing.
 */
export function resolveAuthSettings(config: AppConfig): AuthSettings {
  const { jwtSecret, ...rest } = config.auth;
  if (jwtSecret) return { jwtSecret, ...rest };
  if (config.databaseUrl) {
    throw new ConfigError([
      'JWT_SECRET is required when DATABASE_URL is set (at least 32 characters, e.g. `openssl rand -base64 48`); ' +
        'only the embedded setup generates its own',
    ]);
  }
  return { jwtSecret: persistedSecret(config.embedded.dataDir), ...rest };
}

/** Reads the generated secret under `dataDir`, creating it (48 random bytes, base64url) on first use. */
export function persistedSecret(dataDir: string): string {
  const file = join(dataDir, JWT_SECRET_FILE);
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created the file meanwhile: its secret wins.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecret(file) as string;
  }
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (text.length < 32) {
    throw new ConfigError([`${file} holds fewer than 32 characters: delete it to generate a new secret`]);
  }
  return text;
}
