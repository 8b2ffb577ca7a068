/*
 * The editor's form, generated from the process definition's JSON Schema as the API serves it
 * (`GET /api/v1/rules/schema`, the schema `validateDefinition` checks): which control each value gets, which stage
 * tab each part of the document sits on, and reading / writing a value by JSON Pointer. Pure: no React.
 */

/** The JSON Schema keywords the process definition schema uses (libs/domain/src/rules/process-definition.schema.ts). */
export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: (string | number)[];
  const?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** The control a value gets. */
export type Widget =
  | 'text'
  | 'duration'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'select'
  | 'multiselect'
  | 'tags'
  | 'object'
  | 'list'
  | 'constant';

/** One field of the generated form. */
export interface FieldModel {
  /** JSON Pointer of the value, e.g. `/lifecycle/ladder/rungs/1/deadline`. */
  path: string;
  /** The property name (or the item index of a list). */
  key: string;
  schema: JsonSchema;
  widget: Widget;
  required: boolean;
  /** For `select` / `multiselect`: the allowed values. */
  options?: (string | number)[];
}

/** A schema with its `$ref` replaced by the definition it names (keeping the referring schema's description). */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
  const target = name ? root.$defs?.[name] : undefined;
  if (!target) return schema;
  const { $ref: _ref, ...rest } = schema;
  return { ...resolve(target, root), ...rest };
}

/** The control for a (resolved) schema. */
export function widgetOf(schema: JsonSchema): Widget {
  if (schema.const !== undefined) return 'constant';
  switch (schema.type) {
    case 'object':
      return 'object';
    case 'array':
      if (schema.items?.enum) return 'multiselect';
      if (schema.items?.type === 'string') return 'tags';
      return 'list';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    default:
      if (schema.enum) return 'select';
      // The duration definition's pattern (7WD, 4WH, PT2H): a text field with its own hint.
      if (schema.pattern?.includes('WD')) return 'duration';
      return 'text';
  }
}

/** The fields of an object schema, in the schema's order. */
export function fieldsOf(schema: JsonSchema, root: JsonSchema, path: string): FieldModel[] {
  const object = resolve(schema, root);
  return Object.entries(object.properties ?? {}).map(([key, child]) =>
    fieldAt(child, root, pointer(path, key), key, (object.required ?? []).includes(key)),
  );
}

/** The field model of one value. */
export function fieldAt(
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  key: string,
  required: boolean,
): FieldModel {
  const resolved = resolve(schema, root);
  const widget = widgetOf(resolved);
  const items = resolved.items ? resolve(resolved.items, root) : undefined;
  const options = widget === 'select' ? resolved.enum : widget === 'multiselect' ? items?.enum : undefined;
  return { path, key, schema: resolved, widget, required, ...(options ? { options } : {}) };
}

/** The schema of the value at a JSON Pointer (through objects and list items), if the schema describes it. */
export function schemaAt(root: JsonSchema, path: string): JsonSchema | undefined {
  let current: JsonSchema | undefined = resolve(root, root);
  for (const token of tokens(path)) {
    if (!current) return undefined;
    if (current.type === 'array') current = current.items && resolve(current.items, root);
    else current = current.properties?.[token] && resolve(current.properties[token], root);
  }
  return current;
}

/** A new value for a list item or a field being switched on: the least that satisfies the shape. */
export function emptyValue(schema: JsonSchema, root: JsonSchema): unknown {
  const resolved = resolve(schema, root);
  if (resolved.const !== undefined) return resolved.const;
  switch (resolved.type) {
    case 'object':
      return Object.fromEntries(
        (resolved.required ?? []).map((key) => [key, emptyValue(resolved.properties?.[key] ?? {}, root)]),
      );
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return resolved.minimum ?? 0;
    default:
      return resolved.enum ? resolved.enum[0] : '';
  }
}

/** The editor's stage tabs and the parts of the document each shows, by JSON Pointer. */
export const STAGES = [
  { id: 'general', paths: ['/id', '/name', '/description', '/jurisdiction', '/dispatch', '/intake'] },
  { id: 'routing', paths: ['/routing'] },
  {
    id: 'deadlines',
    paths: [
      '/lifecycle/returnWindow',
      '/lifecycle/reminderFraction',
      '/lifecycle/extension',
      '/lifecycle/suspension',
      '/lifecycle/supervision',
      '/lifecycle/rehandle',
      '/lifecycle/accountability',
    ],
  },
  { id: 'whistle', paths: ['/whistle'] },
  { id: 'ladder', paths: ['/lifecycle/ladder/rungs'] },
  { id: 'callback', paths: ['/lifecycle/callback'] },
  { id: 'scoring', paths: ['/scoring'] },
  { id: 'calendar', paths: ['/calendarId'] },
] as const;
export type StageId = (typeof STAGES)[number]['id'];

/** The stage whose tab shows the value at `path` (an error's path), or `general` for the document itself. */
export function stageOf(path: string): StageId {
  let best: { id: StageId; length: number } | undefined;
  for (const stage of STAGES) {
    for (const prefix of stage.paths) {
      const within = path === prefix || path.startsWith(`${prefix}/`);
      if (within && prefix.length > (best?.length ?? -1)) best = { id: stage.id, length: prefix.length };
    }
  }
  if (best) return best.id;
  // A part that holds several stages' values (`/lifecycle`): the first stage showing some of it.
  const holder =
    path === '' ? undefined : STAGES.find((stage) => stage.paths.some((prefix) => prefix.startsWith(`${path}/`)));
  return holder?.id ?? 'general';
}

/** RFC 6901 tokens of a pointer. */
export function tokens(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `path` extended by one key. */
export function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The value at a pointer, or undefined. */
export function getAt(document: unknown, path: string): unknown {
  let current = document;
  for (const token of tokens(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/**
 * A copy of `document` with the value at `path` set (objects and lists on the way created), or removed when `value`
 * is undefined. The original is not changed.
 */
export function setAt(document: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = tokens(path);
  if (head === undefined) return value;
  const restPath = rest.length
    ? `/${rest.map((token) => token.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
    : '';
  if (Array.isArray(document)) {
    const copy = [...document];
    const index = Number(head);
    if (value === undefined && !rest.length) copy.splice(index, 1);
    else copy[index] = setAt(copy[index], restPath, value);
    return copy;
  }
  const copy: Record<string, unknown> =
    document !== null && typeof document === 'object' ? { ...(document as Record<string, unknown>) } : {};
  if (value === undefined && !rest.length) delete copy[head];
  else copy[head] = setAt(copy[head], restPath, value);
  return copy;
}

/** A validation error of the API (`DefinitionError`): JSON Pointer, rule, sentence. */
export interface DefinitionProblem {
  path: string;
  rule: string;
  message: string;
}

/** The errors by the pointer they are on. */
export function problemsByPath(problems: readonly DefinitionProblem[]): Map<string, DefinitionProblem[]> {
  const map = new Map<string, DefinitionProblem[]>();
  for (const problem of problems) map.set(problem.path, [...(map.get(problem.path) ?? []), problem]);
  return map;
}

/** Whether an error lies at `path` or inside it (a list item holding an error opens by itself). */
export function hasProblemWithin(problems: readonly DefinitionProblem[], path: string): boolean {
  return problems.some((problem) => problem.path === path || problem.path.startsWith(`${path}/`));
}

/** A DOM id for the control of the value at `path` (labels point at it). */
export function fieldId(path: string): string {
  return `rule${path.replace(/[^A-Za-z0-9]+/g, '_')}`;
}
