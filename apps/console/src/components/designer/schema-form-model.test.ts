import { describe, expect, it } from 'vitest';
import {
  emptyValue,
  fieldsOf,
  getAt,
  hasProblemWithin,
  type JsonSchema,
  schemaAt,
  setAt,
  stageOf,
} from './schema-form-model';

/** A piece of the process definition schema, as `GET /api/v1/rules/schema` serves it. */
const SCHEMA: JsonSchema = {
  $defs: {
    slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
    duration: { type: 'string', pattern: '^(?:[0-9]+WD|[0-9]+(?:\\.[0-9]{1,2})?WH|P.*)$', description: 'Working days' },
  },
  type: 'object',
  required: ['id', 'lifecycle'],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    id: { $ref: '#/$defs/slug' },
    lifecycle: {
      type: 'object',
      required: ['ladder'],
      properties: {
        returnWindow: { $ref: '#/$defs/duration' },
        reminderFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        ladder: {
          type: 'object',
          required: ['rungs'],
          properties: {
            rungs: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['id', 'name', 'coordinator'],
                properties: {
                  id: { $ref: '#/$defs/slug' },
                  name: { type: 'string' },
                  coordinator: { type: 'object', properties: { committee: { type: 'string', enum: ['street'] } } },
                  deadline: { $ref: '#/$defs/duration', description: 'Time on the rung' },
                  actions: { type: 'array', items: { type: 'string', enum: ['instruct', 'convene'] } },
                },
              },
            },
          },
        },
        escalate: { type: 'boolean' },
        coUnits: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

describe('form generated from the schema', () => {
  it('gives each value the control its schema calls for, resolving $ref and keeping required', () => {
    const fields = fieldsOf(SCHEMA, SCHEMA, '');
    expect(fields.map((field) => [field.key, field.widget, field.required])).toEqual([
      ['schemaVersion', 'constant', false],
      ['id', 'text', true],
      ['lifecycle', 'object', true],
    ]);
    const lifecycle = fieldsOf(fields[2].schema, SCHEMA, '/lifecycle');
    expect(Object.fromEntries(lifecycle.map((field) => [field.key, field.widget]))).toEqual({
      returnWindow: 'duration',
      reminderFraction: 'number',
      ladder: 'object',
      escalate: 'boolean',
      coUnits: 'tags',
    });
    expect(lifecycle[0].path).toBe('/lifecycle/returnWindow');
  });

  it('reaches list items: a rung deadline is a duration with its own description, actions a multi-select', () => {
    const rung = schemaAt(SCHEMA, '/lifecycle/ladder/rungs/1');
    const fields = fieldsOf(rung!, SCHEMA, '/lifecycle/ladder/rungs/1');
    const deadline = fields.find((field) => field.key === 'deadline')!;
    expect(deadline).toMatchObject({ widget: 'duration', path: '/lifecycle/ladder/rungs/1/deadline' });
    expect(deadline.schema.description).toBe('Time on the rung');
    expect(fields.find((field) => field.key === 'actions')).toMatchObject({
      widget: 'multiselect',
      options: ['instruct', 'convene'],
    });
    expect(fields.find((field) => field.key === 'coordinator')?.widget).toBe('object');
    expect(schemaAt(SCHEMA, '/lifecycle/ladder/rungs/0/coordinator/committee')).toMatchObject({ enum: ['street'] });
  });

  it('makes a new list item with its required fields', () => {
    expect(emptyValue(schemaAt(SCHEMA, '/lifecycle/ladder/rungs/0')!, SCHEMA)).toEqual({
      id: '',
      name: '',
      coordinator: {},
    });
  });

  it('reads and writes by JSON Pointer without changing the original', () => {
    const document = { lifecycle: { ladder: { rungs: [{ id: 'a' }, { id: 'b', deadline: '5WD' }] } } };
    const edited = setAt(document, '/lifecycle/ladder/rungs/1/deadline', '2WD');
    expect(getAt(edited, '/lifecycle/ladder/rungs/1/deadline')).toBe('2WD');
    expect(getAt(document, '/lifecycle/ladder/rungs/1/deadline')).toBe('5WD');
    const removed = setAt(edited, '/lifecycle/ladder/rungs/0', undefined);
    expect(getAt(removed, '/lifecycle/ladder/rungs')).toEqual([{ id: 'b', deadline: '2WD' }]);
    expect(getAt(setAt({}, '/a/b', 1), '/a')).toEqual({ b: 1 });
  });

  it("puts each error on its stage's tab", () => {
    expect(stageOf('/lifecycle/ladder/rungs/1/deadline')).toBe('ladder');
    expect(stageOf('/lifecycle/extension/maxWorkingDays')).toBe('deadlines');
    expect(stageOf('/routing/categories/3/handler')).toBe('routing');
    expect(stageOf('/lifecycle/callback/window')).toBe('callback');
    expect(stageOf('/calendarId')).toBe('calendar');
    expect(stageOf('')).toBe('general');
    expect(hasProblemWithin([{ path: '/a/1/b', rule: 'r', message: 'm' }], '/a/1')).toBe(true);
    expect(hasProblemWithin([{ path: '/a/10/b', rule: 'r', message: 'm' }], '/a/1')).toBe(false);
  });
});
