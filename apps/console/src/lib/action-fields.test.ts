import { describe, expect, it } from 'vitest';
import { actionBody, isKnownAction } from './action-fields';

describe('action bodies', () => {
  it('should leave out empty optional fields and send unticked boxes as false', () => {
    expect(actionBody('callback', { reached: true, satisfaction: 'satisfied', note: '' })).toEqual({
      reached: true,
      solved: false,
      satisfaction: 'satisfied',
    });
  });

  it('should send whistle departments, grade and reason as the API names them', () => {
    expect(actionBody('whistle', { departmentIds: ['dept-housing'], grade: 'blue', reason: 'r', extra: 1 })).toEqual({
      departmentIds: ['dept-housing'],
      grade: 'blue',
      reason: 'r',
    });
  });

  it('should send a coordinator decision flag only when ticked, and convened departments', () => {
    expect(actionBody('coordinate', { instruction: 'i', decision: false })).toEqual({ instruction: 'i' });
    expect(actionBody('coordinate', { instruction: 'i', convene: ['dept-housing'], decision: true })).toEqual({
      instruction: 'i',
      convene: ['dept-housing'],
      decision: true,
    });
  });

  it('should know the task actions of the inbox and nothing else', () => {
    expect(isKnownAction('rate')).toBe(true);
    expect(isKnownAction('toString')).toBe(false);
  });
});
