import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserEntity } from '../../../../libs/persistence/src';
import { appendAudit, AuditActor, AuditEntry } from '../../../../libs/persistence/src/audit';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
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

/**
 * Audit actions of sessions and API tokens (docs/auditors.md, "Actions through the API"). No entry ever holds a
 * password, a token or a token's hash: sessions are named by their JWT id, API tokens by their row id.
 */
export const AUTH_AUDIT_ACTIONS = {
  login: 'auth.login',
  loginFailed: 'auth.login-failed',
  logout: 'auth.logout',
  apiTokenCreated: 'auth.api-token-created',
  apiTokenRevoked: 'auth.api-token-revoked',
} as const;

/** Who a failed login is recorded as: nobody has been authenticated. */
export const ANONYMOUS_ACTOR: AuditActor = { userId: 'anonymous', role: 'anonymous', unitId: null };

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
 * read again on every request, so a deactivated user or a revoked token stops working at once. Logins, failed logins
 * and logouts are audited (`auth.*`); authenticating a request is not.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * Checks a username and password and opens a session, audited as `auth.login` (the session's JWT id and expiry;
   * the session is handed out only once its entry is written). A refusal is audited as `auth.login-failed` with the
   * username attempted (as looked up: trimmed, lower case), by the anonymous actor, whatever the cause: the log says
   * as little as the answer does about whether the user exists.
   *
   * @throws UnauthorizedException with the same message for an unknown user, an inactive one and a wrong password;
   *   an unknown user is checked against a decoy hash so the answer takes as long.
   */
  async login(username: string, password: string, now: Date = new Date()): Promise<Session> {
    const attempted = username.trim().toLowerCase();
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username: attempted, active: true });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) {
      await this.audit({
        at: now,
        actor: ANONYMOUS_ACTOR,
        action: AUTH_AUDIT_ACTIONS.loginFailed,
        subject: { kind: 'username', id: attempted },
        after: { username: attempted },
        source: 'api',
      });
      throw new UnauthorizedException(LOGIN_REFUSED);
    }
    const session = await this.open(user, now);
    await this.audit({
      at: now,
      actor: session.principal.actor,
      action: AUTH_AUDIT_ACTIONS.login,
      subject: { kind: 'session', id: session.principal.tokenId },
      after: { username: user.username, expiresAt: session.expiresAt.toISOString() },
      source: 'api',
    });
    return session;
  }

  /**
   * Opens a session for an active user without a password, for tests (`test/support/auth.ts`); not audited, and not
   * reachable over HTTP.
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
   * Revokes the presented credential, with its audit entry in the same transaction: a login JWT by its `jti` (kept
   * until it would have expired; `auth.logout`, subject the session), an API token by marking it revoked
   * (`auth.api-token-revoked`, `via: logout`). A credential already revoked meanwhile changes nothing and is not
   * audited again. Expired revocations are purged on the way.
   */
  async logout(principal: Principal, now: Date = new Date()): Promise<void> {
    const { actor } = principal;
    await this.dataSource.transaction(async (manager) => {
      if (principal.kind === 'api-token') {
        const [revoked] = (await manager.query(
          `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
          [principal.tokenId, now],
        )) as [unknown[], number];
        if (revoked.length === 0) return;
        await appendAudit(manager, [
          {
            at: now,
            actor,
            action: AUTH_AUDIT_ACTIONS.apiTokenRevoked,
            subject: { kind: 'api-token', id: principal.tokenId },
            before: { revokedAt: null },
            after: { revokedAt: now.toISOString(), via: 'logout' },
            source: 'api',
          },
        ]);
        return;
      }
      const expiresAt = principal.expiresAt ?? now;
      await manager.query(`DELETE FROM revoked_tokens WHERE expires_at < $1`, [now]);
      const inserted = (await manager.query(
        `INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING jti`,
        [principal.tokenId, expiresAt],
      )) as unknown[];
      if (inserted.length === 0) return;
      await appendAudit(manager, [
        {
          at: now,
          actor,
          action: AUTH_AUDIT_ACTIONS.logout,
          subject: { kind: 'session', id: principal.tokenId },
          before: { revoked: false },
          after: { revoked: true, expiresAt: expiresAt.toISOString() },
          source: 'api',
        },
      ]);
    });
  }

  /** Appends one entry in a transaction of its own (a login changes nothing else in the database). */
  private async audit(entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction((manager) => appendAudit(manager, [entry]));
  }

  private async open(user: UserEntity, now: Date): Promise<Session> {
    const issued = await this.tokens.issue(user.id, now);
    return {
      accessToken: issued.token,
      tokenType: 'Bearer',
      expiresAt: issued.expiresAt,
      principal: {
        actor: actorOf(await this.trees.currentIfStored(), user.id, user.role, user.unitId),
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
      actor: actorOf(await this.trees.currentIfStored(), user.id, user.role, user.unit_id),
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
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND scopes = '{}'`,
      [this.tokens.hashApiToken(token), now],
    )) as ApiTokenRow[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      // An integration is not a person: its actor id names the token, so the audit log says which one acted.
      actor: actorOf(await this.trees.currentIfStored(), `api-token:${row.id}`, row.role, row.unit_id),
      username: `api-token:${row.name}`,
      displayName: row.name,
      kind: 'api-token',
      tokenId: row.id,
      expiresAt: row.expires_at,
    };
  }
}
