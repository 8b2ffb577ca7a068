import { parseDuration } from '../calendar/duration';
import { CASE_KINDS, CaseKind, URGENCIES, Urgency } from '../case/case.types';
import { FUNCTION_BODY_KINDS } from '../org/org-tree';
import { OrgTree } from '../org/org.types';
import {
  DeadlineSet,
  handlerFunction,
  KindDeadlines,
  LOCALITY_HANDLER,
  RoutingCatalogue,
  RoutingCategory,
  RoutingError,
} from './routing.types';

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Why `value` is not a duration the calendar reads, or `undefined` when it is one. */
function durationProblem(value: string): string | undefined {
  try {
    parseDuration(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Every problem of a catalogue, one sentence each (empty when valid): ids unique ASCII slugs; names non-empty; kinds
 * non-empty and known; urgency known; handler and co-units `locality`, a department of `tree` or `function:<slug>`
 * naming an office or volunteer group of `tree`; co-units not
 * repeating the handler or each other; a valid duration for each limit at each urgency; a knowledge answer only on a
 * category accepting consultations.
 */
export function validateRoutingCatalogue(catalogue: RoutingCatalogue, tree: OrgTree): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(catalogue.id)) problems.push(`catalogue id '${catalogue.id}' is not an ASCII slug`);
  if (catalogue.categories.length === 0) problems.push('the catalogue has no categories');
  const seen = new Set<string>();
  for (const category of catalogue.categories) {
    const at = `category '${category.id}'`;
    if (!ID_PATTERN.test(category.id)) problems.push(`${at}: id is not an ASCII slug`);
    if (seen.has(category.id)) problems.push(`${at}: id is used more than once`);
    seen.add(category.id);
    if (category.name.trim() === '') problems.push(`${at}: empty name`);
    if (category.kinds.length === 0) problems.push(`${at}: accepts no request kind`);
    for (const kind of category.kinds) {
      if (!(CASE_KINDS as readonly CaseKind[]).includes(kind)) problems.push(`${at}: unknown request kind '${kind}'`);
    }
    if (!(URGENCIES as readonly Urgency[]).includes(category.defaultUrgency)) {
      problems.push(`${at}: unknown default urgency '${category.defaultUrgency}'`);
    }
    const units = [category.handler, ...(category.coUnits ?? [])];
    if (new Set(units).size !== units.length) problems.push(`${at}: handler and co-units repeat a unit`);
    for (const ref of units) {
      const fn = handlerFunction(ref);
      if (fn !== undefined) {
        if (!tree.units.some((unit) => FUNCTION_BODY_KINDS.includes(unit.kind) && unit.function === fn)) {
          problems.push(`${at}: '${ref}' names no office or volunteer group of the org tree`);
        }
        continue;
      }
      const unit = tree.byId.get(ref);
      if (ref !== LOCALITY_HANDLER && unit?.kind !== 'department') {
        problems.push(`${at}: '${ref}' is neither '${LOCALITY_HANDLER}' nor a department of the org tree`);
      }
    }
    for (const urgency of URGENCIES) {
      const set: DeadlineSet | undefined = category.deadlines[urgency];
      if (!set) {
        problems.push(`${at}: no deadlines for urgency '${urgency}'`);
        continue;
      }
      for (const limit of ['sign', 'contact', 'handle'] as const) {
        const problem = durationProblem(set[limit]);
        if (problem) problems.push(`${at}: ${urgency} ${limit} limit '${set[limit]}' is not a duration: ${problem}`);
      }
    }
    problems.push(...kindDeadlineProblems(category.kindDeadlines, at, category.kinds));
    if (category.localityLevel !== undefined && !units.includes(LOCALITY_HANDLER)) {
      problems.push(`${at}: has a locality level but neither its handler nor a co-unit is '${LOCALITY_HANDLER}'`);
    }
    if (category.knowledgeAnswer !== undefined && !category.kinds.includes('consultation')) {
      problems.push(`${at}: has a knowledge answer but does not accept consultations`);
    }
  }
  const accepted = new Set(catalogue.categories.flatMap((category) => category.kinds));
  problems.push(...kindDeadlineProblems(catalogue.kindDeadlines, 'the catalogue', [...accepted]));
  return problems;
}

/**
 * Problems of limits by kind: known kinds and urgencies, valid durations, and no entry that can never apply (a kind
 * the category — or, for the catalogue, every category — does not accept).
 */
function kindDeadlineProblems(byKind: KindDeadlines | undefined, at: string, kinds: readonly CaseKind[]): string[] {
  const problems: string[] = [];
  for (const [kind, byUrgency] of Object.entries(byKind ?? {})) {
    if (!(CASE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${at}: kindDeadlines names unknown request kind '${kind}'`);
      continue;
    }
    if (!kinds.includes(kind as CaseKind)) {
      problems.push(`${at}: kindDeadlines for '${kind}' can never apply: no request of that kind is accepted there`);
    }
    for (const [urgency, set] of Object.entries(byUrgency ?? {})) {
      if (!(URGENCIES as readonly string[]).includes(urgency)) {
        problems.push(`${at}: kindDeadlines for '${kind}' names unknown urgency '${urgency}'`);
        continue;
      }
      for (const limit of ['sign', 'contact', 'handle'] as const) {
        const problem = set?.[limit] === undefined ? 'missing' : durationProblem(set[limit]);
        if (problem) problems.push(`${at}: ${kind} ${urgency} ${limit} limit is not a duration: ${problem}`);
      }
    }
  }
  return problems;
}

/**
 * Validates a catalogue against an org tree (see {@link validateRoutingCatalogue}) and returns it deeply frozen.
 *
 * @throws RoutingError `invalid-catalogue` listing every problem.
 */
export function buildRoutingCatalogue(catalogue: RoutingCatalogue, tree: OrgTree): RoutingCatalogue {
  const problems = validateRoutingCatalogue(catalogue, tree);
  if (problems.length > 0) {
    const message = `invalid routing catalogue '${catalogue.id}': ${problems.length} problem(s): ${problems[0]}`;
    throw new RoutingError('invalid-catalogue', message, problems);
  }
  return deepFreeze(jsonCopy(catalogue));
}

/**
 * The category with this id.
 *
 * @throws RoutingError `unknown-category`.
 */
export function getCategory(catalogue: RoutingCatalogue, category: string): RoutingCategory {
  const entry = catalogue.categories.find((candidate) => candidate.id === category);
  if (!entry) {
    throw new RoutingError(
      'unknown-category',
      `category '${category}' is not in routing catalogue '${catalogue.id}' (${catalogue.version})`,
    );
  }
  return entry;
}

/** A JSON copy: catalogues are JSON documents, so this drops nothing (and avoids the host's structuredClone). */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
