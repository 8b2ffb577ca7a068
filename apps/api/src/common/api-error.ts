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
  Internal = 'Internal',
}

const STATUS: Record<ApiErrorCode, HttpStatus> = {
  [ApiErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ApiErrorCode.CaseNotFound]: HttpStatus.NOT_FOUND,
  [ApiErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ApiErrorCode.ActionRefused]: HttpStatus.CONFLICT,
  [ApiErrorCode.ActionForbidden]: HttpStatus.FORBIDDEN,
  [ApiErrorCode.CaseClosed]: HttpStatus.CONFLICT,
  [ApiErrorCode.EngineUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ApiErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

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
