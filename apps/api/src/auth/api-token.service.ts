import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { ApiTokenEntity } from '../../../../libs/persistence/src';
import { ApiError, ApiErrorCode } from '../common/api-error';
import type { Principal, UserRole } from './auth.decorators';
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
}

/** A created token: its row and the secret, which is never shown again. */
export interface CreatedApiToken {
  record: ApiTokenEntity;
  token: string;
}

/**
 * API tokens for integrations: created and revoked by admins, stored as SHA-256 only. A token acts with its own role
 * and unit; it cannot be an admin token, so a leaked integration secret cannot mint more tokens.
 */
@Injectable()
export class ApiTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  /**
   * Creates a token.
   *
   * @throws ApiError `ValidationFailed` for an admin role, or a unit that is not in the org tree or does not suit the
   *   role.
   */
  async create(request: ApiTokenRequest, creator: Principal, now: Date = new Date()): Promise<CreatedApiToken> {
    if (request.role === 'admin') {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field: 'role', rule: 'not-admin', message: 'an API token cannot have the admin role' },
      ]);
    }
    const problem = membershipProblem(DEMO_CITY, request.role, request.unitId);
    if (problem) {
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field: 'unitId', rule: 'org-unit', message: problem },
      ]);
    }
    const token = this.tokens.newApiToken();
    const repository = this.dataSource.getRepository(ApiTokenEntity);
    const record = await repository.save(
      repository.create({
        name: request.name,
        tokenHash: this.tokens.hashApiToken(token),
        role: request.role,
        unitId: request.unitId,
        createdBy: creator.actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + request.expiresInDays * DAY_MS),
        revokedAt: null,
      }),
    );
    return { record, token };
  }

  /** Every token, newest first, revoked and expired ones included (never their secrets). */
  list(): Promise<ApiTokenEntity[]> {
    return this.dataSource.getRepository(ApiTokenEntity).find({ order: { createdAt: 'DESC' } });
  }

  /**
   * Revokes a token from `now` on; revoking a revoked token changes nothing.
   *
   * @throws NotFoundException when no token has this id.
   */
  async revoke(id: string, now: Date = new Date()): Promise<void> {
    const repository = this.dataSource.getRepository(ApiTokenEntity);
    const token = await repository.findOneBy({ id });
    if (!token) throw new NotFoundException(`No API token ${id}`);
    if (!token.revokedAt) await repository.update({ id }, { revokedAt: now });
  }
}
