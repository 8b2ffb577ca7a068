import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenService } from './api-token.service';
import { CurrentPrincipal, Public, RateLimit, Roles } from './auth.decorators';
import type { Principal } from './auth.decorators';
import {
  CreateApiTokenDto,
  LoginDto,
  toApiTokenResponse,
  toCreatedApiTokenResponse,
  toMeResponse,
  toSessionResponse,
} from './auth.dto';
import { AuthService } from './auth.service';

/** Login, logout, who am I, and API tokens for integrations. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokenService,
  ) {}

  @Post('login')
  @Public()
  @RateLimit('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with username and password; returns a bearer token (JWT)' })
  @ApiResponse({ status: 200, description: '{ accessToken, tokenType, expiresAt, expiresIn, user }' })
  @ApiResponse({ status: 401, description: 'Wrong username or password (one answer for both)' })
  @ApiResponse({ status: 429, description: 'Too many attempts for this username from this address' })
  async login(@Body() body: LoginDto) {
    return toSessionResponse(await this.auth.login(body.username, body.password));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke the presented token (a login token, or an API token)' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who the presented token belongs to: user, role, unit' })
  me(@CurrentPrincipal() principal: Principal) {
    return toMeResponse(principal);
  }

  @Post('api-tokens')
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API token for an integration; the secret is returned this once' })
  @ApiResponse({ status: 201, description: 'Created; `token` is the secret' })
  async createApiToken(@Body() body: CreateApiTokenDto, @CurrentPrincipal() principal: Principal) {
    const created = await this.apiTokens.create(
      {
        name: body.name,
        role: body.role,
        unitId: body.unitId,
        expiresInDays: body.expiresInDays ?? 90,
        scopes: body.scopes,
      },
      principal,
    );
    return toCreatedApiTokenResponse(created);
  }

  @Get('api-tokens')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'List API tokens (never their secrets)' })
  async listApiTokens() {
    return (await this.apiTokens.list()).map(toApiTokenResponse);
  }

  @Delete('api-tokens/:id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API token' })
  @ApiResponse({ status: 404, description: 'No such token' })
  async revokeApiToken(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.apiTokens.revoke(id, principal);
  }
}
