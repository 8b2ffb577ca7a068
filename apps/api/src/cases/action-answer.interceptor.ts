import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { ActionAnswer, checkIdempotencyKey } from './action-idempotency';

/** The request's `Idempotency-Key` header, checked (400 naming it when malformed); `undefined` when absent. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const header = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  return checkIdempotencyKey(Array.isArray(header) ? header.join(',') : header);
});

/**
 * Sends an {@link ActionAnswer} as its state, marking a replayed one with `Idempotent-Replayed: true` (as intake
 * does). Any other value passes unchanged.
 */
@Injectable()
export class ActionAnswerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof ActionAnswer)) return value;
        if (value.replayed) context.switchToHttp().getResponse<Response>().setHeader('Idempotent-Replayed', 'true');
        return value.state as unknown;
      }),
    );
  }
}
