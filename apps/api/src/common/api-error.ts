import { HttpStatus } from '@nestjs/common';

/** Stable error codes of the HTTP API; clients switch on these, never on messages. */
export enum ApiErrorCode {
  ValidationFailed = 'ValidationFailed',
  CaseNotFound = 'CaseNotFound',
  IdempotencyKeyReused = 'IdempotencyKeyReused',
  /** The case (or whistle round) refused the action in its current state: stale, repeated, too late, at a limit. */
  ActionRefused = 'ActionRefused',
  /** The action belongs to another unit or role. */
  ActionForbidden = 'ActionForbidden',
  /** The case is closed; nothing more can be done on it. */
  CaseClosed = 'CaseClosed',
  /** Temporal did not answer; nothing was changed. */
  EngineUnavailable = 'EngineUnavailable',
  /** PostgreSQL could not be reached; `Retry-After` says when to try again. */
  DatabaseUnavailable = 'DatabaseUnavailable',
  Internal = 'Internal',
  // Refusals the framework makes (guards, routing, body parsing), in the same vocabulary:
  /** No valid bearer token (missing, expired, revoked), or a refused login. */
  Unauthenticated = 'Unauthenticated',
  /** The caller's role may never take this route (role guard). */
  Forbidden = 'Forbidden',
  /** No such route or resource. */
  NotFound = 'NotFound',
  MethodNotAllowed = 'MethodNotAllowed',
  /** The resource is in a state that refuses the request (archived, already done). */
  Conflict = 'Conflict',
  /** The body is larger than the API accepts. */
  PayloadTooLarge = 'PayloadTooLarge',
  UnsupportedMediaType = 'UnsupportedMediaType',
  /** A rate limit was hit; `Retry-After` says when to try again. */
  TooManyRequests = 'TooManyRequests',
}

const STATUS: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.CaseNotFound]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.ActionRefused]: HttpStatus.CONFLICT,
  [ApiErrorCode.ActionForbidden]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.CaseClosed]: HttpStatus.CONFLICT,
  [ApiErrorCode.EngineUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.DatabaseUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ApiErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ApiErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.MethodNotAllowed]: HttpStatus.METHOD_NOT_ALLOWED,
  [ApiErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ApiErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ApiErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ApiErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
};

/** The code of a framework refusal by its HTTP status; statuses not listed here become `Internal`. */
export const CODE_BY_STATUS: ReadonlyMap<number, ApiErrorCode> = new Map([
  [HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed],
  [HttpStatus.UNAUTHORIZED, ApiErrorCode.Unauthenticated],
  [HttpStatus.FORBIDDEN, ApiErrorCode.Forbidden],
  [HttpStatus.NOT_FOUND, ApiErrorCode.NotFound],
  [HttpStatus.METHOD_NOT_ALLOWED, ApiErrorCode.MethodNotAllowed],
  [HttpStatus.CONFLICT, ApiErrorCode.Conflict],
  [HttpStatus.PAYLOAD_TOO_LARGE, ApiErrorCode.PayloadTooLarge],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiErrorCode.UnsupportedMediaType],
  [HttpStatus.UNPROCESSABLE_ENTITY, ApiErrorCode.ValidationFailed],
  [HttpStatus.TOO_MANY_REQUESTS, ApiErrorCode.TooManyRequests],
  [HttpStatus.SERVICE_UNAVAILABLE, ApiErrorCode.EngineUnavailable],
]);

/** One problem with a request: the field (JSON path or header name), the rule it broke, and a plain message. */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

/** A refused request with a code, a message and, for bad input, every field problem at once. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): HttpStatus {
    return STATUS[this.code];
  }
}
