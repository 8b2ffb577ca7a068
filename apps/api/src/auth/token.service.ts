import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { AuthSettings } from './auth.settings';

/** `iss` and `aud` of every login token. */
export const JWT_ISSUER = 'shaosheng';
export const JWT_AUDIENCE = 'shaosheng-api';
/** Prefix of API tokens: tells them apart from JWTs at a glance and lets secret scanners find leaked ones. */
export const API_TOKEN_PREFIX = 'shs_';

/** What a verified login token says. */
export interface SessionClaims {
  /** User id. */
  sub: string;
  /** Token id, the handle for revocation. */
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** A freshly issued login token. */
export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

/**
 * Login tokens: HS256 JWTs (via `@nestjs/jwt`, i.e. `jsonwebtoken`) with issuer, audience, subject, a random `jti`
 * and an expiry; verification pins the algorithm, so `alg: none` or an RS/HS confusion is refused. Also makes and
 * hashes API tokens, which are random strings, not JWTs.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(private readonly settings: AuthSettings) {
    this.jwt = new JwtService({
      // A key object made once: given a string, jsonwebtoken first tries it as a PEM public key (and throws) on
      // every verification before making a secret key of it.
      secret: createSecretKey(Buffer.from(settings.jwtSecret)),
      signOptions: { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      verifyOptions: { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    });
  }

  /** Signs a login token for a user, valid for the configured lifetime from `now`. */
  async issue(userId: string, now: Date = new Date()): Promise<IssuedToken> {
    const jti = randomUUID();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.settings.tokenTtlSeconds;
    const token = await this.jwt.signAsync({ sub: userId, jti, iat, exp });
    return { token, jti, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Verifies signature, algorithm, issuer, audience and expiry (against `now`).
   *
   * @returns the claims, or `undefined` for any token that does not pass (the caller answers 401 either way).
   */
  async verify(token: string, now: Date = new Date()): Promise<SessionClaims | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<SessionClaims>>(token, {
        clockTimestamp: Math.floor(now.getTime() / 1000),
      });
      if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') {
        return undefined;
      }
      return { sub: claims.sub, jti: claims.jti, exp: claims.exp };
    } catch {
      return undefined;
    }
  }

  /** A new API token secret: the prefix and 32 random bytes in base64url (43 characters). */
  newApiToken(): string {
    return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  }

  /** Whether a bearer credential is an API token (else it is treated as a JWT). */
  isApiToken(token: string): boolean {
    return token.startsWith(API_TOKEN_PREFIX);
  }

  /** SHA-256 (hex) of an API token: the only form in which it is stored. */
  hashApiToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
