import { parseDuration } from '../calendar/duration';
import { JsonSchema, NOT_BLANK_PATTERN, SLUG_PATTERN } from './process-definition.schema';

/** One defect of a process definition document. */
export interface DefinitionError {
  /** JSON Pointer (RFC 6901) to the offending value, e.g. `/routing/categories/3/handler`; `''` is the document. */
  path: string;
  /** Stable rule code, e.g. `required`, `unknown-field`, `unknown-unit`, `ladder-no-end`. */
  rule: string;
  /** Plain sentence for the designer. */
  message: string;
}

/** Appends one segment to a JSON Pointer, escaping `~` and `/` (RFC 6901). */
export function pointer(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Plain messages for the schema's patterns (a raw regular expression says nothing to a designer). */
const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [SLUG_PATTERN]:
    'must be an ASCII slug: lower-case letters and digits in hyphen-separated words, e.g. street-committee',
  [NOT_BLANK_PATTERN]: 'must not be blank',
};

/**
 * Definitions the validator checks more strictly than their schema pattern: a duration must also be one the
 * calendar reads (`parseDuration` refuses zero, more than ten years, a bare `P`).
 */
const REFINEMENTS: Readonly<Record<string, (value: string) => string | undefined>> = {
  duration: (value) => {
    if (value !== value.trim()) return `${JSON.stringify(value)} has spaces around it`;
    try {
      parseDuration(value);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  },
};

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const show = (value: unknown): string => JSON.stringify(value);

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}

const TYPE_NAMES: Readonly<Record<NonNullable<JsonSchema['type']>, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
};

/**
 * Checks `value` against `schema` (resolving `$ref` in `root.$defs`) and appends every violation to `errors`, in
 * document order. Interprets exactly the keywords of {@link JsonSchema}; a value of the wrong type gets one `type`
 * error and no further checks.
 */
export function checkSchema(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  errors: DefinitionError[],
): void {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) throw new Error(`process definition schema: unresolved $ref ${schema.$ref}`);
    const refinement = REFINEMENTS[name];
    if (refinement && typeof value === 'string') {
      const problem = refinement(value);
      if (problem) errors.push({ path, rule: name, message: `not a ${name}: ${problem}` });
      return;
    }
    checkSchema(value, target, root, path, errors);
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push({ path, rule: 'type', message: `must be ${TYPE_NAMES[schema.type]}, not ${describe(value)}` });
    return;
  }
  if (schema.const !== undefined && value !== schema.const) {
    errors.push({ path, rule: 'const', message: `must be ${show(schema.const)}, not ${show(value)}` });
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as string | number)) {
    errors.push({ path, rule: 'enum', message: `must be one of ${schema.enum.join(', ')}; got ${show(value)}` });
  }
  if (typeof value === 'number') checkNumber(value, schema, path, errors);
  if (typeof value === 'string') checkString(value, schema, path, errors);
  if (Array.isArray(value)) checkArray(value, schema, root, path, errors);
  else if (typeof value === 'object' && value !== null) checkObject(value as object, schema, root, path, errors);
}

function checkNumber(value: number, schema: JsonSchema, path: string, errors: DefinitionError[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    errors.push({ path, rule: 'minimum', message: `must be at least ${schema.minimum}; got ${value}` });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    errors.push({ path, rule: 'maximum', message: `must be at most ${schema.maximum}; got ${value}` });
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    errors.push({
      path,
      rule: 'exclusive-minimum',
      message: `must be more than ${schema.exclusiveMinimum}; got ${value}`,
    });
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    errors.push({
      path,
      rule: 'exclusive-maximum',
      message: `must be less than ${schema.exclusiveMaximum}; got ${value}`,
    });
  }
}

function checkString(value: string, schema: JsonSchema, path: string, errors: DefinitionError[]): void {
  // Lengths in code points, as JSON Schema counts them.
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    errors.push({ path, rule: 'min-length', message: `must have at least ${schema.minLength} character(s)` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errors.push({ path, rule: 'max-length', message: `must have at most ${schema.maxLength} characters` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    const message = PATTERN_MESSAGES[schema.pattern] ?? `must match ${schema.pattern}`;
    errors.push({ path, rule: 'pattern', message: `${message}; got ${show(value)}` });
  }
}

function checkArray(
  value: readonly unknown[],
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  errors: DefinitionError[],
): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push({ path, rule: 'min-items', message: `must have at least ${schema.minItems} item(s)` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push({ path, rule: 'max-items', message: `must have at most ${schema.maxItems} items` });
  }
  if (schema.uniqueItems) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = show(item);
      if (seen.has(key)) errors.push({ path: pointer(path, index), rule: 'unique-items', message: `repeats ${key}` });
      seen.add(key);
    });
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, index) => checkSchema(item, items, root, pointer(path, index), errors));
  }
}

function checkObject(
  value: object,
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  errors: DefinitionError[],
): void {
  const record = value as Record<string, unknown>;
  const properties = schema.properties ?? {};
  // A field set to `undefined` is absent, as JSON.stringify (and ajv) see it.
  for (const key of schema.required ?? []) {
    if (record[key] === undefined) {
      errors.push({ path: pointer(path, key), rule: 'required', message: `'${key}' is required` });
    }
  }
  for (const [key, child] of Object.entries(record)) {
    if (child === undefined) continue;
    const property = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (property) {
      checkSchema(child, property, root, pointer(path, key), errors);
    } else if (schema.additionalProperties === false) {
      const allowed = Object.keys(properties).join(', ');
      errors.push({
        path: pointer(path, key),
        rule: 'unknown-field',
        message: `unknown field '${key}' (allowed: ${allowed})`,
      });
    }
  }
}
