import { maskName, maskPhone } from './case.dto';

describe('masking citizen contact details', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['+8613800138000', '+86****8000'],
    ['1234567', '*******'],
    [null, null],
  ])('should mask phone %s as %s', (phone, expected) => {
    expect(maskPhone(phone)).toBe(expected);
  });

  it.each([
    ['王小明', '王**'],
    ['李', '李*'],
    ['欧阳娜娜', '欧***'],
    [null, null],
  ])('should mask name %s as %s', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });
});
