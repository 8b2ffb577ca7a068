import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import type { AuthSettings } from '../../apps/api/src/auth/auth.settings';
import { DEMO_PASSWORD, DEMO_USERS, DemoUser } from '../../apps/api/src/auth/demo-users';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../apps/api/src/auth/token.service';

export { DEMO_PASSWORD, DEMO_USERS };
export type { DemoUser };

/**
 * Auth settings for tests: a fixed secret, demo users seeded, and rate limits high enough that no test trips
 * them by accident. Pass as `createApiApp({ ..., auth: TEST_AUTH })`; override a limit to test it.
 */
export const TEST_AUTH: AuthSettings = {
  jwtSecret: 'test-secret-only-for-jest-0123456789abcdef',
  tokenTtlSeconds: 3600,
  seedDemoUsers: true,
  loginRateLimit: { limit: 10_000, windowSeconds: 60 },
  intakeRateLimit: { limit: 10_000, windowSeconds: 60 },
};

/** Username of a seeded demo user; throws when the demo city seeds none with that role at that unit. */
export function demoUser(role: DemoUser['role'], unitId?: string): string {
  const user = DEMO_USERS.find((candidate) => candidate.role === role && (!unitId || candidate.unitId === unitId));
  if (!user) throw new Error(`no demo ${role}${unitId ? ` at ${unitId}` : ''}: see apps/api/src/auth/demo-users.ts`);
  return user.username;
}

/** `handler.<unitId>`, e.g. `handlerOf('s-hubin')`; throws when no such demo user is seeded. */
export const handlerOf = (unitId: string): string => demoUser('handler', unitId);
/** `coordinator.<committeeId>`, e.g. `coordinatorOf('cc-s-hubin')`; throws when no such demo user is seeded. */
export const coordinatorOf = (committeeId: string): string => demoUser('coordinator', committeeId);

/**
 * A bearer token for a seeded demo user.
 *
 * - Given the Nest application, the token is issued by the app's own `AuthService` (no HTTP login, so no
 *   password hashing and no login rate limit): whatever secret the app was built with, the token is valid.
 * - Given a base URL (`http://127.0.0.1:3000`), it logs in over HTTP with the demo password.
 */
export async function tokenFor(target: INestApplication | string, username: string): Promise<string> {
  if (typeof target === 'string') return login(target, username);
  const session = await target.get(AuthService).issueSession(username);
  return session.accessToken;
}

/** Logs in over HTTP (`POST /api/v1/auth/login`) and returns the access token; throws with the answer on failure. */
export async function login(
  target: INestApplication | string,
  username: string,
  password: string = DEMO_PASSWORD,
): Promise<string> {
  const server = typeof target === 'string' ? target : target.getHttpServer();
  const response = await request(server).post('/api/v1/auth/login').send({ username, password });
  if (response.status !== 200) {
    throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return (response.body as { accessToken: string }).accessToken;
}

/** `{ Authorization: 'Bearer <token>' }`, for supertest's `.set(...)`. */
export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });

/**
 * Signs a login JWT directly with {@link TEST_AUTH}'s secret (valid only against an app built with `TEST_AUTH`),
 * e.g. an expired one. `userId` must be a user's id (the guard reads the account on every request).
 */
export function signTestToken(claims: { userId: string; expiresAt: Date; issuedAt?: Date; jti?: string }): string {
  const iat = Math.floor((claims.issuedAt ?? new Date(claims.expiresAt.getTime() - 3600_000)).getTime() / 1000);
  return new JwtService({ secret: TEST_AUTH.jwtSecret }).sign({
    sub: claims.userId,
    jti: claims.jti ?? randomUUID(),
    iat,
    exp: Math.floor(claims.expiresAt.getTime() / 1000),
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
  });
}
