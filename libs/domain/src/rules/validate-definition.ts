import { Duration, parseDuration } from '../calendar/duration';
import { URGENCIES } from '../case/case.types';
import type { OrgTree, OrgUnit, OrgUnitKind } from '../org/org.types';
import { FUNCTION_BODY_KINDS } from '../org/org-tree';
import { handlerFunction, LOCALITY_HANDLER } from '../routing/routing.types';
import { COMMITTEE_LEVELS, ProcessDefinition, RUNG_COORDINATOR_KEYS } from './process-definition';
import { PROCESS_DEFINITION_SCHEMA } from './process-definition.schema';
import { checkSchema, DefinitionError, pointer } from './schema-check';

export type { DefinitionError } from './schema-check';

/** What a definition is validated against. */
export interface DefinitionContext {
  /** The org tree its units must exist in. */
  readonly tree: OrgTree;
  /** Calendar ids the platform has; when given, `calendarId` must be one of them. */
  readonly calendarIds?: readonly string[];
}

/** The outcome of {@link validateDefinition}: the definition, or every error found. */
export type DefinitionValidation =
  | { readonly ok: true; readonly definition: ProcessDefinition }
  | { readonly ok: false; readonly errors: DefinitionError[] };

/**
 * Validates a process definition document and collects every error at once, each with its JSON Pointer, a rule code
 * and a plain message. First the schema (`PROCESS_DEFINITION_SCHEMA`: types, required fields, enums, bounds, unknown
 * fields, durations the calendar reads), then what a schema cannot say:
 *
 * - `jurisdiction` names the tree's city (and one of its districts); `calendarId` is known (when the context lists
 *   calendars);
 * - category, grade, rung and suspension-reason ids are unique; a handler or co-unit is `locality` or a department of
 *   the tree (and not another district's, under a district jurisdiction); a co-unit does not repeat the handler; a
 *   knowledge answer needs consultations; a sign or contact limit cannot end after the handling limit
 *   (`limit-after-handle`);
 * - the ladder is one chain that ends: next rungs exist, no loop, no branch, every rung on the chain, a deadline on
 *   every rung but the final one, committees climbing community → street → district, exactly one coordinator each;
 * - whistle grades use allowed triggers and listed types, each whistler kind has one rule, only a community or village whistle is
 *   answered by its street, a veto or a double assessment needs ratings;
 * - repeat thresholds rise; score weights sum to 100; a double-assessment weight needs the double assessment, a
 *   veto needs that weight; the intake exclusions (`inadmissible`, `answered-at-intake`) are listed; a suspension
 *   allowed needs reasons; the org tree has an office of the accountability `target`.
 *
 * Semantic checks skip values the schema already refused, so one mistake gives one error. Errors come in that order:
 * schema errors in document order, then semantic ones by section. Pure: no I/O.
 *
 * @returns `{ ok: true, definition }` with a deeply frozen copy, or `{ ok: false, errors }` (never empty).
 */
export function validateDefinition(doc: unknown, context: DefinitionContext): DefinitionValidation {
  const errors: DefinitionError[] = [];
  checkSchema(doc, PROCESS_DEFINITION_SCHEMA, PROCESS_DEFINITION_SCHEMA, '', errors);
  if (isRecord(doc)) new SemanticCheck(context, errors).run(doc);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, definition: deepFreeze(JSON.parse(JSON.stringify(doc)) as ProcessDefinition) };
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** A non-blank string, or undefined (the schema reports the rest). */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function durationOf(value: unknown): Duration | undefined {
  if (typeof value !== 'string' || value !== value.trim()) return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Office time of a working day, and its closing time, on the default calendar (09:00–12:00, 13:30–18:00). */
const OFFICE_DAY_MS = 7.5 * HOUR_MS;
const CLOSE_MS = 18 * HOUR_MS;

/**
 * Whether a limit `a` can end after a limit `b` started at the same instant, on some start instant. Working time can
 * stretch over a weekend or a holiday, so working time against natural time always can. Natural time against `N WD`
 * compares with the shortest `N WD` can be, `N × 24 h − 6 h` (a start just before midnight, a close at 18:00), and
 * working hours against working days with 7.5 office hours a day: the default calendar's figures.
 */
export function mayOutlast(a: Duration, b: Duration): boolean {
  if (a.kind === 'workingDays') {
    if (b.kind === 'workingDays') return a.days > b.days;
    if (b.kind === 'workingHours') return (a.days + 1) * OFFICE_DAY_MS > b.ms; // plus the rest of the arrival day
    return true;
  }
  if (a.kind === 'workingHours') {
    if (b.kind === 'workingDays') return a.ms > b.days * OFFICE_DAY_MS;
    return b.kind === 'workingHours' ? a.ms > b.ms : true;
  }
  if (b.kind === 'workingDays') return a.ms > b.days * DAY_MS - (DAY_MS - CLOSE_MS);
  return a.ms > b.ms;
}

/** Kinds of unit that may be a ladder rung's body by id: the root, the service centre, a district, an office, a committee. */
const COORDINATOR_KINDS: readonly OrgUnitKind[] = [
  'city',
  'county',
  'service-centre',
  'district',
  'committee',
  'office',
];

/** The function slug of an office unit (`government-office`, …); undefined for any other unit. */
const officeFunction = (unit: OrgUnit): string | undefined => (unit.kind === 'office' ? unit.function : undefined);

class SemanticCheck {
  private districtId: string | undefined;

  constructor(
    private readonly context: DefinitionContext,
    private readonly errors: DefinitionError[],
  ) {}

  run(doc: Json): void {
    this.jurisdiction(field(doc, 'jurisdiction'));
    const calendarId = text(doc.calendarId);
    if (calendarId && this.context.calendarIds && !this.context.calendarIds.includes(calendarId)) {
      this.fail(
        '/calendarId',
        'unknown-calendar',
        `no calendar '${calendarId}' (known: ${this.context.calendarIds.join(', ')})`,
      );
    }
    this.routing(field(doc, 'routing'));
    this.lifecycle(field(doc, 'lifecycle'));
    this.whistle(field(doc, 'whistle'));
    this.intake(field(doc, 'intake'));
    this.scoring(doc);
  }

  private fail(path: string, rule: string, message: string): void {
    this.errors.push({ path, rule, message });
  }

  private jurisdiction(jurisdiction: unknown): void {
    const tree = this.context.tree;
    const cityId = text(field(jurisdiction, 'cityId'));
    const city = cityId === undefined ? undefined : tree.byId.get(cityId);
    if (cityId !== undefined && !city) {
      this.fail('/jurisdiction/cityId', 'unknown-unit', `no unit '${cityId}' in the org tree`);
    } else if (city && city.id !== tree.rootId) {
      this.fail('/jurisdiction/cityId', 'wrong-kind', `'${cityId}' is a ${city.kind}, not the root (city or county)`);
    }
    const districtId = text(field(jurisdiction, 'districtId'));
    const district = districtId === undefined ? undefined : tree.byId.get(districtId);
    if (districtId !== undefined && !district) {
      this.fail('/jurisdiction/districtId', 'unknown-unit', `no unit '${districtId}' in the org tree`);
    } else if (district && district.kind !== 'district') {
      this.fail('/jurisdiction/districtId', 'wrong-kind', `'${districtId}' is a ${district.kind}, not a district`);
    } else {
      this.districtId = districtId;
    }
  }

  private routing(routing: unknown): void {
    const categories = list(field(routing, 'categories'));
    this.uniqueIds(categories, '/routing/categories', 'category');
    categories.forEach((category, index) => {
      const path = pointer('/routing/categories', index);
      const handler = text(field(category, 'handler'));
      if (handler !== undefined) this.routeUnit(handler, pointer(path, 'handler'));
      list(field(category, 'coUnits')).forEach((ref, unitIndex) => {
        const unitPath = pointer(pointer(path, 'coUnits'), unitIndex);
        if (text(ref) === undefined) return;
        if (ref === handler) this.fail(unitPath, 'duplicate-unit', `co-unit '${handler}' is also the handler`);
        else this.routeUnit(ref as string, unitPath);
      });
      const kinds = field(category, 'kinds');
      if (field(category, 'knowledgeAnswer') !== undefined && Array.isArray(kinds) && !kinds.includes('consultation')) {
        this.fail(
          pointer(path, 'knowledgeAnswer'),
          'knowledge-answer-without-consultation',
          'a knowledge answer is given to consultations, but the category does not accept them',
        );
      }
      for (const urgency of URGENCIES) {
        const set = field(field(category, 'deadlines'), urgency);
        const handle = durationOf(field(set, 'handle'));
        if (!handle) continue;
        for (const limit of ['sign', 'contact'] as const) {
          const value = durationOf(field(set, limit));
          if (value && mayOutlast(value, handle)) {
            this.fail(
              pointer(pointer(pointer(path, 'deadlines'), urgency), limit),
              'limit-after-handle',
              `the ${urgency} ${limit} limit ${String(field(set, limit))} can end after the handle limit ` +
                `${String(field(set, 'handle'))} for some arrival times (e.g. a Friday evening)`,
            );
          }
        }
      }
    });
  }

  /**
   * A catalogue unit reference: `locality`, a department of the tree (of the jurisdiction's district), or
   * `function:<slug>` naming a function some office or volunteer group of the tree has.
   */
  private routeUnit(ref: string, path: string): void {
    if (ref === LOCALITY_HANDLER) return;
    const fn = handlerFunction(ref);
    if (fn !== undefined) {
      const bodies = this.context.tree.units.filter((unit) => FUNCTION_BODY_KINDS.includes(unit.kind));
      if (!bodies.some((unit) => unit.function === fn)) {
        this.fail(path, 'unknown-function', `no office or volunteer group of the org tree has the function '${fn}'`);
      }
      return;
    }
    const unit = this.context.tree.byId.get(ref);
    if (!unit) {
      this.fail(path, 'unknown-unit', `no unit '${ref}' in the org tree (use '${LOCALITY_HANDLER}' or a department)`);
    } else if (unit.kind !== 'department') {
      this.fail(path, 'not-a-department', `'${ref}' is a ${unit.kind}; use '${LOCALITY_HANDLER}' or a department`);
    } else if (this.districtId && unit.parentId !== this.districtId && this.isDistrict(unit.parentId)) {
      this.fail(
        path,
        'outside-jurisdiction',
        `'${ref}' belongs to district '${unit.parentId}', not '${this.districtId}'`,
      );
    }
  }

  private isDistrict(id: string | null): boolean {
    return id !== null && this.context.tree.byId.get(id)?.kind === 'district';
  }

  private lifecycle(lifecycle: unknown): void {
    const suspension = field(lifecycle, 'suspension');
    const reasons = field(suspension, 'reasons');
    this.uniqueIds(list(reasons), '/lifecycle/suspension/reasons', 'suspension reason');
    if (Array.isArray(reasons) && reasons.length === 0 && field(suspension, 'maxCount') !== 0) {
      this.fail(
        '/lifecycle/suspension/reasons',
        'suspension-reasons',
        'suspension is allowed (maxCount is not 0) but no reason is listed',
      );
    }
    // A case dissatisfied after its last re-handling goes to the office of this function: the tree must have one.
    const target = field(field(lifecycle, 'accountability'), 'target');
    if (typeof target === 'string' && !this.context.tree.units.some((unit) => officeFunction(unit) === target)) {
      this.fail(
        '/lifecycle/accountability/target',
        'accountability-target',
        `the org tree has no office of function '${target}' to take up accountability`,
      );
    }
    this.ladder(list(field(field(lifecycle, 'ladder'), 'rungs')));
  }

  private ladder(rungs: unknown[]): void {
    const base = '/lifecycle/ladder/rungs';
    const ids = this.uniqueIds(rungs, base, 'rung');
    const nextOf = new Map<number, number | undefined>();
    // A rung the schema refused, or a repeated id, leaves the chain ambiguous: its shape is not judged.
    let broken = ids.size !== rungs.length;
    rungs.forEach((rung, index) => {
      const path = pointer(base, index);
      if (!isRecord(rung) || typeof rung.id !== 'string') {
        broken = true;
        return;
      }
      const coordinator = field(rung, 'coordinator');
      if (isRecord(coordinator)) this.rungBody(coordinator, pointer(path, 'coordinator'));
      const next = field(rung, 'next');
      const hasDeadline = field(rung, 'deadline') !== undefined;
      if (next === undefined) {
        if (hasDeadline) {
          this.fail(
            pointer(path, 'deadline'),
            'final-deadline',
            'the final rung has nothing to climb to: drop its deadline',
          );
        }
        nextOf.set(index, undefined);
        return;
      }
      if (!hasDeadline) {
        this.fail(
          pointer(path, 'deadline'),
          'deadline-required',
          `rung leads to '${String(next)}' and needs a deadline`,
        );
      }
      if (typeof next !== 'string') {
        broken = true;
        return;
      }
      const target = ids.get(next);
      if (target === undefined) {
        this.fail(pointer(path, 'next'), 'unknown-rung', `no rung '${next}' on the ladder`);
        broken = true;
        return;
      }
      nextOf.set(index, target);
    });
    const shape = broken || nextOf.size === 0 ? 'unjudged' : this.ladderShape(rungs, nextOf);
    if (shape === 'chain') this.ladderOrder(rungs, nextOf);
    const final = rungs.some((rung) => isRecord(rung) && rung.next === undefined);
    if (rungs.length > 0 && !final && shape !== 'loop') {
      this.fail(base, 'ladder-no-end', 'no rung is final (without next): the ladder never ends');
    }
  }

  /** A rung's body: exactly one way to find it, and one the org tree can give. */
  private rungBody(coordinator: Json, path: string): void {
    const tree = this.context.tree;
    const named = RUNG_COORDINATOR_KEYS.filter((key) => coordinator[key] !== undefined);
    if (named.length !== 1) {
      this.fail(path, 'coordinator', `name exactly one of ${RUNG_COORDINATOR_KEYS.join(', ')}`);
      return;
    }
    if (coordinator.serviceCentre === false) {
      this.fail(pointer(path, 'serviceCentre'), 'coordinator', 'serviceCentre is true or absent');
    }
    const unitId = text(coordinator.unitId);
    const unit = unitId === undefined ? undefined : tree.byId.get(unitId);
    if (unitId !== undefined && !unit) {
      this.fail(pointer(path, 'unitId'), 'unknown-unit', `no unit '${unitId}' in the org tree`);
    } else if (unit && !COORDINATOR_KINDS.includes(unit.kind)) {
      this.fail(
        pointer(path, 'unitId'),
        'wrong-kind',
        `'${unitId}' is a ${unit.kind}; a rung is coordinated by the city, the service centre, a district, an ` +
          'office or a committee',
      );
    }
    const office = text(coordinator.office);
    if (office !== undefined && !tree.units.some((candidate) => officeFunction(candidate) === office)) {
      this.fail(pointer(path, 'office'), 'unknown-office', `the org tree has no office of function '${office}'`);
    }
    const committee = text(coordinator.committee);
    if (committee !== undefined && !tree.units.some((candidate) => candidate.level === committee)) {
      this.fail(pointer(path, 'committee'), 'unknown-committee', `the org tree has no ${committee} committee`);
    }
  }

  /** Branches, loops and rungs off the chain: `chain` when the ladder is one clean chain, `loop` when it loops. */
  private ladderShape(rungs: unknown[], nextOf: Map<number, number | undefined>): 'chain' | 'loop' | 'other' {
    const base = '/lifecycle/ladder/rungs';
    const name = (index: number): string => String(field(rungs[index], 'id'));
    let clean = true;
    const predecessor = new Map<number, number>();
    for (const [index, target] of nextOf) {
      if (target === undefined || target === index) continue; // a rung leading to itself is a loop, not a branch
      const other = predecessor.get(target);
      if (other !== undefined) {
        this.fail(
          pointer(pointer(base, index), 'next'),
          'ladder-branch',
          `rungs '${name(other)}' and '${name(index)}' both lead to '${name(target)}': a ladder is one chain`,
        );
        clean = false;
      } else predecessor.set(target, index);
    }
    let loop = false;
    const state = new Map<number, 'visiting' | 'done'>();
    for (const start of nextOf.keys()) {
      const walk: number[] = [];
      let at: number | undefined = start;
      while (at !== undefined && !state.has(at)) {
        state.set(at, 'visiting');
        walk.push(at);
        at = nextOf.get(at);
      }
      if (at !== undefined && state.get(at) === 'visiting') {
        const cycle = [...walk.slice(walk.indexOf(at)), at].map(name).join(' → ');
        const last = walk[walk.length - 1];
        this.fail(pointer(pointer(base, last), 'next'), 'ladder-cycle', `the ladder loops (${cycle}) and never ends`);
        loop = true;
      }
      for (const index of walk) state.set(index, 'done');
    }
    if (loop) return 'loop';
    const first = [...nextOf.keys()].find((index) => !predecessor.has(index));
    if (!clean || first === undefined) return 'other';
    const chain = new Set<number>();
    for (let at: number | undefined = first; at !== undefined; at = nextOf.get(at)) chain.add(at);
    for (const index of nextOf.keys()) {
      if (chain.has(index)) continue;
      this.fail(
        pointer(base, index),
        'ladder-unreachable',
        `rung '${name(index)}' is not on the chain from the first rung '${name(first)}'`,
      );
      clean = false;
    }
    return clean ? 'chain' : 'other';
  }

  /** Committee rungs climb community → street → district, each at most once. */
  private ladderOrder(rungs: unknown[], nextOf: Map<number, number | undefined>): void {
    const targets = new Set(nextOf.values());
    let rank = -1;
    let previous = '';
    for (let at = [...nextOf.keys()].find((index) => !targets.has(index)); at !== undefined; at = nextOf.get(at)) {
      const committee = field(field(rungs[at], 'coordinator'), 'committee');
      const level = COMMITTEE_LEVELS.indexOf(committee as (typeof COMMITTEE_LEVELS)[number]);
      if (level < 0) continue;
      if (level <= rank) {
        this.fail(
          pointer(pointer(pointer('/lifecycle/ladder/rungs', at), 'coordinator'), 'committee'),
          'ladder-order',
          `the ${String(committee)} committee comes after the ${previous} committee; committees climb ` +
            `${COMMITTEE_LEVELS.join(' → ')}, each once`,
        );
      }
      rank = Math.max(rank, level);
      previous = String(committee);
    }
  }

  private whistle(whistle: unknown): void {
    const allowed = field(whistle, 'triggers');
    const grades = list(field(whistle, 'grades'));
    this.uniqueIds(grades, '/whistle/grades', 'grade');
    grades.forEach((grade, index) => {
      if (!Array.isArray(allowed)) return;
      list(field(grade, 'triggers')).forEach((trigger, triggerIndex) => {
        if (typeof trigger === 'string' && !allowed.includes(trigger)) {
          this.fail(
            pointer(pointer(pointer('/whistle/grades', index), 'triggers'), triggerIndex),
            'unknown-trigger',
            `trigger '${trigger}' is not among the whistle's triggers (${allowed.join(', ')})`,
          );
        }
      });
    });
    const types = field(whistle, 'types');
    const listedTypes: unknown[] = Array.isArray(types) ? types : [];
    grades.forEach((grade, index) => {
      list(field(grade, 'types')).forEach((type, typeIndex) => {
        if (typeof type === 'string' && !listedTypes.includes(type)) {
          this.fail(
            pointer(pointer(pointer('/whistle/grades', index), 'types'), typeIndex),
            'unknown-whistle-type',
            `whistle type '${type}' is not among the whistle's types (${listedTypes.join(', ') || 'none listed'})`,
          );
        }
      });
    });
    const kinds = new Set<unknown>();
    list(field(whistle, 'whistlers')).forEach((rule, index) => {
      const path = pointer('/whistle/whistlers', index);
      const kind = field(rule, 'kind');
      if (typeof kind === 'string' && kinds.has(kind)) {
        this.fail(pointer(path, 'kind'), 'duplicate-kind', `'${kind}' already has a whistler rule`);
      }
      kinds.add(kind);
      if (field(rule, 'answeredBy') === 'street' && kind !== 'community' && kind !== 'village') {
        this.fail(
          pointer(path, 'answeredBy'),
          'answered-by',
          `only a community or village whistle is answered by its street; a ${String(kind)} whistle summons departments`,
        );
      }
    });
    const rating = field(whistle, 'rating');
    if (field(rating, 'veto') === true && field(rating, 'required') === false) {
      this.fail('/whistle/rating/veto', 'veto-without-rating', 'a veto needs the whistler to rate (rating.required)');
    }
  }

  private intake(intake: unknown): void {
    const repeat = field(intake, 'repeat');
    const steps = (['elevatedAt', 'highAt', 'supervisionAt'] as const).map(
      (key) => [key, num(field(repeat, key))] as const,
    );
    for (let index = 1; index < steps.length; index += 1) {
      const [lowerKey, lower] = steps[index - 1];
      const [key, value] = steps[index];
      if (lower !== undefined && value !== undefined && value < lower) {
        this.fail(`/intake/repeat/${key}`, 'repeat-order', `${key} (${value}) must be at least ${lowerKey} (${lower})`);
      }
    }
  }

  private scoring(doc: Json): void {
    const scoring = field(doc, 'scoring');
    const weights = field(scoring, 'weights');
    const parts = (['response', 'resolution', 'satisfaction'] as const).map((key) => [key, num(field(weights, key))]);
    if (parts.every(([, value]) => value !== undefined)) {
      const sum = parts.reduce((total, [, value]) => total + (value as number), 0);
      if (Math.abs(sum - 100) > 1e-9) {
        const terms = parts.map(([key, value]) => `${key} ${String(value)}`).join(' + ');
        this.fail('/scoring/weights', 'weights-sum', `weights must sum to 100; ${terms} = ${sum}`);
      }
    }
    if (
      field(scoring, 'doubleAssessment') === true &&
      field(field(field(doc, 'whistle'), 'rating'), 'required') === false
    ) {
      this.fail(
        '/scoring/doubleAssessment',
        'double-assessment-without-rating',
        "the double assessment publishes the whistlers' ratings, but whistle.rating.required is false",
      );
    }
    // The double assessment's weight and the veto must do something: a weight counts only a published assessment,
    // and a veto zeroes the weighted part (docs/rules.md, "Scores").
    const weight = num(field(scoring, 'doubleAssessmentWeight'));
    if (weight !== undefined && weight > 0 && field(scoring, 'doubleAssessment') === false) {
      this.fail(
        '/scoring/doubleAssessmentWeight',
        'weight-without-double-assessment',
        'a double-assessment weight counts the published ratings, but scoring.doubleAssessment is false',
      );
    }
    const rating = field(field(doc, 'whistle'), 'rating');
    if (field(rating, 'veto') === true && field(rating, 'required') === true && !(weight !== undefined && weight > 0)) {
      this.fail(
        '/whistle/rating/veto',
        'veto-without-weight',
        "a veto zeroes the double assessment's part of a department's score: set scoring.doubleAssessmentWeight > 0",
      );
    }
    // Cases closed at intake are never dispatched: no unit answers for them, so no rate can count them.
    const exclusions = field(scoring, 'exclusions');
    if (Array.isArray(exclusions)) {
      for (const always of ['inadmissible', 'answered-at-intake']) {
        if (!exclusions.includes(always)) {
          this.fail(
            '/scoring/exclusions',
            'exclusion-always-applies',
            `'${always}' cases are closed at intake, never dispatched, and in no unit's rates: list the exclusion`,
          );
        }
      }
    }
  }

  /** Reports repeated `id`s of id'd items; returns the index of each id's first occurrence. */
  private uniqueIds(items: unknown[], path: string, what: string): Map<string, number> {
    const ids = new Map<string, number>();
    items.forEach((item, index) => {
      const id = field(item, 'id');
      if (typeof id !== 'string') return;
      if (ids.has(id))
        this.fail(pointer(pointer(path, index), 'id'), 'duplicate-id', `${what} id '${id}' is used twice`);
      else ids.set(id, index);
    });
    return ids;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
