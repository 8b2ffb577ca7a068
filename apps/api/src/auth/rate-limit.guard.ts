import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerRequest } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuthenticatedRequest, RATE_LIMIT_KEY, RateLimitName } from './auth.decorators';
import { AuthSettings } from './auth.settings';

/**
 * Throttler options from the auth settings: `login` counts attempts per client address and username (so guessing
 * one account's password is slow while colleagues behind the same address can still log in), `intake` counts
 * anonymous submissions per client address. Limits live in memory, per API process.
 */
export function rateLimitOptions(settings: AuthSettings): ThrottlerModuleOptions {
  return {
    errorMessage: 'Too many requests: try again later',
    throttlers: [
      {
        name: 'login',
        limit: settings.loginRateLimit.limit,
        ttl: settings.loginRateLimit.windowSeconds * 1000,
        getTracker: (req: Record<string, unknown>) => {
          const body = req.body as { username?: unknown } | undefined;
          const username = typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : '';
          return `${String(req.ip)}|${username}`;
        },
      },
      {
        name: 'intake',
        limit: settings.intakeRateLimit.limit,
        ttl: settings.intakeRateLimit.windowSeconds * 1000,
      },
    ],
  };
}

/**
 * The global rate-limit guard: applies only the limit an endpoint names with `@RateLimit(name)` (endpoints without
 * one are not limited), skips the `intake` limit for authenticated callers (the auth guard runs first), and
 * answers 429 with a standard `Retry-After` header (seconds).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = props;
    const wanted = this.reflector.getAllAndOverride<RateLimitName | undefined>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (wanted !== throttler.name) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (wanted === 'intake' && request.principal) return true;
    return super.handleRequest(props);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
