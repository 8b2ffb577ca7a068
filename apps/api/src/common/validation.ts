import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ApiErrorCode, FieldProblem } from './api-error';
import { rawInputProblems } from './text-hygiene';

/** Flattens class-validator's tree into one problem per broken rule, each naming its JSON path. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message:
        rule === 'whitelistValidation' ? `${field} is not a known field` : message.replace(error.property, field),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * The global pipe: the raw argument first checked for text PostgreSQL cannot hold and for excessive nesting
 * (text-hygiene.ts), then unknown fields refused, types transformed, every problem reported at once.
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', fieldProblems(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = rawInputProblems(value, metadata);
    if (problems.length) throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', problems);
    return super.transform(value, metadata);
  }
}

/** The global pipe (see {@link ApiValidationPipe}). */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe();
}
