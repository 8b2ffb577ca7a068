import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiProperty } from '@nestjs/swagger';
import type {
  OpenAPIObject,
  OperationObject,
  ResponseObject,
  ResponsesObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CASE_NO_PATTERN } from '../../../../libs/domain/src/case/case.types';
import { IS_PUBLIC_KEY, RATE_LIMIT_KEY, ROLES_KEY } from '../auth/auth.decorators';
import { ApiErrorCode } from './api-error';

/** One problem with a request, as every refusal lists it (see {@link ApiErrorBodyDto}). */
export class FieldProblemDto {
  @ApiProperty({ example: 'citizen.phone', description: 'The field: a JSON path, a path or query parameter, a header' })
  field: string;

  @ApiProperty({ example: 'matches', description: 'The rule it broke (a validator name or a domain rule)' })
  rule: string;

  @ApiProperty({ example: 'citizen.phone must be a mainland mobile or landline number' })
  message: string;
}

/** The one JSON body of every refusal (4xx, 5xx): a stable code, a plain message and every field problem. */
export class ApiErrorBodyDto {
  @ApiProperty({ enum: ApiErrorCode, enumName: 'ApiErrorCode', example: ApiErrorCode.ValidationFailed })
  error: ApiErrorCode;

  @ApiProperty({ example: 'The request is invalid' })
  message: string;

  @ApiProperty({ type: [FieldProblemDto], description: 'Empty unless the request itself is at fault' })
  details: FieldProblemDto[];
}

/** What the guards need of an operation, read from its handler's and controller's metadata. */
interface GuardFacts {
  isPublic: boolean;
  roles: boolean;
  rateLimited: boolean;
}

/** Standard descriptions of the statuses every operation may answer, by what makes it answer them. */
const STANDARD = {
  400: 'Invalid parameters, query or body: every problem names its field and rule',
  401: 'No valid bearer token (missing, malformed, expired or revoked)',
  401.1: 'A bearer token was presented and is invalid, expired or revoked (the route itself needs none)',
  403: "The caller's role may not take this route",
  404: 'No such resource (or none the caller may see)',
  413: 'The body is larger than the API accepts',
  429: 'Too many requests from this address (or for this username); see Retry-After',
  503: 'PostgreSQL or Temporal cannot be reached, or did not answer within the bound; see Retry-After',
} as const;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Makes the OpenAPI document say what the guards, pipes and filter do, from the same metadata they read: public
 * operations (`@Public`) declare no security; every operation documents the statuses its guards and the framework can
 * answer (401; 403 with `@Roles`; 429 with `@RateLimit`; 400 for any input; 404 for any path parameter; 413 for a
 * body; 503 for an outage), and every error status, declared here or by a route, answers {@link ApiErrorBodyDto}.
 * A `caseNo` path parameter gets the case number's pattern.
 * Routes still declare their own statuses (404 of a case, 409 of a refusal, 422) with `@ApiResponse`.
 */
export function documentErrorResponses(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const facts = guardFactsByOperationId(app);
  const errorBody = { $ref: '#/components/schemas/ApiErrorBodyDto' };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const guard = facts.get(operation.operationId ?? '') ?? { isPublic: false, roles: false, rateLimited: false };
      if (guard.isPublic) operation.security = [];
      // A case number in a path has the format every case route checks first (400 otherwise).
      for (const parameter of operation.parameters ?? []) {
        if ('name' in parameter && parameter.in === 'path' && parameter.name === 'caseNo') {
          parameter.schema = { type: 'string', pattern: CASE_NO_PATTERN.source, example: '20261123000001' };
        }
      }
      const responses: ResponsesObject = (operation.responses ??= {});
      const add = (status: number, description: string) => {
        responses[status] ??= { description };
      };
      const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      if (hasInput) add(400, STANDARD[400]);
      add(401, guard.isPublic ? STANDARD[401.1] : STANDARD[401]);
      if (guard.roles && !guard.isPublic) add(403, STANDARD[403]);
      if (path.includes('{')) add(404, STANDARD[404]);
      if (operation.requestBody !== undefined) add(413, STANDARD[413]);
      if (guard.rateLimited) add(429, STANDARD[429]);
      add(503, STANDARD[503]);
      for (const [status, response] of Object.entries(responses)) {
        if (!response || Number(status) < 400 || '$ref' in response) continue;
        const declared = response as ResponseObject;
        declared.content = { 'application/json': { schema: errorBody } };
      }
    }
  }
  return document;
}

/** The guards' facts of every controller method, by the operation id Swagger gives it (`Controller_method`). */
function guardFactsByOperationId(app: INestApplication): Map<string, GuardFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, GuardFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype as object)) {
        if (name === 'constructor') continue;
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const targets = [handler, controller];
        const roles = reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
        facts.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
          roles: (roles?.length ?? 0) > 0,
          rateLimited: reflector.getAllAndOverride<string | undefined>(RATE_LIMIT_KEY, targets) !== undefined,
        });
      }
    }
  }
  return facts;
}
