import { ServiceError } from '@temporalio/client';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { toApiError } from './case-action.service';

describe('the answer to a failed Temporal call', () => {
  const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details });

  it.each([
    [10, 'Workflow Update was aborted'],
    [13, 'internal error'],
    [8, 'workflow is busy'],
  ])('should be 503 EngineUnavailable, never a 500, for a ServiceError of gRPC status %d', (code, details) => {
    const error = toApiError('case 1', new ServiceError('Workflow Update failed', { cause: grpc(code, details) }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(ApiErrorCode.EngineUnavailable);
    expect(error.message).toBe(
      `The workflow engine failed the call (gRPC status ${code}); retry it with the same Idempotency-Key`,
    );
  });

  it('should leave an error that is not Temporal’s to the error filter', () => {
    const bug = new TypeError('x is undefined');
    expect(toApiError('case 1', bug)).toBe(bug);
  });
});
