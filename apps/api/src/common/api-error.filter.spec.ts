import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiError, ApiErrorCode } from './api-error';
import { toErrorBody } from './api-error.filter';

describe('toErrorBody', () => {
  it.each([
    ['an unknown route', new NotFoundException('Cannot GET /api/v1/nope'), 404, ApiErrorCode.NotFound],
    ['a missing token', new UnauthorizedException('Authentication required'), 401, ApiErrorCode.Unauthenticated],
    ['the role guard', new ForbiddenException('This needs one of the roles: admin'), 403, ApiErrorCode.Forbidden],
    ['a body too large', new PayloadTooLargeException(), 413, ApiErrorCode.PayloadTooLarge],
    [
      'a rate limit',
      new HttpException('Too Many Requests', HttpStatus.TOO_MANY_REQUESTS),
      429,
      ApiErrorCode.TooManyRequests,
    ],
    ['a bare bad request', new BadRequestException('bad'), 400, ApiErrorCode.ValidationFailed],
  ])('should answer %s with the shared vocabulary and its status', (_, exception, status, code) => {
    const [answered, body] = toErrorBody(exception);
    expect(answered).toBe(status);
    expect(body).toEqual({ error: code, message: expect.any(String), details: [] });
  });

  it("should keep the API's own errors as thrown", () => {
    const problem = { field: 'kind', rule: 'isIn', message: 'kind must be …' };
    expect(toErrorBody(new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [problem]))).toEqual([
      400,
      { error: 'ValidationFailed', message: 'The request is invalid', details: [problem] },
    ]);
  });

  it('should name the body and the json rule for malformed JSON', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    const [status, body] = toErrorBody(parseError);
    expect(status).toBe(400);
    expect(body.error).toBe('ValidationFailed');
    expect(body.details).toEqual([{ field: 'body', rule: 'json', message: expect.stringContaining('not valid JSON') }]);
  });

  it('should name the body and the json rule when Nest reports malformed JSON as a bare 400', () => {
    const [, body] = toErrorBody(new BadRequestException("Expected property name or '}' in JSON at position 1"));
    expect(body.details).toEqual([{ field: 'body', rule: 'json', message: expect.stringContaining('JSON') }]);
  });

  it('should hide the internals of an unexpected error', () => {
    expect(toErrorBody(new Error('secret stack'))).toEqual([
      500,
      { error: 'Internal', message: 'Internal error', details: [] },
    ]);
  });
});
