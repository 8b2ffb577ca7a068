import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UserRoleValue } from './user.entity';

/** Scopes an API token can be limited to (see {@link ApiTokenEntity.scopes}). */
export const API_TOKEN_SCOPES = ['open311'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * A bearer token for an integration (an Open311 gateway, a grid workers' app). Only the SHA-256 of the secret is
 * stored: the secret is shown once, when the token is created. It acts with its own role and unit.
 */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** What the token is for, e.g. `open311-gateway`. */
  @Column({ type: 'text' })
  name: string;

  /** SHA-256 of the token, hex; unique. */
  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash: string;

  @Column({ type: 'text' })
  role: UserRoleValue;

  @Column({ name: 'unit_id', type: 'text' })
  unitId: string;

  /**
   * What the token is limited to; empty for a token that acts with its role and unit on the API. `open311`: the
   * token is an Open311 client's `api_key` (it files requests at /open311/v2) and is refused as a bearer token.
   */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: ApiTokenScope[];

  /** The admin who created it (a user id). */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
