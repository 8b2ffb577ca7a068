import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { loadConfig } from '../../../../libs/platform/src/config/app-config';
import { ApiTokenService } from './api-token.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthSettings, resolveAuthSettings } from './auth.settings';
import { IdentitySeed } from './identity-seed';
import { rateLimitOptions, RateLimitGuard } from './rate-limit.guard';
import { TokenService } from './token.service';

/**
 * Identity and access: login and tokens, the global guards (authentication and roles first, then rate limits), and
 * the seeded accounts. Without explicit settings, they are resolved from the environment (`resolveAuthSettings`).
 */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings = resolveAuthSettings(loadConfig())): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [ThrottlerModule.forRoot(rateLimitOptions(settings))],
      controllers: [AuthController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        TokenService,
        AuthService,
        ApiTokenService,
        IdentitySeed,
        // Order matters: the auth guard puts the principal on the request before the rate-limit guard reads it.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [AuthService, TokenService],
    };
  }
}
