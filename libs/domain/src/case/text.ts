/*
 * Text that PostgreSQL and JSON can hold. PostgreSQL's `text` and `jsonb` refuse NUL (U+0000), and a lone UTF-16
 * surrogate (half of a pair, e.g. from a string cut in the middle of an emoji) has no UTF-8 encoding at all: either
 * makes the insert fail. The HTTP edge refuses such text with a 400 and the workflows' Update validators refuse it
 * too (an Update can come from any Temporal client), so no activity ever retries a write that cannot succeed.
 */

/** The rule name a refusal of such text carries (`{ field, rule: 'text-characters', message }` at the HTTP edge). */
export const TEXT_CHARACTERS_RULE = 'text-characters';

/** One problem of a string, or of a string inside a value: its JSON path (`''` for the value itself) and what is wrong. */
export interface TextProblem {
  /** Dotted path with `[i]` for array items, e.g. `citizen.name`, `departmentIds[1]`; `''` for the value itself. */
  path: string;
  message: string;
}

/**
 * What is wrong with `value` as stored text, or `undefined` when PostgreSQL and JSON can hold it: the first NUL
 * (U+0000) or lone surrogate (U+D800–U+DFFF not in a high-low pair), with its index (UTF-16 code units).
 * Every other character, controls and emoji included, is accepted.
 */
export function textProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return `contains NUL (U+0000) at index ${i}`;
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : -1;
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a well-formed pair: one astral character
      continue;
    }
    return `contains a lone UTF-16 surrogate (U+${unit.toString(16).toUpperCase()}) at index ${i}`;
  }
  return undefined;
}

/**
 * Every string in `value` (object keys included; arrays and plain objects walked, other values ignored) that
 * {@link textProblem} refuses, each with its path. Walks at most `maxDepth` levels (default 64): deeper parts are
 * not looked at, so a hostile value cannot exhaust the stack (the HTTP edge refuses such nesting before).
 */
export function textProblemsIn(value: unknown, maxDepth = 64): TextProblem[] {
  const problems: TextProblem[] = [];
  const walk = (item: unknown, path: string, depth: number): void => {
    if (typeof item === 'string') {
      const message = textProblem(item);
      if (message) problems.push({ path, message });
      return;
    }
    if (depth >= maxDepth || item === null || typeof item !== 'object') return;
    if (Array.isArray(item)) {
      item.forEach((child, i) => walk(child, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) problems.push({ path: childPath, message: `its name ${keyProblem}` });
      walk(child, childPath, depth + 1);
    }
  };
  walk(value, '', 0);
  return problems;
}
