import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, IS_PUBLIC_KEY, Principal, ROLES_KEY, UserRole } from './auth.decorators';
import { AuthService } from './auth.service';

/** What the guard needs from the auth service (a seam for unit tests). */
export interface Authenticator {
  authenticate(credential: string, now?: Date): Promise<Principal | undefined>;
}

/**
 * The global guard (APP_GUARD): every endpoint needs a valid bearer token unless marked {@link Public}; with
 * {@link Roles}, the caller's role must be listed (else 403). A token presented to a public endpoint is checked
 * too: a stale or forged one is a 401 rather than a silent anonymous request, and a valid one puts the actor on
 * the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const decision = await decideAccess(
      {
        isPublic: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
        roles: this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets),
        authorization: request.headers.authorization,
      },
      this.auth,
    );
    if (decision.principal) request.principal = decision.principal;
    if (decision.outcome === 'unauthenticated') {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="shaosheng"');
      throw new UnauthorizedException(decision.reason);
    }
    if (decision.outcome === 'forbidden') throw new ForbiddenException(decision.reason);
    return true;
  }
}

/** The guard's decision for one request. */
export type AccessDecision =
  | { outcome: 'allowed'; principal?: Principal }
  | { outcome: 'unauthenticated'; reason: string; principal?: undefined }
  | { outcome: 'forbidden'; reason: string; principal: Principal };

/**
 * Decides access from the endpoint's metadata and the `Authorization` header; the only I/O is authenticating the
 * credential.
 */
export async function decideAccess(
  request: { isPublic: boolean; roles?: readonly UserRole[]; authorization?: string },
  authenticator: Authenticator,
  now: Date = new Date(),
): Promise<AccessDecision> {
  const { authorization } = request;
  if (authorization === undefined || authorization === '') {
    return request.isPublic
      ? { outcome: 'allowed' }
      : { outcome: 'unauthenticated', reason: 'Authentication required: send Authorization: Bearer <token>' };
  }
  const match = /^Bearer +([\x21-\x7e]{1,4096})$/i.exec(authorization);
  if (!match) return { outcome: 'unauthenticated', reason: 'The Authorization header must be: Bearer <token>' };
  const principal = await authenticator.authenticate(match[1], now);
  if (!principal) return { outcome: 'unauthenticated', reason: 'The token is invalid, expired or revoked' };
  const { roles } = request;
  if (!request.isPublic && roles && roles.length > 0 && !roles.includes(principal.actor.role as UserRole)) {
    return { outcome: 'forbidden', reason: `This needs one of the roles: ${roles.join(', ')}`, principal };
  }
  return { outcome: 'allowed', principal };
}
