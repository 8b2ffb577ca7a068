import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../common/database-unavailable';
import { Open311Format, render } from './open311.format';

/** One item of a GeoReport error answer: a code (the HTTP status, or a more specific one) and a sentence. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

/**
 * A refusal as GeoReport v2 states it: 404 for a resource (service, request, token, jurisdiction) that does not
 * exist, 403 for a missing or bad `api_key`, 400 for anything else; the body lists every problem found.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly errors: Open311ErrorItem[],
    /** Seconds after which a retry may succeed (a rate limit), sent as `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(errors.map((error) => error.description).join('; '));
    this.name = 'Open311Error';
  }

  static badRequest(...descriptions: string[]): Open311Error {
    return new Open311Error(
      400,
      descriptions.map((description) => ({ code: 400, description })),
    );
  }

  static notFound(description: string): Open311Error {
    return new Open311Error(404, [{ code: 404, description }]);
  }

  static forbidden(description: string): Open311Error {
    return new Open311Error(403, [{ code: 403, description }]);
  }
}

/** The format an answer to this request is in: the extension of its last path segment, XML unless `.json`. */
export function formatOfPath(path: string): Open311Format {
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

/**
 * Answers every error of the Open311 routes in the specification's shape (`<errors><error><code/><description/>`,
 * or its JSON list) in the format the client asked for. The API's own errors keep their meaning: a field problem
 * (the validation pipe, intake's routing check) is a 400 naming the field; rate limits and outages are 400s whose
 * body code says 429 or 503 and whose `Retry-After` says when to try again, since GeoReport knows only 400, 403 and
 * 404. Nothing unexpected leaks: it is a 400 with body code 500, logged.
 */
@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(Open311ErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, errors, retryAfter } = this.toOpen311(exception);
    if (retryAfter && !response.getHeader('Retry-After')) response.setHeader('Retry-After', String(retryAfter));
    const { contentType, text } = render({ root: 'errors', body: errors as never }, formatOfPath(request.path));
    response.status(status).setHeader('Content-Type', contentType);
    response.send(text);
  }

  private toOpen311(exception: unknown): { status: number; errors: Open311ErrorItem[]; retryAfter?: number } {
    if (exception instanceof Open311Error) {
      return { status: exception.status, errors: exception.errors, retryAfter: exception.retryAfter };
    }
    if (exception instanceof ApiError) {
      const status = exception.status === 404 ? 404 : exception.status === 403 ? 403 : 400;
      const details = exception.details.map((detail) => ({
        code: status,
        description: `${detail.field}: ${detail.message}`,
      }));
      if (exception.status >= 500) {
        this.logger.warn(`open311 request refused: ${exception.message}`);
        return { status: 400, errors: [{ code: exception.status, description: exception.message }] };
      }
      return { status, errors: details.length > 0 ? details : [{ code: status, description: exception.message }] };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: 400,
        errors: [{ code: 503, description: 'The service cannot reach its database: nothing was stored; try again' }],
        retryAfter: RETRY_AFTER_SECONDS,
      };
    }
    if (exception instanceof HttpException) {
      const httpStatus = exception.getStatus();
      if (httpStatus === HttpStatus.TOO_MANY_REQUESTS) {
        return {
          status: 400,
          errors: [{ code: 429, description: 'Too many requests from this client: try again later' }],
        };
      }
      const status = httpStatus === 404 ? 404 : httpStatus === 401 || httpStatus === 403 ? 403 : 400;
      return { status, errors: [{ code: httpStatus, description: exception.message }] };
    }
    const error = exception as { type?: unknown; message?: unknown } | null;
    if (error && typeof error.type === 'string' && error.type.startsWith('entity.')) {
      return {
        status: 400,
        errors: [{ code: 400, description: `The request body cannot be read: ${String(error.message)}` }],
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { status: 400, errors: [{ code: 500, description: 'The request could not be processed' }] };
  }
}
