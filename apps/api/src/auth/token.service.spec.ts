import { JwtService } from '@nestjs/jwt';
import { AuthSettings } from './auth.settings';
import { API_TOKEN_PREFIX, TokenService } from './token.service';

const SETTINGS: AuthSettings = {
  jwtSecret: 'unit-test-secret-0123456789abcdef0123456789',
  tokenTtlSeconds: 600,
  seedDemoUsers: false,
  loginRateLimit: { limit: 10, windowSeconds: 60 },
  intakeRateLimit: { limit: 10, windowSeconds: 60 },
};

describe('TokenService', () => {
  const tokens = new TokenService(SETTINGS);
  const now = new Date('2026-11-23T08:00:00Z');

  it('should issue an HS256 JWT with subject, a fresh jti and the configured lifetime', async () => {
    const issued = await tokens.issue('user-1', now);
    const again = await tokens.issue('user-1', now);
    expect(issued.jti).not.toBe(again.jti);
    expect(issued.expiresAt.toISOString()).toBe('2026-11-23T08:10:00.000Z');
    const [header] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    await expect(tokens.verify(issued.token, now)).resolves.toEqual({
      sub: 'user-1',
      jti: issued.jti,
      exp: Math.floor(issued.expiresAt.getTime() / 1000),
    });
  });

  it('should refuse a token once it has expired', async () => {
    const issued = await tokens.issue('user-1', now);
    await expect(tokens.verify(issued.token, new Date(now.getTime() + 599_000))).resolves.toBeDefined();
    await expect(tokens.verify(issued.token, new Date(now.getTime() + 600_000))).resolves.toBeUndefined();
  });

  it('should refuse a token signed with another secret', async () => {
    const other = new TokenService({ ...SETTINGS, jwtSecret: 'another-secret-0123456789abcdef0123456789' });
    const issued = await other.issue('user-1', now);
    await expect(tokens.verify(issued.token, now)).resolves.toBeUndefined();
  });

  it('should refuse a tampered payload', async () => {
    const issued = await tokens.issue('user-1', now);
    const [header, payload, signature] = issued.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    await expect(tokens.verify(`${header}.${forged}.${signature}`, now)).resolves.toBeUndefined();
  });

  it('should refuse an unsigned (alg: none) token', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const iat = Math.floor(now.getTime() / 1000);
    const claims = { sub: 'user-1', jti: 'j', iat, exp: iat + 60, iss: 'shaosheng', aud: 'shaosheng-api' };
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    await expect(tokens.verify(unsigned, now)).resolves.toBeUndefined();
  });

  it('should refuse a token for another audience or without a jti', async () => {
    const jwt = new JwtService({ secret: SETTINGS.jwtSecret });
    const iat = Math.floor(now.getTime() / 1000);
    const wrongAudience = jwt.sign({ sub: 'u', jti: 'j', iat, exp: iat + 60, iss: 'shaosheng', aud: 'elsewhere' });
    const noJti = jwt.sign({ sub: 'u', iat, exp: iat + 60, iss: 'shaosheng', aud: 'shaosheng-api' });
    await expect(tokens.verify(wrongAudience, now)).resolves.toBeUndefined();
    await expect(tokens.verify(noJti, now)).resolves.toBeUndefined();
    await expect(tokens.verify('not a jwt', now)).resolves.toBeUndefined();
  });

  it('should make random prefixed API tokens and store only their SHA-256', () => {
    const [a, b] = [tokens.newApiToken(), tokens.newApiToken()];
    expect(a).toMatch(/^shs_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(tokens.isApiToken(a)).toBe(true);
    expect(tokens.isApiToken('eyJhbGciOi')).toBe(false);
    expect(tokens.hashApiToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.hashApiToken(a)).toBe(tokens.hashApiToken(a));
    expect(tokens.hashApiToken(a)).not.toContain(a.slice(API_TOKEN_PREFIX.length));
  });
});
