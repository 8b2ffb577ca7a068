import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import { JsonSchema, PROCESS_DEFINITION_SCHEMA, SCHEMA_KEYWORDS } from './process-definition.schema';
import { ProcessDefinition } from './process-definition';
import { DEMO_PRESETS as PRESETS } from '../../../persistence/src/seed/demo-presets';
import { PRESET_IDS } from './presets';
import { checkSchema, DefinitionError } from './schema-check';

/** Every subschema of the schema, with where it sits. */
function subschemas(schema: JsonSchema, at = '#'): Array<[string, JsonSchema]> {
  const children: Array<[string, JsonSchema]> = [
    ...Object.entries(schema.$defs ?? {}).map(([name, child]): [string, JsonSchema] => [`${at}/$defs/${name}`, child]),
    ...Object.entries(schema.properties ?? {}).map(([name, child]): [string, JsonSchema] => [`${at}/${name}`, child]),
    ...(schema.items ? [[`${at}/items`, schema.items] as [string, JsonSchema]] : []),
  ];
  return [[at, schema], ...children.flatMap(([path, child]) => subschemas(child, path))];
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const ajvValidate = ajv.compile(PROCESS_DEFINITION_SCHEMA);

/** Where ajv puts an error, as the validator would: missing and unknown fields at the field, not at its parent. */
function ajvPath(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const field = params.missingProperty ?? params.additionalProperty;
  return field === undefined ? error.instancePath : `${error.instancePath}/${field}`;
}

/** The validator's schema errors, with repeated list items reported at the list (where ajv reports them). */
function ownPaths(doc: unknown): string[] {
  const errors: DefinitionError[] = [];
  checkSchema(doc, PROCESS_DEFINITION_SCHEMA, PROCESS_DEFINITION_SCHEMA, '', errors);
  return errors.map((error) => (error.rule === 'unique-items' ? error.path.replace(/\/\d+$/, '') : error.path));
}

type Editable<T> = T extends readonly (infer U)[]
  ? Editable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Editable<T[K]> }
    : T;
type Doc = Editable<ProcessDefinition>;

const mutated = (change: (doc: Doc) => unknown): unknown => {
  const doc = JSON.parse(JSON.stringify(PRESETS.beijing)) as Doc;
  change(doc);
  return doc;
};
const put = (target: object, key: string, value: unknown): void => {
  (target as Record<string, unknown>)[key] = value;
};

describe('PROCESS_DEFINITION_SCHEMA', () => {
  it('should be a valid draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(ajv.validateSchema(PROCESS_DEFINITION_SCHEMA)).toBe(true);
  });

  it('should use only the keywords the validator interprets', () => {
    const unknown = subschemas(PROCESS_DEFINITION_SCHEMA).flatMap(([path, schema]) =>
      Object.keys(schema)
        .filter((keyword) => !(SCHEMA_KEYWORDS as readonly string[]).includes(keyword))
        .map((keyword) => `${path}: ${keyword}`),
    );
    expect(unknown).toEqual([]);
  });

  it('should reject unknown fields in every object', () => {
    const open = subschemas(PROCESS_DEFINITION_SCHEMA)
      .filter(([, schema]) => schema.type === 'object' && schema.additionalProperties !== false)
      .map(([path]) => path);
    expect(open).toEqual([]);
  });

  it.each(PRESET_IDS)('should accept the %s preset, as ajv does', (id) => {
    expect(ownPaths(PRESETS[id])).toEqual([]);
    expect(ajvValidate(PRESETS[id])).toBe(true);
  });

  // The validator and ajv must find the same structural errors at the same places.
  it.each<[string, unknown]>([
    ['an unknown top-level field', mutated((doc) => put(doc, 'extra', true))],
    ['an unknown grade field', mutated((doc) => put(doc.whistle.grades[0], 'colour', 'blue'))],
    ['a missing report limit', mutated((doc) => put(doc.whistle.grades[1], 'reportLimit', undefined))],
    ['a wrong schema version', mutated((doc) => put(doc, 'schemaVersion', 2))],
    ['a string for a number', mutated((doc) => put(doc.whistle, 'maxDepartments', '6'))],
    ['a fractional count', mutated((doc) => (doc.scoring.minimumSample = 2.5))],
    ['an unknown enum value', mutated((doc) => put(doc.dispatch, 'command', 'province'))],
    ['a repeated exclusion', mutated((doc) => doc.scoring.exclusions.push('duplicate'))],
    ['a reminder fraction of 1', mutated((doc) => (doc.lifecycle.reminderFraction = 1))],
    ['a malformed duration', mutated((doc) => (doc.lifecycle.returnWindow = '2 days'))],
    ['a blank name', mutated((doc) => (doc.routing.categories[0].name = ' '))],
    ['a non-slug rung id', mutated((doc) => (doc.lifecycle.ladder.rungs[0].id = 'Community'))],
    ['no grades', mutated((doc) => (doc.whistle.grades = []))],
    ['a weight over 100', mutated((doc) => (doc.scoring.weights.response = 130))],
    ['null for an object', mutated((doc) => put(doc, 'intake', null))],
    ['a whole document of the wrong type', 42],
  ])('should agree with ajv on %s', (_title, doc) => {
    const own = ownPaths(doc);
    expect(ajvValidate(doc)).toBe(false);
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own)).toEqual(new Set((ajvValidate.errors ?? []).map(ajvPath)));
  });
});
