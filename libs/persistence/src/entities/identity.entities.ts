import { ApiTokenEntity } from './api-token.entity';
import { RevokedTokenEntity } from './revoked-token.entity';
import { UserEntity } from './user.entity';

/** Entities of users, roles, memberships and tokens (owned by the auth module). */
export const IDENTITY_ENTITIES: Array<new () => unknown> = [UserEntity, ApiTokenEntity, RevokedTokenEntity];
