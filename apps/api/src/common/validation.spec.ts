import { ValidationError } from '@nestjs/common';
import { fieldProblems } from './validation';

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
