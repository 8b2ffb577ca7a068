import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, ApiErrorCode, CODE_BY_STATUS, FieldProblem } from './api-error';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './database-unavailable';

/** The one JSON body of every refusal: a code of {@link ApiErrorCode}, a plain message, and field problems. */
export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
  details: FieldProblem[];
}

/**
 * Maps every error to one JSON body, `{ error, message, details }`, with codes from one vocabulary
 * ({@link ApiErrorCode}): the API's own errors as thrown; the framework's (unknown route, missing token, role guard,
 * body too large, malformed JSON, rate limit) by their status, keeping it; anything unexpected a 500 without internals.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = toErrorBody(exception);
    if (status >= 500 && !(exception instanceof ApiError))
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // An outage (PostgreSQL, Temporal) passes: tell the client when to try again.
    if (status === HttpStatus.SERVICE_UNAVAILABLE && !response.getHeader('Retry-After'))
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }
}

/** The status and body the API answers for an error (see {@link ApiErrorFilter}). */
export function toErrorBody(exception: unknown): [number, ApiErrorBody] {
  if (exception instanceof ApiError) {
    return [exception.status, { error: exception.code, message: exception.message, details: exception.details }];
  }
  if (isDatabaseUnavailable(exception)) {
    const message = 'The database cannot be reached; try again shortly';
    return [HttpStatus.SERVICE_UNAVAILABLE, { error: ApiErrorCode.DatabaseUnavailable, message, details: [] }];
  }
  const parseError = bodyParserError(exception);
  if (parseError) return parseError;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS.get(status) ?? (status >= 500 ? ApiErrorCode.Internal : ApiErrorCode.ValidationFailed);
    const response = exception.getResponse();
    const raw =
      typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    // Nest turns body-parser's SyntaxError into a bare 400 with JSON.parse's message: name the body and the rule.
    const details =
      status === HttpStatus.BAD_REQUEST && /JSON/.test(message) ? [{ field: 'body', rule: 'json', message }] : [];
    return [status, { error: code, message, details }];
  }
  return [HttpStatus.INTERNAL_SERVER_ERROR, { error: ApiErrorCode.Internal, message: 'Internal error', details: [] }];
}

/** Express's body parser errors (malformed JSON, too large) arrive as plain errors with a `type` and a status. */
function bodyParserError(exception: unknown): [number, ApiErrorBody] | undefined {
  const error = exception as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (!error || typeof error.type !== 'string' || typeof error.status !== 'number') return undefined;
  if (error.type === 'entity.parse.failed') {
    const message = `The body is not valid JSON: ${String(error.message)}`;
    return [
      HttpStatus.BAD_REQUEST,
      { error: ApiErrorCode.ValidationFailed, message, details: [{ field: 'body', rule: 'json', message }] },
    ];
  }
  if (error.type === 'entity.too.large') {
    return [
      HttpStatus.PAYLOAD_TOO_LARGE,
      { error: ApiErrorCode.PayloadTooLarge, message: 'The body is larger than the API accepts', details: [] },
    ];
  }
  return undefined;
}
