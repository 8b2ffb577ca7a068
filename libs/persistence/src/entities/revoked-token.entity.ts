import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A login token (JWT) revoked before its expiry, by its `jti`. A row is only needed until the token would have
 * expired anyway; expired rows are purged.
 */
@Entity({ name: 'revoked_tokens' })
export class RevokedTokenEntity {
  @PrimaryColumn({ type: 'text' })
  jti: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
