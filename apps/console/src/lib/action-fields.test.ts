import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { stepKey } from '../pages/inbox-page';
import { ACTION_FIELDS, actionBody, isKnownAction, isRequired, type FieldSpec } from './action-fields';

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

  it('should send a whistle trigger and type when chosen and leave them to the rules when not', () => {
    const names = ACTION_FIELDS.whistle.map((field) => field.name);
    expect(names).toEqual(['departmentIds', 'grade', 'trigger', 'whistleType', 'reason']);
    expect(ACTION_FIELDS.whistle.find((field) => field.name === 'trigger')?.options).toEqual([
      'citizen-demand',
      'key-work',
      'joint-enforcement',
      'emergency-response',
      'patrol-finding',
    ]);
    expect(ACTION_FIELDS.whistle.find((field) => field.name === 'whistleType')?.options).toEqual([
      'enforcement',
      'management',
      'development',
    ]);
    expect(
      actionBody('whistle', {
        departmentIds: ['s-wenchang'],
        grade: 'yellow',
        trigger: 'joint-enforcement',
        whistleType: 'enforcement',
        reason: 'r',
      }),
    ).toEqual({
      departmentIds: ['s-wenchang'],
      grade: 'yellow',
      trigger: 'joint-enforcement',
      whistleType: 'enforcement',
      reason: 'r',
    });
    expect(
      actionBody('whistle', { departmentIds: ['d'], grade: 'blue', trigger: undefined, whistleType: '', reason: 'r' }),
    ).toEqual({ departmentIds: ['d'], grade: 'blue', reason: 'r' });
  });

  it('should confirm a department done without a note, and require the note only when sending it back', () => {
    expect(ACTION_FIELDS.confirm.map((field) => field.name)).toEqual(['departmentId', 'done', 'note']);
    expect(actionBody('confirm', { departmentId: 'dept-housing', done: true, note: '' })).toEqual({
      departmentId: 'dept-housing',
      done: true,
    });
    expect(actionBody('confirm', { departmentId: 'dept-housing', note: '围挡尚未拆除' })).toEqual({
      departmentId: 'dept-housing',
      done: false,
      note: '围挡尚未拆除',
    });
    const note = ACTION_FIELDS.confirm.find((field) => field.name === 'note') as FieldSpec;
    expect(isRequired(note, { done: false })).toBe(true);
    expect(isRequired(note, {})).toBe(true);
    expect(isRequired(note, { done: true })).toBe(false);
    expect(ACTION_FIELDS.confirm.find((field) => field.name === 'done')?.initial).toBe(true);
    const departmentId = ACTION_FIELDS.confirm.find((field) => field.name === 'departmentId') as FieldSpec;
    expect(isRequired(departmentId, {})).toBe(true);
  });

  it('should send a rating veto only when ticked', () => {
    expect(actionBody('rate', { departmentId: 'd', score: 2, veto: false })).toEqual({ departmentId: 'd', score: 2 });
    expect(actionBody('rate', { departmentId: 'd', score: 1, veto: true, comment: 'c' })).toEqual({
      departmentId: 'd',
      score: 1,
      veto: true,
      comment: 'c',
    });
  });

  it('should send an accountability decision with responsibility as a yes or no', () => {
    expect(actionBody('accountability-decision', { decision: '不负有责任' })).toEqual({
      responsible: false,
      decision: '不负有责任',
    });
    expect(actionBody('accountability-decision', { responsible: true, decision: '约谈负责人' })).toEqual({
      responsible: true,
      decision: '约谈负责人',
    });
    const decision = ACTION_FIELDS['accountability-decision'].find((field) => field.name === 'decision');
    expect(decision?.label).toBe('fields.accountabilityDecision');
  });

  it('should send an audit call-back as the call-back body', () => {
    expect(actionBody('audit-callback', { reached: true, solved: true, satisfaction: 'satisfied', note: '' })).toEqual({
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    });
    expect(actionBody('audit-callback', {})).toEqual({ reached: false, solved: false });
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
    for (const action of ['confirm', 'audit-callback', 'accountability-decision'])
      expect(isKnownAction(action)).toBe(true);
    expect(isKnownAction('toString')).toBe(false);
  });
});

describe('action labels', () => {
  const lookup = (tree: object, key: string): unknown =>
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

  it('should name every action, field and choice in Chinese and English', () => {
    const missing: string[] = [];
    for (const [language, tree] of [
      ['zh-CN', zhCN],
      ['en', en],
    ] as const) {
      for (const [action, fields] of Object.entries(ACTION_FIELDS)) {
        const keys = [`actions.${action}`];
        for (const field of fields as FieldSpec[]) {
          keys.push(field.label ?? `fields.${field.name}`);
          for (const option of field.options ?? []) keys.push(`values.${field.name}.${option}`);
        }
        for (const key of keys) if (typeof lookup(tree, key) !== 'string') missing.push(`${language}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('should name the steps whose tasks take the new actions, a repeated confirmation as the first', () => {
    for (const step of ['whistle-confirm', 'whistle-confirm-2', 'audit-callback', 'accountability-decision'])
      expect(typeof lookup(zhCN, stepKey(step))).toBe('string');
    expect(stepKey('whistle-confirm-3')).toBe('steps.whistle-confirm');
  });
});
