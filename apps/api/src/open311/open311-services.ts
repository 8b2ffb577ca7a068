import { CASE_KINDS, URGENCIES } from '../../../../libs/domain/src/case/case.types';
import type { CaseKind, Urgency } from '../../../../libs/domain/src/case/case.types';
import { EMERGENCY_CHANNELS, INADMISSIBLE_CHANNELS } from '../../../../libs/domain/src/intake/intake';
import type { EmergencyType, InadmissibleReason } from '../../../../libs/domain/src/intake/intake';
import type { RoutingCategory } from '../../../../libs/domain/src/routing/routing.types';
import { Open311Error } from './open311.errors';
import type { Open311Record } from './open311.format';

/*
 * Services and their definitions from the routing catalogue (pure). A service is a category; its definition's
 * attributes are what intake may need beyond the location and the description: the kind of request (required when
 * the category takes several), the urgency, an emergency to divert, an inadmissible matter, new facts of a repeat.
 */

/** Chinese names of the request kinds, for the `kind` attribute's values. */
const KIND_NAMES: Readonly<Record<CaseKind, string>> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
};

const URGENCY_NAMES: Readonly<Record<Urgency, string>> = { emergency: '紧急', urgent: '加急', normal: '一般' };

const EMERGENCY_NAMES: Readonly<Record<EmergencyType, string>> = {
  police: '治安警情',
  fire: '火警',
  medical: '医疗急救',
  traffic: '交通事故',
};

const INADMISSIBLE_NAMES: Readonly<Record<InadmissibleReason, string>> = {
  litigation: '已进入诉讼程序',
  arbitration: '已进入仲裁程序',
  petition: '已进入信访程序',
  'state-secret': '涉及国家秘密',
  'outside-government-duty': '不属政府职责',
  'illegal-demand': '诉求不合法',
};

/** Whether a category needs its definition read before filing: it takes several kinds, so `kind` is required. */
export function needsDefinition(category: RoutingCategory): boolean {
  return category.kinds.length > 1;
}

/** One entry of `GET services`. */
export function serviceOf(category: RoutingCategory): Open311Record {
  const kinds = category.kinds.map((kind) => KIND_NAMES[kind]).join('、');
  return {
    service_code: category.id,
    service_name: category.name,
    description: `${category.name}：受理${kinds}`,
    metadata: needsDefinition(category),
    type: 'realtime',
    keywords: category.kinds.map((kind) => KIND_NAMES[kind]).join(','),
    group: category.handler === 'locality' ? '属地办理' : '部门办理',
  };
}

/** `GET services/{service_code}`: the category's attributes. */
export function serviceDefinitionOf(category: RoutingCategory): Open311Record {
  const list = (entries: Array<[string, string]>) => entries.map(([key, name]) => ({ key, name }));
  return {
    service_code: category.id,
    attributes: [
      {
        variable: true,
        code: 'kind',
        datatype: 'singlevaluelist',
        required: needsDefinition(category),
        datatype_description: null,
        order: 1,
        description: `诉求类型${needsDefinition(category) ? '' : `（默认${KIND_NAMES[category.kinds[0]]}）`}`,
        values: list(category.kinds.map((kind) => [kind, KIND_NAMES[kind]])),
      },
      {
        variable: true,
        code: 'urgency',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 2,
        description: `紧急程度（默认${URGENCY_NAMES[category.defaultUrgency]}）`,
        values: list(URGENCIES.map((urgency) => [urgency, URGENCY_NAMES[urgency]])),
      },
      {
        variable: true,
        code: 'emergency',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 3,
        description: '人身、财产或交通安全正受威胁时选择：诉求转 110/119/120/122 处置，不派单',
        values: list(
          (Object.keys(EMERGENCY_CHANNELS) as EmergencyType[]).map((type) => [
            type,
            `${EMERGENCY_NAMES[type]}（${EMERGENCY_CHANNELS[type]}）`,
          ]),
        ),
      },
      {
        variable: true,
        code: 'inadmissible',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 4,
        description: '该事项不属热线受理范围时选择：记录在案并告知应通过的渠道',
        values: list(
          (Object.keys(INADMISSIBLE_CHANNELS) as InadmissibleReason[]).map((reason) => [
            reason,
            INADMISSIBLE_NAMES[reason],
          ]),
        ),
      },
      {
        variable: true,
        code: 'new_facts',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 5,
        description: '同一问题已有在办诉求时：是否提供了新的情况（是则另立关联诉求，否则计入在办诉求）',
        values: list([
          ['false', '否'],
          ['true', '是'],
        ]),
      },
    ],
  };
}

/** What a request's `attribute[...]` fields ask of intake, checked against the category. */
export interface Open311Directions {
  kind: CaseKind;
  urgency?: Urgency;
  emergencyType?: EmergencyType;
  inadmissibleReason?: InadmissibleReason;
  hasNewFacts?: boolean;
}

/**
 * Reads `attribute[code]=value` (form-decoded into an object) for a category.
 * @throws Open311Error 400 with every problem: an unknown attribute, a value not among the attribute's values, a
 *   list where one value is allowed, a required `kind` missing.
 */
export function readAttributes(category: RoutingCategory, attribute: unknown): Open311Directions {
  const problems: string[] = [];
  const given: Record<string, unknown> =
    attribute === undefined || attribute === ''
      ? {}
      : typeof attribute === 'object' && attribute !== null
        ? (attribute as Record<string, unknown>)
        : { '': attribute };
  const known = ['kind', 'urgency', 'emergency', 'inadmissible', 'new_facts'];
  for (const key of Object.keys(given)) {
    if (!known.includes(key))
      problems.push(`attribute[${key}]: not an attribute of service ${category.id}; known: ${known.join(', ')}`);
  }
  const one = <T extends string>(code: string, allowed: readonly T[]): T | undefined => {
    const value = given[code];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`attribute[${code}]: takes one value (singlevaluelist)`);
      return undefined;
    }
    if (!allowed.includes(value as T)) {
      problems.push(`attribute[${code}]: must be one of ${allowed.join(', ')}, not ${value}`);
      return undefined;
    }
    return value as T;
  };
  const kind = one(
    'kind',
    category.kinds.filter((entry) => CASE_KINDS.includes(entry)),
  );
  const urgency = one('urgency', URGENCIES);
  const emergencyType = one('emergency', Object.keys(EMERGENCY_CHANNELS) as EmergencyType[]);
  const inadmissibleReason = one('inadmissible', Object.keys(INADMISSIBLE_CHANNELS) as InadmissibleReason[]);
  const newFacts = one('new_facts', ['true', 'false'] as const);
  if (!kind && needsDefinition(category)) {
    problems.push(`attribute[kind]: required for service ${category.id}: one of ${category.kinds.join(', ')}`);
  }
  if (problems.length > 0) throw Open311Error.badRequest(...problems);
  return {
    kind: kind ?? category.kinds[0],
    ...(urgency ? { urgency } : {}),
    ...(emergencyType ? { emergencyType } : {}),
    ...(inadmissibleReason ? { inadmissibleReason } : {}),
    ...(newFacts ? { hasNewFacts: newFacts === 'true' } : {}),
  };
}
