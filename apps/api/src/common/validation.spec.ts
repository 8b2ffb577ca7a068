import { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import type { ApiError } from './api-error';
import { ApiValidationPipe, fieldProblems } from './validation';

describe('fieldProblems', () => {
  it('should name nested fields by their JSON path, one problem per broken rule', () => {
    const child: ValidationError = { property: 'phone', constraints: { matches: 'phone must be a phone number' } };
    const errors: ValidationError[] = [
      { property: 'kind', constraints: { isIn: 'kind must be one of the following values: a, b' } },
      { property: 'citizen', children: [child] },
      { property: 'extra', constraints: { whitelistValidation: 'property extra should not exist' } },
    ];
    expect(fieldProblems(errors)).toEqual([
      { field: 'kind', rule: 'isIn', message: 'kind must be one of the following values: a, b' },
      { field: 'citizen.phone', rule: 'matches', message: 'citizen.phone must be a phone number' },
      { field: 'extra', rule: 'whitelistValidation', message: 'extra is not a known field' },
    ]);
  });
});

describe('ApiValidationPipe', () => {
  class NoteDto {
    @IsOptional()
    @IsString()
    note?: string;
  }
  const pipe = new ApiValidationPipe();
  const refusal = async (value: unknown, metadata: ArgumentMetadata) =>
    pipe.transform(value, metadata).then(
      () => undefined,
      (error: ApiError) => error.details,
    );

  it('should refuse NUL and lone surrogates in a body, naming each field and the rule', async () => {
    const details = await refusal({ note: 'a\u0000', extra: ['\ud800'] }, { type: 'body', metatype: NoteDto });
    expect(details).toEqual([
      expect.objectContaining({ field: 'note', rule: 'text-characters' }),
      expect.objectContaining({ field: 'extra[0]', rule: 'text-characters' }),
    ]);
  });

  it('should refuse bad text in a query field and in a path parameter by its name', async () => {
    expect(await refusal({ q: 'a\u0000' }, { type: 'query', metatype: Object })).toEqual([
      expect.objectContaining({ field: 'q', rule: 'text-characters' }),
    ]);
    expect(await refusal('2026\udc00', { type: 'param', data: 'caseNo', metatype: String })).toEqual([
      expect.objectContaining({ field: 'caseNo', rule: 'text-characters' }),
    ]);
  });

  it('should refuse a body nesting deeper than 32 levels and accept 32', async () => {
    const nest = (levels: number) => {
      let value: unknown = 'x';
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(await refusal(nest(33), { type: 'body', metatype: Object })).toEqual([
      expect.objectContaining({ field: 'body', rule: 'nesting' }),
    ]);
    expect(await refusal(nest(32), { type: 'body', metatype: Object })).toBeUndefined();
  });

  it('should leave other arguments (the actor, headers) alone and still validate the DTO', async () => {
    expect(await refusal({ note: '\u0000' }, { type: 'custom', metatype: Object })).toBeUndefined();
    expect(await refusal({ note: 5 }, { type: 'body', metatype: NoteDto })).toEqual([
      expect.objectContaining({ field: 'note', rule: 'isString' }),
    ]);
  });
});
