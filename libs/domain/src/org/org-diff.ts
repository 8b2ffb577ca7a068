import type { OrgUnit } from './org.types';

/** What changes from one list of units to another, matched by id. */
export interface OrgUnitDiff {
  /** Units only in the new list, in its order. */
  readonly added: readonly OrgUnit[];
  /** Units in both whose fields differ (name, kind, parent, centroid, boundary …), in the new list's order. */
  readonly changed: ReadonlyArray<{ readonly before: OrgUnit; readonly after: OrgUnit }>;
  /** Units only in the old list, in its order. */
  readonly removed: readonly OrgUnit[];
}

/**
 * The plain-data form of a unit for comparison: keys in a fixed order, absent and `undefined` fields left out, so
 * that a unit read back from a table or a JSON column equals the one written.
 */
export function canonicalOrgUnit(unit: OrgUnit): string {
  return canonicalJson(unit);
}

/** True when two units have the same fields (see {@link canonicalOrgUnit}). */
export function sameOrgUnit(a: OrgUnit, b: OrgUnit): boolean {
  return canonicalOrgUnit(a) === canonicalOrgUnit(b);
}

/** The units added, changed and removed from `before` to `after` (ids are unique in each list). */
export function diffOrgUnits(before: readonly OrgUnit[], after: readonly OrgUnit[]): OrgUnitDiff {
  const old = new Map(before.map((unit) => [unit.id, unit]));
  const next = new Set(after.map((unit) => unit.id));
  const added: OrgUnit[] = [];
  const changed: { before: OrgUnit; after: OrgUnit }[] = [];
  for (const unit of after) {
    const previous = old.get(unit.id);
    if (!previous) added.push(unit);
    else if (!sameOrgUnit(previous, unit)) changed.push({ before: previous, after: unit });
  }
  return { added, changed, removed: before.filter((unit) => !next.has(unit.id)) };
}

/** True when the diff changes nothing. */
export function isEmptyOrgDiff(diff: OrgUnitDiff): boolean {
  return diff.added.length === 0 && diff.changed.length === 0 && diff.removed.length === 0;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
