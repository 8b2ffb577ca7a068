import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { ApiTokenEntity } from '../../../../libs/persistence/src';
import { API_TOKEN_SCOPES } from '../../../../libs/persistence/src/entities/api-token.entity';
import type { ApiTokenScope } from '../../../../libs/persistence/src/entities/api-token.entity';
import { USER_ROLES } from './auth.decorators';
import type { Principal, UserRole } from './auth.decorators';
import type { CreatedApiToken } from './api-token.service';
import type { Session } from './auth.service';
import { ID_PATTERN } from '../common/field-rules';

/** Body of `POST /api/v1/auth/login`. */
export class LoginDto {
  @ApiProperty({ example: 'operator' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'shaosheng-demo' })
  @IsString()
  @Length(1, 200)
  password: string;
}

/** Body of `POST /api/v1/auth/api-tokens`. */
export class CreateApiTokenDto {
  @ApiProperty({ example: 'open311-gateway', description: 'What the token is for' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/, {
    message: '$property must be 1-100 letters, digits, spaces, dots, dashes or underscores',
  })
  name: string;

  @ApiProperty({ enum: USER_ROLES.filter((role) => role !== 'admin'), example: 'operator' })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiProperty({ example: 'centre-12345', description: 'Org unit the token acts for; must suit the role' })
  @Matches(ID_PATTERN, { message: '$property must be a unit id' })
  unitId: string;

  @ApiPropertyOptional({ default: 90, minimum: 1, maximum: 730 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;

  @ApiPropertyOptional({
    enum: API_TOKEN_SCOPES,
    isArray: true,
    description: "`open311`: the token is an Open311 client's api_key only (refused as a bearer token)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(API_TOKEN_SCOPES.length)
  @IsIn(API_TOKEN_SCOPES, { each: true })
  scopes?: ApiTokenScope[];
}

/** Who the caller is: `GET /api/v1/auth/me`, and part of the login answer. */
export function toMeResponse(principal: Principal) {
  return {
    userId: principal.actor.userId,
    username: principal.username,
    displayName: principal.displayName,
    role: principal.actor.role,
    unitId: principal.actor.unitId,
    unitKind: principal.actor.unitKind ?? null,
    tokenKind: principal.kind,
    expiresAt: principal.expiresAt?.toISOString() ?? null,
  };
}

/** The login answer: the bearer token, its expiry, and who it is for. */
export function toSessionResponse(session: Session) {
  return {
    accessToken: session.accessToken,
    tokenType: session.tokenType,
    expiresAt: session.expiresAt.toISOString(),
    expiresIn: Math.max(0, Math.round((session.expiresAt.getTime() - Date.now()) / 1000)),
    user: toMeResponse(session.principal),
  };
}

/** An API token as listed: never its secret or hash. */
export function toApiTokenResponse(record: ApiTokenEntity) {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    unitId: record.unitId,
    scopes: record.scopes ?? [],
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}

/** A created API token: its listing plus the secret, shown this once. */
export function toCreatedApiTokenResponse(created: CreatedApiToken) {
  return { ...toApiTokenResponse(created.record), token: created.token };
}
