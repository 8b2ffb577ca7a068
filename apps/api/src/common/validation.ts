import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ApiErrorCode, FieldProblem } from './api-error';

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

/** The global pipe: unknown fields refused, types transformed, every problem reported at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', fieldProblems(errors)),
  });
}
