import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiTokenEntity } from '../../../../libs/persistence/src';
import type { ApiTokenScope } from '../../../../libs/persistence/src/entities/api-token.entity';
import { appendAudit, AuditActor } from '../../../../libs/persistence/src/audit';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { Principal, UserRole } from './auth.decorators';
import { AUTH_AUDIT_ACTIONS } from './auth.service';
import { membershipProblem } from './membership';
import { TokenService } from './token.service';

const DAY_MS = 24 * 3600 * 1000;

/** What an admin asks for when creating an API token. */
export interface ApiTokenRequest {
  name: string;
  role: UserRole;
  unitId: string;
  /** Lifetime in days from now. */
  expiresInDays: number;
  /** What the token is limited to (`open311`: an Open311 client's api_key only); none by default. */
  scopes?: ApiTokenScope[];
}

/** A created token: its row and the secret, which is never shown again. */
export interface CreatedApiToken {
  record: ApiTokenEntity;
  token: string;
}

/** Who a revocation is recorded as when the caller does not say (see {@link ApiTokenService.revoke}). */
const UNNAMED_ADMIN: AuditActor = { userId: 'unknown', role: 'admin', unitId: null };

/**
 * API tokens for integrations: created and revoked by admins, stored as SHA-256 only. A token acts with its own role
 * and unit; it cannot be an admin token, so a leaked integration secret cannot mint more tokens. Creation and
 * revocation are audited (`auth.api-token-created`, `auth.api-token-revoked`) in the transaction that makes them,
 * never with the secret or its hash.
 */
@Injectable()
export class ApiTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * Creates a token.
   *
   * @throws ApiError `ValidationFailed` for an admin role, or a unit that is not in the stored org tree or does not
   *   suit the role.
   */
  async create(request: ApiTokenRequest, creator: Principal, now: Date = new Date()): Promise<CreatedApiToken> {
    if (request.role === 'admin') {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field: 'role', rule: 'not-admin', message: 'an API token cannot have the admin role' },
      ]);
    }
    const tree = await this.trees.currentIfStored();
    const problem = tree ? membershipProblem(tree, request.role, request.unitId) : 'no org tree is stored yet';
    if (problem) {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field: 'unitId', rule: 'org-unit', message: problem },
      ]);
    }
    const token = this.tokens.newApiToken();
    const record = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(ApiTokenEntity);
      const saved = await repository.save(
        repository.create({
          name: request.name,
          tokenHash: this.tokens.hashApiToken(token),
          role: request.role,
          unitId: request.unitId,
          scopes: [...new Set(request.scopes ?? [])],
          createdBy: creator.actor.userId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + request.expiresInDays * DAY_MS),
          revokedAt: null,
        }),
      );
      await appendAudit(manager, [
        {
          at: now,
          actor: creator.actor,
          action: AUTH_AUDIT_ACTIONS.apiTokenCreated,
          subject: { kind: 'api-token', id: saved.id },
          after: {
            name: saved.name,
            role: saved.role,
            unitId: saved.unitId,
            ...(saved.scopes.length > 0 ? { scopes: saved.scopes } : {}),
            expiresAt: saved.expiresAt.toISOString(),
          },
          source: 'api',
        },
      ]);
      return saved;
    });
    return { record, token };
  }

  /** Every token, newest first, revoked and expired ones included (never their secrets). */
  list(): Promise<ApiTokenEntity[]> {
    return this.dataSource.getRepository(ApiTokenEntity).find({ order: { createdAt: 'DESC' } });
  }

  /**
   * Revokes a token from `now` on, by `revoker`, audited as `auth.api-token-revoked` in the same transaction;
   * revoking a revoked token changes nothing and writes nothing.
   *
   * `revoker` should always be given; without it the entry names an admin it cannot identify (`userId: unknown`:
   * only admins reach the endpoint).
   *
   * @throws NotFoundException when no token has this id.
   */
  async revoke(id: string, revoker?: Principal, now: Date = new Date()): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [token] = (await manager.query(`SELECT revoked_at FROM api_tokens WHERE id = $1 FOR UPDATE`, [id])) as {
        revoked_at: Date | null;
      }[];
      if (!token) throw new NotFoundException(`No API token ${id}`);
      if (token.revoked_at) return;
      await manager.query(`UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, [id, now]);
      await appendAudit(manager, [
        {
          at: now,
          actor: revoker?.actor ?? UNNAMED_ADMIN,
          action: AUTH_AUDIT_ACTIONS.apiTokenRevoked,
          subject: { kind: 'api-token', id },
          before: { revokedAt: null },
          after: { revokedAt: now.toISOString() },
          source: 'api',
        },
      ]);
    });
  }
}
