import { getCategory } from '../routing/routing-catalogue';
import { CaseKind } from '../case/case.types';
import { RoutingCatalogue } from '../routing/routing.types';

/** Kinds of emergency that are diverted to an emergency service instead of being dispatched. */
export type EmergencyType = 'police' | 'fire' | 'medical' | 'traffic';

/** Emergency service numbers: 110 police, 119 fire, 120 ambulance, 122 traffic accidents. */
export type EmergencyChannel = '110' | '119' | '120' | '122';

/** Which number each emergency is diverted to. */
export const EMERGENCY_CHANNELS: Readonly<Record<EmergencyType, EmergencyChannel>> = {
  police: '110',
  fire: '119',
  medical: '120',
  traffic: '122',
};

/** Why a request cannot be taken up by the hotline (不予受理). */
export type InadmissibleReason =
  | 'litigation'
  | 'arbitration'
  | 'petition'
  | 'state-secret'
  | 'outside-government-duty'
  | 'illegal-demand';

/** The channel the citizen is told to use instead: a stable ASCII code and the sentence the operator reads out. */
export interface AlternativeChannel {
  readonly code: 'court' | 'arbitration-body' | 'petition-office' | 'competent-authority' | 'civil-remedy' | 'none';
  readonly advice: string;
}

/** What the citizen is told for each inadmissible reason (our default wording; a deployment may replace it). */
export const INADMISSIBLE_CHANNELS: Readonly<Record<InadmissibleReason, AlternativeChannel>> = {
  litigation: { code: 'court', advice: '该事项已进入诉讼程序，请向受理案件的人民法院反映。' },
  arbitration: { code: 'arbitration-body', advice: '该事项已进入仲裁程序，请向受理的仲裁机构反映。' },
  petition: { code: 'petition-office', advice: '该事项已进入信访程序，请通过信访部门继续反映。' },
  'state-secret': {
    code: 'competent-authority',
    advice: '该事项涉及国家秘密，热线不予受理，请向有关主管机关或保密工作部门反映。',
  },
  'outside-government-duty': {
    code: 'civil-remedy',
    advice: '该事项不属于政府职责范围，建议通过协商、人民调解、仲裁或诉讼等途径解决。',
  },
  'illegal-demand': {
    code: 'none',
    advice: '该诉求不符合法律法规规定，热线不予受理；如有其他合法诉求，欢迎依法提出。',
  },
};

/** The facts an operator (or a channel) has established about a request, for {@link classifyIntake}. */
export interface IntakeFacts {
  readonly kind: CaseKind;
  /** The category id, when classified; needed for `answer-on-the-spot` and `dispatch`. */
  readonly category?: string;
  /** Set by the operator when life, property or traffic safety is at stake right now. */
  readonly emergencyType?: EmergencyType;
  /** Set by the operator when the matter is inadmissible. */
  readonly inadmissibleReason?: InadmissibleReason;
  /** For consultations: true once the caller accepts the knowledge-base answer as sufficient. */
  readonly callerAcceptsAnswer?: boolean;
}

/** What the operator established at intake beyond the case facts: it decides whether the request is dispatched. */
export type IntakeDirections = Pick<IntakeFacts, 'emergencyType' | 'inadmissibleReason' | 'callerAcceptsAnswer'>;

/** The intake outcome: what happens to the request next. Every outcome is recorded; only `dispatch` opens work. */
export type IntakeDecision =
  | {
      readonly outcome: 'emergency-diversion';
      readonly emergencyType: EmergencyType;
      readonly channel: EmergencyChannel;
    }
  | {
      readonly outcome: 'inadmissible';
      readonly reason: InadmissibleReason;
      readonly channel: AlternativeChannel;
    }
  | {
      readonly outcome: 'answer-on-the-spot';
      readonly category: string;
      readonly answer: string;
    }
  | {
      readonly outcome: 'dispatch';
      readonly category: string;
      /** A consultation's knowledge-base answer the caller did not accept, attached for the handler's reference. */
      readonly knowledgeAnswer?: string;
    };

/** Codes of {@link IntakeError}. */
export type IntakeErrorCode =
  /** The request would be dispatched or answered but has no category yet. */
  | 'category-required'
  /** A repeat count is negative or not an integer. */
  | 'invalid-repeat-count';

/** Error thrown by intake functions; `code` is stable and machine-readable. */
export class IntakeError extends Error {
  override readonly name = 'IntakeError';

  constructor(
    readonly code: IntakeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Decides what intake does with a request, first match wins:
 *
 * 1. `emergency-diversion` when `emergencyType` is set (safety first, whatever else is known): the citizen is
 *    transferred to 110/119/120/122 and the request is recorded, not dispatched.
 * 2. `inadmissible` when `inadmissibleReason` is set: closed, the citizen told the channel to use.
 * 3. `answer-on-the-spot` for a consultation whose category accepts consultations and has a knowledge-base answer,
 *    once the caller accepts it (`callerAcceptsAnswer === true`); such cases are excluded from scoring.
 * 4. `dispatch` otherwise; the routing catalogue then decides where (`evaluateRoute`).
 *
 * @throws IntakeError `category-required` for outcomes 3–4 without a category; RoutingError `unknown-category`.
 */
export function classifyIntake(catalogue: RoutingCatalogue, facts: IntakeFacts): IntakeDecision {
  if (facts.emergencyType) {
    return {
      outcome: 'emergency-diversion',
      emergencyType: facts.emergencyType,
      channel: EMERGENCY_CHANNELS[facts.emergencyType],
    };
  }
  if (facts.inadmissibleReason) {
    return {
      outcome: 'inadmissible',
      reason: facts.inadmissibleReason,
      channel: INADMISSIBLE_CHANNELS[facts.inadmissibleReason],
    };
  }
  if (facts.category === undefined) {
    throw new IntakeError('category-required', 'classifyIntake: a request to answer or dispatch needs a category');
  }
  const category = getCategory(catalogue, facts.category);
  const answer =
    facts.kind === 'consultation' && category.kinds.includes('consultation') ? category.knowledgeAnswer : undefined;
  if (answer !== undefined && facts.callerAcceptsAnswer === true) {
    return { outcome: 'answer-on-the-spot', category: category.id, answer };
  }
  return { outcome: 'dispatch', category: category.id, ...(answer === undefined ? {} : { knowledgeAnswer: answer }) };
}
