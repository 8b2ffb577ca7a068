import { ProcessDefinition } from './process-definition';
import { pointer } from './schema-check';

/** What happened to one value between two versions. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One difference between two process definitions. */
export interface Change {
  /** JSON Pointer into the newer document, or into the older one for a removal, e.g. `/lifecycle/ladder/rungs/1/deadline`. */
  path: string;
  /**
   * The same place for people: items of id'd lists named by id, e.g. `lifecycle.ladder.rungs[street].deadline`, so a
   * label stays the same when items are reordered.
   */
  label: string;
  kind: ChangeKind;
  /** The older value (absent when added). */
  before?: unknown;
  /** The newer value (absent when removed). */
  after?: unknown;
}

/**
 * Keys that identify the items of a list, tried in order: categories, grades, rungs and suspension reasons have an
 * `id`, whistler rules a `kind`.
 */
const ITEM_KEYS = ['id', 'kind'] as const;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const has = (record: Json, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/**
 * The differences from `a` (older) to `b` (newer), in document order: objects field by field, lists of id'd items
 * (categories, grades, ladder rungs, suspension reasons, whistler rules by kind) matched by id, so a changed field of
 * one item is one `changed` change at that field; an item only in `b` is `added`, only in `a` `removed`; a new order
 * of the same items is one `changed` of the list with the ids before and after. Other lists (kinds, co-units,
 * triggers …) change as a whole. Equal documents give `[]`.
 */
export function diffDefinitions(a: ProcessDefinition, b: ProcessDefinition): Change[] {
  const changes: Change[] = [];
  diffValue(a, b, '', '', changes);
  return changes;
}

function diffValue(before: unknown, after: unknown, path: string, label: string, out: Change[]): void {
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(before)) {
      const childPath = pointer(path, key);
      const childLabel = label === '' ? key : `${label}.${key}`;
      if (!has(after, key)) out.push({ path: childPath, label: childLabel, kind: 'removed', before: before[key] });
      else diffValue(before[key], after[key], childPath, childLabel, out);
    }
    for (const key of Object.keys(after)) {
      if (has(before, key)) continue;
      out.push({
        path: pointer(path, key),
        label: label === '' ? key : `${label}.${key}`,
        kind: 'added',
        after: after[key],
      });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = itemKey(before, after);
    if (key) {
      diffItems(before as Json[], after as Json[], key, path, label, out);
      return;
    }
  }
  if (!jsonEqual(before, after)) out.push({ path, label, kind: 'changed', before, after });
}

/** The key every item of both lists has, unique within each list; undefined for other lists. */
function itemKey(before: unknown[], after: unknown[]): (typeof ITEM_KEYS)[number] | undefined {
  return ITEM_KEYS.find((key) =>
    [before, after].every((items) => {
      const ids = items.map((item) => (isRecord(item) ? item[key] : undefined));
      return ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length;
    }),
  );
}

function diffItems(before: Json[], after: Json[], key: string, path: string, label: string, out: Change[]): void {
  const idOf = (item: Json): string => item[key] as string;
  const afterIds = after.map(idOf);
  const beforeIds = before.map(idOf);
  before.forEach((item, index) => {
    if (!afterIds.includes(idOf(item))) {
      out.push({ path: pointer(path, index), label: `${label}[${idOf(item)}]`, kind: 'removed', before: item });
    }
  });
  after.forEach((item, index) => {
    const itemLabel = `${label}[${idOf(item)}]`;
    const old = before.find((candidate) => idOf(candidate) === idOf(item));
    if (old) diffValue(old, item, pointer(path, index), itemLabel, out);
    else out.push({ path: pointer(path, index), label: itemLabel, kind: 'added', after: item });
  });
  const kept = beforeIds.filter((id) => afterIds.includes(id));
  const keptAfter = afterIds.filter((id) => beforeIds.includes(id));
  if (!jsonEqual(kept, keptAfter)) {
    out.push({ path, label: `${label} (order)`, kind: 'changed', before: kept, after: keptAfter });
  }
}

/** Deep equality of JSON values (key order of objects ignored). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => has(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** Longest value shown on a line before it is cut with `…`. */
const MAX_VALUE_LENGTH = 80;

const showValue = (value: unknown): string => {
  const json = JSON.stringify(value);
  return json.length > MAX_VALUE_LENGTH ? `${json.slice(0, MAX_VALUE_LENGTH - 1)}…` : json;
};

/**
 * The changes as text, one line per change: `~ label: before → after`, `+ label: after`, `- label: before`, values
 * as JSON (long ones cut at 80 characters). No changes give `''`.
 *
 * @example `~ lifecycle.ladder.rungs[street].deadline: "5WD" → "3WD"`
 */
export function formatDiff(changes: readonly Change[]): string {
  return changes
    .map((change) => {
      switch (change.kind) {
        case 'changed':
          return `~ ${change.label}: ${showValue(change.before)} → ${showValue(change.after)}`;
        case 'added':
          return `+ ${change.label}: ${showValue(change.after)}`;
        case 'removed':
          return `- ${change.label}: ${showValue(change.before)}`;
      }
    })
    .join('\n');
}
