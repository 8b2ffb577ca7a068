import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { RevokedTokenEntity, UserEntity } from '../../../../libs/persistence/src';
import type { Principal, UserRole } from './auth.decorators';
import { actorOf } from './membership';
import { decoyHash, verifyPassword } from './password';
import { TokenService } from './token.service';

/** The answer to a successful login. */
export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: Date;
  principal: Principal;
}

/** The one answer to every failed login, so that it does not tell a wrong password from an unknown user. */
const LOGIN_REFUSED = 'Invalid username or password';

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  unit_id: string;
}

interface ApiTokenRow {
  id: string;
  name: string;
  role: UserRole;
  unit_id: string;
  expires_at: Date;
}

/**
 * Sessions: login with a password, bearer-token authentication (login JWTs and API tokens), logout. The account is
 * read again on every request, so a deactivated user or a revoked token stops working at once.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  /**
   * Checks a username and password and opens a session.
   *
   * @throws UnauthorizedException with the same message for an unknown user, an inactive one and a wrong password;
   *   an unknown user is checked against a decoy hash so the answer takes as long.
   */
  async login(username: string, password: string, now: Date = new Date()): Promise<Session> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ username: username.trim().toLowerCase(), active: true });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) throw new UnauthorizedException(LOGIN_REFUSED);
    return this.open(user, now);
  }

  /**
   * Opens a session for an active user without a password: for login after the password check, and for tests
   * (`test/support/auth.ts`). Not reachable over HTTP.
   */
  async issueSession(username: string, now: Date = new Date()): Promise<Session> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username, active: true });
    if (!user) throw new UnauthorizedException(`no active user ${username}`);
    return this.open(user, now);
  }

  /**
   * Who a bearer credential belongs to: an API token (prefix `shs_`) that is neither revoked nor expired, or a
   * login JWT that verifies, is not revoked and whose user is still active.
   *
   * @returns the principal, or `undefined` when the credential does not authenticate (for whatever reason).
   */
  async authenticate(credential: string, now: Date = new Date()): Promise<Principal | undefined> {
    return this.tokens.isApiToken(credential)
      ? this.authenticateApiToken(credential, now)
      : this.authenticateSession(credential, now);
  }

  /**
   * Revokes the presented credential: a login JWT by its `jti` (kept until it would have expired), an API token by
   * marking it revoked. Expired revocations are purged on the way.
   */
  async logout(principal: Principal, now: Date = new Date()): Promise<void> {
    if (principal.kind === 'api-token') {
      await this.dataSource.query(`UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [
        principal.tokenId,
        now,
      ]);
      return;
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(RevokedTokenEntity)
      .values({ jti: principal.tokenId, expiresAt: principal.expiresAt ?? now })
      .orIgnore()
      .execute();
    await this.dataSource.query(`DELETE FROM revoked_tokens WHERE expires_at < $1`, [now]);
  }

  private async open(user: UserEntity, now: Date): Promise<Session> {
    const issued = await this.tokens.issue(user.id, now);
    return {
      accessToken: issued.token,
      tokenType: 'Bearer',
      expiresAt: issued.expiresAt,
      principal: {
        actor: actorOf(DEMO_CITY, user.id, user.role, user.unitId),
        username: user.username,
        displayName: user.displayName,
        kind: 'jwt',
        tokenId: issued.jti,
        expiresAt: issued.expiresAt,
      },
    };
  }

  private async authenticateSession(token: string, now: Date): Promise<Principal | undefined> {
    const claims = await this.tokens.verify(token, now);
    if (!claims) return undefined;
    const rows = (await this.dataSource.query(
      `SELECT u.id, u.username, u.display_name, u.role, u.unit_id FROM users u
        WHERE u.id = $1 AND u.active AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2)`,
      [claims.sub, claims.jti],
    )) as AccountRow[];
    const user = rows[0];
    if (!user) return undefined;
    return {
      actor: actorOf(DEMO_CITY, user.id, user.role, user.unit_id),
      username: user.username,
      displayName: user.display_name,
      kind: 'jwt',
      tokenId: claims.jti,
      expiresAt: new Date(claims.exp * 1000),
    };
  }

  private async authenticateApiToken(token: string, now: Date): Promise<Principal | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT id, name, role, unit_id, expires_at FROM api_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [this.tokens.hashApiToken(token), now],
    )) as ApiTokenRow[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      // An integration is not a person: its actor id names the token, so the audit log says which one acted.
      actor: actorOf(DEMO_CITY, `api-token:${row.id}`, row.role, row.unit_id),
      username: `api-token:${row.name}`,
      displayName: row.name,
      kind: 'api-token',
      tokenId: row.id,
      expiresAt: row.expires_at,
    };
  }
}
