import type { Schemas } from '../api/client';

/** How one body field of an action is asked for. */
export interface FieldSpec {
  name: string;
  kind: 'text' | 'textarea' | 'boolean' | 'number' | 'choice' | 'units' | 'unit';
  required?: boolean;
  /** choice: the values (translated through `values.<name>.<value>`). */
  options?: readonly string[];
  min?: number;
  max?: number;
  /** boolean: left out of the body unless ticked (a flag only some rungs accept). */
  omitFalse?: boolean;
  /** Required only while another field of the form has this value (a send-back's note: `done` false). */
  requiredWhen?: { field: string; equals: unknown };
  /** The value the form starts with. */
  initial?: unknown;
  /** The label's i18n key when `fields.<name>` would mislead (a name two actions use differently). */
  label?: string;
}

/** Bodies the API declares for each action: a renamed or dropped field breaks the console's build here. */
type Bodies = {
  sign: Record<string, never>;
  return: Schemas['ReasonDto'];
  redispatch: Schemas['RedispatchDto'];
  contact: Schemas['ContactDto'];
  'extension-request': Schemas['ExtensionRequestDto'];
  'extension-decision': Schemas['ExtensionDecisionDto'];
  suspend: Schemas['ReasonDto'];
  resume: Schemas['ReasonDto'];
  whistle: Schemas['WhistleDto'];
  escalate: Schemas['ReasonDto'];
  coordinate: Schemas['CoordinateDto'];
  reply: Schemas['ReplyDto'];
  review: Schemas['ReviewDto'];
  callback: Schemas['CallbackDto'];
  'audit-callback': Schemas['CallbackDto'];
  'accountability-decision': Schemas['AccountabilityDecisionDto'];
  report: Schemas['WhistleReportDto'];
  result: Schemas['WhistleResultDto'];
  rate: Schemas['WhistleRatingDto'];
  confirm: Schemas['WhistleConfirmationDto'];
  'co-unit-report': Schemas['ReportPartDto'];
};
export type ActionName = keyof Bodies;
type Spec<B> = (FieldSpec & { name: Extract<keyof B, string> })[];

const reason: Spec<Schemas['ReasonDto']> = [{ name: 'reason', kind: 'textarea', required: true }];

/** Why a whistle is blown (the rules say which a grade allows; left empty, the API completes it from the grade). */
export const WHISTLE_TRIGGERS = [
  'citizen-demand',
  'key-work',
  'joint-enforcement',
  'emergency-response',
  'patrol-finding',
] as const satisfies readonly NonNullable<Schemas['WhistleDto']['trigger']>[];
/** The whistle types, where the rules tell them apart (left empty: the grade's only type). */
export const WHISTLE_TYPES = ['enforcement', 'management', 'development'] as const satisfies readonly NonNullable<
  Schemas['WhistleDto']['whistleType']
>[];

const callback: Spec<Schemas['CallbackDto']> = [
  { name: 'reached', kind: 'boolean' },
  { name: 'solved', kind: 'boolean' },
  {
    name: 'satisfaction',
    kind: 'choice',
    options: ['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied'],
  },
  { name: 'note', kind: 'textarea' },
];

/**
 * The form of every case and task action, field by field, in the order a person fills it. Validation beyond
 * "required" is the API's: its refusal names the field and the rule, and the form shows it on that field.
 */
export const ACTION_FIELDS: { [A in ActionName]: Spec<Bodies[A]> } = {
  sign: [],
  return: reason,
  redispatch: [
    { name: 'leadUnitId', kind: 'text', required: true },
    { name: 'arbitrated', kind: 'boolean' },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  contact: [{ name: 'note', kind: 'textarea' }],
  'extension-request': [
    { name: 'workingDays', kind: 'number', required: true, min: 1, max: 10 },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  'extension-decision': [
    { name: 'approved', kind: 'boolean' },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  suspend: reason,
  resume: reason,
  whistle: [
    { name: 'departmentIds', kind: 'units', required: true },
    { name: 'grade', kind: 'choice', required: true, options: ['blue', 'yellow', 'red'] },
    { name: 'trigger', kind: 'choice', options: WHISTLE_TRIGGERS },
    { name: 'whistleType', kind: 'choice', options: WHISTLE_TYPES },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  escalate: reason,
  coordinate: [
    { name: 'instruction', kind: 'textarea', required: true },
    { name: 'reassignTo', kind: 'text' },
    { name: 'convene', kind: 'units' },
    { name: 'decision', kind: 'boolean', omitFalse: true },
  ],
  reply: [
    { name: 'result', kind: 'choice', required: true, options: ['solved', 'partly', 'explained'] },
    { name: 'summary', kind: 'textarea', required: true },
  ],
  review: [
    { name: 'accepted', kind: 'boolean' },
    { name: 'reason', kind: 'textarea' },
  ],
  callback,
  'audit-callback': callback,
  'accountability-decision': [
    { name: 'responsible', kind: 'boolean' },
    { name: 'decision', kind: 'textarea', required: true, label: 'fields.accountabilityDecision' },
  ],
  report: [{ name: 'note', kind: 'textarea' }],
  result: [{ name: 'summary', kind: 'textarea', required: true }],
  'co-unit-report': [{ name: 'summary', kind: 'textarea', required: true }],
  rate: [
    { name: 'departmentId', kind: 'unit', required: true },
    { name: 'score', kind: 'number', required: true, min: 1, max: 5 },
    { name: 'veto', kind: 'boolean', omitFalse: true },
    { name: 'comment', kind: 'textarea' },
  ],
  confirm: [
    { name: 'departmentId', kind: 'unit', required: true },
    { name: 'done', kind: 'boolean', initial: true },
    { name: 'note', kind: 'textarea', requiredWhen: { field: 'done', equals: false } },
  ],
};

export function isKnownAction(action: string): action is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTION_FIELDS, action);
}

/** Whether the form must have `field` filled, given the other values (a boolean left unticked counts as `false`). */
export function isRequired(field: FieldSpec, values: Record<string, unknown>): boolean {
  if (!field.requiredWhen) return field.required === true;
  return (values[field.requiredWhen.field] ?? false) === field.requiredWhen.equals;
}

/** The body to send: empty optional fields left out, booleans always present (an unticked box is `false`). */
export function actionBody(action: ActionName, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of ACTION_FIELDS[action] as FieldSpec[]) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      if (value === true || !field.omitFalse) body[field.name] = value === true;
    } else if (value !== undefined && value !== null && value !== '') body[field.name] = value;
  }
  return body;
}
