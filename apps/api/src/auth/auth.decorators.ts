import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { Actor, ActorRole } from '../../../../libs/domain/src/lifecycle/lifecycle.types';

/** A role a person or integration can hold; `system` is for the engine itself and is never issued. */
export type UserRole = Exclude<ActorRole, 'system'>;
export const USER_ROLES: readonly UserRole[] = ['operator', 'handler', 'coordinator', 'designer', 'auditor', 'admin'];

export const IS_PUBLIC_KEY = 'shaosheng:auth:public';
export const ROLES_KEY = 'shaosheng:auth:roles';

/** Who made the request, as the guard established it from the bearer token. */
export interface Principal {
  actor: Actor;
  username: string;
  displayName: string;
  /** `jwt` for a login session, `api-token` for an integration token. */
  kind: 'jwt' | 'api-token';
  /** The session's JWT id, or the API token's id. */
  tokenId: string;
  /** When the presented token stops working. */
  expiresAt: Date | null;
}

/** Where the guard stores the principal on the Express request. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** Opens an endpoint (or a whole controller) to unauthenticated callers. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Restricts an endpoint (or controller) to these roles. Without `@Roles`, any authenticated caller passes;
 * the method's list overrides the controller's.
 */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** The authenticated {@link Actor} (user, role, unit, unit kind), from the token, never from the body. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return currentPrincipal(context).actor;
});

/** The whole authenticated {@link Principal} (actor plus username and token details). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return currentPrincipal(context);
});

function currentPrincipal(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('Authentication required');
  return principal;
}

/** The authenticated {@link Actor}, or `undefined` on a {@link Public} endpoint called without a token. */
export const OptionalActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal?.actor,
);

/** Named rate limits (configured in AuthSettings): `login` per address and username, `intake` per address. */
export type RateLimitName = 'login' | 'intake';
export const RATE_LIMIT_KEY = 'shaosheng:auth:rate-limit';

/**
 * Applies a named rate limit to an endpoint; over the limit the answer is 429 with `Retry-After`. The `intake`
 * limit counts anonymous callers only: staff and integrations that present a token are not limited by it.
 */
export const RateLimit = (name: RateLimitName): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT_KEY, name);
