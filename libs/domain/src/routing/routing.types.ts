import { CaseKind, Urgency } from '../case/case.types';

/*
 * The routing catalogue (派单目录): which unit handles a category of request, with which co-units, under which
 * deadlines. Catalogues are data (part of a process definition) and are validated by `buildRoutingCatalogue`.
 */

/**
 * A deadline duration as the calendar reads it (`parseDuration`): ISO-8601 natural time (`PT2H`, `PT30M`, `P1D`,
 * counted around the clock), working days (`7WD`) or working hours (`4WH`). The catalogue is validated with the
 * calendar's parser; the calendar computes the instant.
 */
export type DeadlineDuration = string;

/** The three limits stamped on a case at dispatch: sign for it (签收), contact the citizen (联系), handle it (办结). */
export interface DeadlineSet {
  readonly sign: DeadlineDuration;
  readonly contact: DeadlineDuration;
  readonly handle: DeadlineDuration;
}

/** A category's limits for each urgency. */
export type CategoryDeadlines = Readonly<Record<Urgency, DeadlineSet>>;

/**
 * Limits by request kind (e.g. Guangdong's 2 / 10 / 15 working days for consultations, requests for help and
 * complaints): for each kind, the limits of some urgencies. Precedence, most specific first: the category's entry for
 * the kind and urgency, then the catalogue's entry for the kind and urgency, then the category's `deadlines`.
 */
export type KindDeadlines = Readonly<Partial<Record<CaseKind, Readonly<Partial<Record<Urgency, DeadlineSet>>>>>>;

/** Where a {@link LOCALITY_HANDLER} case goes: the place's street/township, community/village, or grid. */
export type RoutingLocalityLevel = 'street' | 'community' | 'grid';

/**
 * The handler token meaning "the locality of the place": the street/township the place resolves to (直派街乡), with a
 * copy to its district. Any other handler value is a department id of the org tree.
 */
export const LOCALITY_HANDLER = 'locality';

/**
 * Prefix of a handler that names a body by what it does: `function:governance-centre` is the office or volunteer
 * group of that function nearest to the place, walking up from it (`bodyFor`): a village's own comprehensive
 * governance centre (村级综治中心), a village's volunteer mediation group (`function:volunteer-mediation`).
 */
export const FUNCTION_HANDLER_PREFIX = 'function:';

/** The function slug of a `function:<slug>` handler, or undefined for any other handler. */
export function handlerFunction(ref: RouteHandler): string | undefined {
  return ref.startsWith(FUNCTION_HANDLER_PREFIX) ? ref.slice(FUNCTION_HANDLER_PREFIX.length) : undefined;
}

/**
 * A unit reference in the catalogue: {@link LOCALITY_HANDLER}, a department id such as `dept-housing`, or a body by
 * function (`function:<slug>`, {@link FUNCTION_HANDLER_PREFIX}).
 */
export type RouteHandler = string;

/** One entry of the routing catalogue. */
export interface RoutingCategory {
  /** Stable ASCII slug, e.g. `property-management`; recorded in case histories and search attributes. */
  readonly id: string;
  /** Chinese name, e.g. `物业管理`. */
  readonly name: string;
  /** The request kinds this category accepts; a request of another kind must be reclassified. */
  readonly kinds: readonly CaseKind[];
  /** Urgency used when intake states none. */
  readonly defaultUrgency: Urgency;
  /** The lead unit (首接负责): {@link LOCALITY_HANDLER}, a department id or `function:<slug>`. */
  readonly handler: RouteHandler;
  /** Co-units that report their part to the lead; may include {@link LOCALITY_HANDLER}. */
  readonly coUnits?: readonly RouteHandler[];
  /** Sign / contact / handle limits per urgency. */
  readonly deadlines: CategoryDeadlines;
  /** Limits of this category by request kind; they win over the catalogue's `kindDeadlines` and `deadlines`. */
  readonly kindDeadlines?: KindDeadlines;
  /** Where a `locality` handler of this category goes; absent: the definition's `dispatch.localityLevel`. */
  readonly localityLevel?: RoutingLocalityLevel;
  /**
   * True for enforcement or mediation matters (违法建设, 纠纷调解 …), whose satisfaction ratings are excluded from the
   * satisfaction rate: a citizen who was fined or lost a dispute rates the outcome, not the service.
   */
  readonly enforcementOrMediation?: boolean;
  /** Knowledge-base answer (Chinese) an operator may give on the spot to a consultation; needs `consultation`. */
  readonly knowledgeAnswer?: string;
  /**
   * True for what grid workers find on patrol (巡查发现, Nanjing's 大联勤 信息采集): only a grid worker (a handler of a
   * grid) files such a request, from their own grid (`place.gridId`); intake refuses anyone else.
   */
  readonly patrol?: boolean;
}

/** A versioned routing catalogue. */
export interface RoutingCatalogue {
  /** Stable ASCII id, e.g. `demo`. */
  readonly id: string;
  /** Version label of this catalogue, pinned by each case that used it. */
  readonly version: string;
  /** Human name (Chinese allowed). */
  readonly name: string;
  readonly categories: readonly RoutingCategory[];
  /** Limits by request kind for every category (a category's own `kindDeadlines` win over them). */
  readonly kindDeadlines?: KindDeadlines;
}

/** Codes of {@link RoutingError}. */
export type RoutingErrorCode =
  /** The category id is not in the catalogue. */
  | 'unknown-category'
  /** The request kind is not one the category accepts. */
  | 'kind-not-applicable'
  /** A locality-handled category needs a place that resolves at least to a district. */
  | 'place-required'
  /** The catalogue fails validation; `problems` lists every defect found. */
  | 'invalid-catalogue';

/** Error thrown by routing functions; `code` is stable and machine-readable. */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';

  constructor(
    readonly code: RoutingErrorCode,
    message: string,
    /** For `invalid-catalogue`: every problem found, one sentence each. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}
