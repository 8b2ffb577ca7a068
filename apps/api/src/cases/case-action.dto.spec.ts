import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldProblems } from '../common/validation';
import { CallbackDto, WhistleDto } from './case-action.dto';

const problemsOf = (dto: new () => object, body: object) =>
  fieldProblems(validateSync(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true })).map(
    ({ field, rule }) => `${field}:${rule}`,
  );

describe('case action bodies', () => {
  it('should name solved and satisfaction, together, when a reached call-back omits them', () => {
    expect(problemsOf(CallbackDto, { reached: true })).toEqual([
      'solved:isDefined',
      'solved:isBoolean',
      'satisfaction:isDefined',
      'satisfaction:isIn',
    ]);
  });

  it('should accept an unreachable call-back alone, and a reached one with both answers', () => {
    expect(problemsOf(CallbackDto, { reached: false })).toEqual([]);
    expect(problemsOf(CallbackDto, { reached: true, solved: true, satisfaction: 'satisfied' })).toEqual([]);
  });

  it('should report every problem of a whistle at once, each by its field', () => {
    const problems = problemsOf(WhistleDto, { reason: '', departmentIds: ['Bad', 'Bad'], grade: 'Purple!' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'reason:isLength',
        'departmentIds:arrayUnique',
        'departmentIds:matches',
        'grade:matches',
      ]),
    );
  });
});
