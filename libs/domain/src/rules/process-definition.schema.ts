import { CASE_KINDS, URGENCIES } from '../case/case.types';
import { AUDIT_FLAG_EFFECTS, AUDIT_SAMPLINGS } from '../lifecycle/lifecycle.types';
import {
  COMMAND_MODES,
  COMMITTEE_LEVELS,
  LOCALITY_LEVELS,
  PROCESS_DEFINITION_SCHEMA_VERSION,
  RUNG_ACTIONS,
  RUNG_PLACE_LEVELS,
  RUNG_ROLES,
  RUNG_SUPERVISION_LEVELS,
  SCORING_EXCLUSIONS,
  WHISTLE_ANSWERERS,
  WHISTLE_TRIGGERS,
  WHISTLE_TYPES,
  WHISTLER_KINDS,
} from './process-definition';

/**
 * The subset of JSON Schema (draft 2020-12) the process definition schema uses. `validateDefinition` interprets
 * exactly these keywords, so the schema served to editors and the validator cannot disagree; a spec checks that the
 * schema uses no other keyword and that ajv accepts what the validator accepts.
 */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly title?: string;
  readonly description?: string;
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly enum?: readonly (string | number)[];
  readonly const?: string | number | boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

/** The keywords {@link JsonSchema} allows; anything else in the schema is a bug the spec catches. */
export const SCHEMA_KEYWORDS: readonly (keyof JsonSchema)[] = [
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
];

/** An ASCII slug: lower-case letters and digits in hyphen-separated words. */
export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

/** A string with at least one non-space character. */
export const NOT_BLANK_PATTERN = '\\S';

/**
 * The shape of a duration text. `parseDuration` is stricter (no zero, nothing over ten years, `P` alone refused) and
 * the validator applies it on top.
 */
export const DURATION_PATTERN =
  '^(?:[0-9]+WD|[0-9]+(?:\\.[0-9]{1,2})?WH|P(?:[0-9]+D)?(?:T(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)$';

const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const str = (description?: string): JsonSchema => ({
  type: 'string',
  pattern: NOT_BLANK_PATTERN,
  ...(description ? { description } : {}),
});
const int = (minimum: number, description: string, maximum?: number): JsonSchema => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
  description,
});
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const enumOf = (values: readonly string[], description?: string): JsonSchema => ({
  type: 'string',
  enum: values,
  ...(description ? { description } : {}),
});
const setOf = (values: readonly string[], description: string): JsonSchema => ({
  type: 'array',
  items: enumOf(values),
  uniqueItems: true,
  description,
});

/** An object schema: every property listed, `required` as given, unknown fields rejected. */
function object(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = Object.keys(properties),
  description?: string,
): JsonSchema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required,
    additionalProperties: false,
  };
}

const deadlineSet = object(
  {
    sign: { ...ref('duration'), description: 'Sign for the case (签收) within this.' },
    contact: { ...ref('duration'), description: 'Contact the citizen (联系) within this.' },
    handle: { ...ref('duration'), description: 'Handle the case (办结) within this.' },
  },
  undefined,
  'The limits stamped on a case at dispatch.',
);

const kindDeadlines: JsonSchema = object(
  Object.fromEntries(
    CASE_KINDS.map((kind) => [
      kind,
      object(Object.fromEntries(URGENCIES.map((urgency) => [urgency, deadlineSet])), []),
    ]),
  ),
  [],
  'Limits by request kind and urgency; the category’s own win over the catalogue’s, both over `deadlines`.',
);

const category = object(
  {
    id: ref('slug'),
    name: str('Chinese name, e.g. 物业管理.'),
    kinds: { type: 'array', items: enumOf(CASE_KINDS), minItems: 1, uniqueItems: true },
    defaultUrgency: enumOf(URGENCIES),
    handler: {
      ...str(),
      description:
        "The lead unit: 'locality', a department id of the org tree, or 'function:<slug>' (a body by function).",
    },
    coUnits: {
      type: 'array',
      items: str(),
      uniqueItems: true,
      description: "Co-units: 'locality', department ids or 'function:<slug>'.",
    },
    deadlines: object(Object.fromEntries(URGENCIES.map((urgency) => [urgency, deadlineSet]))),
    kindDeadlines,
    localityLevel: enumOf(LOCALITY_LEVELS, "Where a 'locality' handler of this category goes (default: dispatch's)."),
    enforcementOrMediation: bool('Satisfaction ratings of this category are left out of the satisfaction rate.'),
    knowledgeAnswer: str('Answer an operator may give a consultation on the spot.'),
    patrol: bool('Patrol findings: only a grid worker files them, from their own grid.'),
  },
  ['id', 'name', 'kinds', 'defaultUrgency', 'handler', 'deadlines'],
);

const rung = object(
  {
    id: ref('slug'),
    name: str('What the model calls the rung.'),
    coordinator: object(
      {
        committee: enumOf(COMMITTEE_LEVELS, "The coordination committee of this level at the case's place."),
        place: enumOf(RUNG_PLACE_LEVELS, "The case's place's own unit of this level (a grid, community or street)."),
        office: { ...ref('slug'), description: 'The nearest office of this function above the place.' },
        serviceCentre: bool('The service centre that dispatched the case (true).'),
        unitId: str('A fixed unit of the org tree.'),
      },
      [],
      'The body that takes up the case on this rung: exactly one of committee, place, office, serviceCentre, unitId.',
    ),
    deadline: { ...ref('duration'), description: 'Time on the rung before the case climbs; absent on the final rung.' },
    next: { ...ref('slug'), description: 'Id of the next rung; absent on the final rung.' },
    supervision: enumOf(RUNG_SUPERVISION_LEVELS, 'Supervision level the case is put under on arrival.'),
    role: enumOf(RUNG_ROLES, 'The role that acts for the body (default coordinator).'),
    actions: {
      ...setOf(RUNG_ACTIONS, 'What the body may do (default instruct and reassign).'),
      minItems: 1,
    },
  },
  ['id', 'name', 'coordinator'],
);

const grade = object(
  {
    id: ref('slug'),
    name: str('Chinese name, e.g. 红哨.'),
    description: str('Who must come.'),
    reportLimit: { ...ref('duration'), description: 'How long a summoned department has to report.' },
    triggers: setOf(WHISTLE_TRIGGERS, 'The triggers the grade is for; absent: any.'),
    types: setOf(WHISTLE_TYPES, 'The whistle types the grade is for; absent: any the definition lists.'),
  },
  ['id', 'name', 'description', 'reportLimit'],
);

const percent = { type: 'number', minimum: 0, maximum: 100 } as const satisfies JsonSchema;

/**
 * JSON Schema (draft 2020-12) of a {@link ProcessDefinition} document, `schemaVersion` 1. Every object rejects
 * unknown fields. Served by the API for editors; `validateDefinition` checks the same rules and the semantic ones a
 * schema cannot say (units exist, the ladder ends, weights sum to 100 …).
 */
export const PROCESS_DEFINITION_SCHEMA: JsonSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:shaosheng:process-definition:1',
  title: 'Shaosheng process definition',
  description: 'Everything the complaint lifecycle reads, as data (docs/rules.md).',
  $defs: {
    slug: { type: 'string', pattern: SLUG_PATTERN, description: 'ASCII slug, e.g. street-committee.' },
    duration: {
      type: 'string',
      pattern: DURATION_PATTERN,
      description: 'Working days (7WD), working hours (4WH) or natural ISO-8601 time (PT2H, P1D).',
    },
  },
  ...object(
    {
      schemaVersion: { type: 'integer', const: PROCESS_DEFINITION_SCHEMA_VERSION },
      id: ref('slug'),
      name: str(),
      description: str(),
      jurisdiction: object(
        { cityId: str('The city unit of the org tree.'), districtId: str('A district of that city.') },
        ['cityId'],
      ),
      calendarId: str('Id of the working-day calendar, e.g. cn-mainland.'),
      dispatch: object({
        localityLevel: enumOf(LOCALITY_LEVELS, "Where a 'locality' handler resolves to."),
        copyToDistrict: bool('Direct dispatch to a locality copies its district.'),
        command: enumOf(COMMAND_MODES, 'Who dispatches and commands joint action.'),
      }),
      routing: object(
        {
          id: ref('slug'),
          version: str(),
          name: str(),
          categories: { type: 'array', items: category, minItems: 1 },
          kindDeadlines,
        },
        ['id', 'version', 'name', 'categories'],
      ),
      lifecycle: object({
        returnWindow: ref('duration'),
        extension: object({
          maxCount: int(0, 'Extensions per case; 0 forbids them.'),
          maxWorkingDays: int(1, 'Longest extension in working days.'),
        }),
        suspension: object(
          {
            maxCount: int(0, 'Suspensions per case; absent: no limit.'),
            reasons: { type: 'array', items: object({ id: ref('slug'), name: str() }) },
          },
          ['reasons'],
        ),
        ladder: object({ rungs: { type: 'array', items: rung, minItems: 1 } }),
        reminderFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        supervision: object({ reminderAfter: ref('duration'), raiseAfter: ref('duration') }),
        callback: object(
          {
            window: ref('duration'),
            maxAttempts: int(1, 'Attempts before the citizen counts as unreachable.'),
            audit: object(
              {
                fraction: {
                  type: 'number',
                  exclusiveMinimum: 0,
                  maximum: 1,
                  description: 'Share of cases closed satisfied that are called back again (民意访评).',
                },
                sampling: enumOf(AUDIT_SAMPLINGS, 'How cases are drawn: case-number-hash (deterministic, recorded).'),
                deadline: { ...ref('duration'), description: 'The audit call-back is due this long after the close.' },
                flagEffect: enumOf(AUDIT_FLAG_EFFECTS, 'How a contradicted audit counts in the unit scores.'),
              },
              undefined,
              'Audit call-backs of closed cases; absent: none.',
            ),
          },
          ['window', 'maxAttempts'],
        ),
        rehandle: object({ duration: ref('duration'), maxCount: int(0, 'Re-handlings per case.') }),
        accountability: object(
          {
            target: { ...ref('slug'), description: 'Function of the office that takes it up, e.g. discipline-office.' },
            deadline: { ...ref('duration'), description: 'Time the office has to decide.' },
            role: enumOf(RUNG_ROLES, 'The role that acts for the office (default handler).'),
          },
          ['target', 'deadline'],
        ),
      }),
      whistle: object(
        {
          triggers: setOf(WHISTLE_TRIGGERS, 'Why a unit may whistle.'),
          types: setOf(
            WHISTLE_TYPES,
            'The whistle types told apart (enforcement, management, development); absent: none.',
          ),
          grades: { type: 'array', items: grade, minItems: 1 },
          whistlers: {
            type: 'array',
            items: object({ kind: enumOf(WHISTLER_KINDS), answeredBy: enumOf(WHISTLE_ANSWERERS) }),
            minItems: 1,
          },
          maxDepartments: int(1, 'Most departments one round may summon.', 20),
          stayUntilDone: bool('事不完、人不撤: departments stay until the whistler confirms their work done.'),
          rating: object({
            required: bool('The whistler rates every department.'),
            veto: bool("The whistler's rating can veto a department's assessment."),
          }),
        },
        ['triggers', 'grades', 'whistlers', 'maxDepartments', 'stayUntilDone', 'rating'],
      ),
      intake: object({
        duplicateRadiusMeters: { type: 'number', exclusiveMinimum: 0, maximum: 5000 },
        duplicateSameGrid: bool('Same category in the same grid is a duplicate.'),
        repeat: object({
          elevatedAt: int(1, 'Repeat contacts that make the priority elevated.'),
          highAt: int(1, 'Repeat contacts that make the priority high.'),
          supervisionAt: int(1, 'Repeat contacts that put the case under daily supervision.'),
        }),
      }),
      scoring: object(
        {
          weights: object({ response: percent, resolution: percent, satisfaction: percent }),
          exclusions: setOf(SCORING_EXCLUSIONS, 'What the scores leave out.'),
          minimumSample: int(1, 'Rated cases a unit needs to be ranked.'),
          bottomN: int(1, 'Units on the published bottom list.'),
          doubleAssessment: bool("Whistlers' ratings of departments are published (双考核)."),
          doubleAssessmentWeight: int(
            0,
            "Percent of a department's score its whistlers' ratings make (default 0); a veto zeroes it.",
            100,
          ),
          rectification: object(
            { deadline: { ...ref('duration'), description: 'A bottom unit reports its rectification within this.' } },
            ['deadline'],
            '限期整改: each bottom unit of a month gets a rectification item (absent: none).',
          ),
          proactive: object(
            {
              growthThreshold: int(1, 'Cases more than the same category and place had the month before.'),
              minimumCount: int(1, 'Cases the hotspot needs in the month.'),
              deadline: { ...ref('duration'), description: 'The place acts and reports within this.' },
            },
            ['growthThreshold', 'minimumCount', 'deadline'],
            '未诉先办: a hotspot that rose past this gets a proactive item (absent: none).',
          ),
        },
        ['weights', 'exclusions', 'minimumSample', 'bottomN', 'doubleAssessment'],
      ),
    },
    [
      'schemaVersion',
      'id',
      'name',
      'jurisdiction',
      'calendarId',
      'dispatch',
      'routing',
      'lifecycle',
      'whistle',
      'intake',
      'scoring',
    ],
  ),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
