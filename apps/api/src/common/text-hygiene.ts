import type { ArgumentMetadata } from '@nestjs/common';
import { TEXT_CHARACTERS_RULE, textProblemsIn } from '../../../../libs/domain/src/case/text';
import type { FieldProblem } from './api-error';

/*
 * Checks of the raw request, before class-transformer and class-validator see it: text PostgreSQL and JSON cannot
 * hold (libs/domain's textProblem), and nesting deeper than any request of this API needs. Run by the global
 * validation pipe on every body, query and path parameter, so no route can forget them.
 */

/** The largest JSON body the API reads (bytes); a larger one is refused 413 before any route sees it. */
export const MAX_BODY_BYTES = 100 * 1024;

/** How deeply a body or query may nest objects and arrays; no request of the API needs more than a few levels. */
export const MAX_NESTING = 32;
/** The rule a too deeply nested body or query breaks. */
export const NESTING_RULE = 'nesting';

/**
 * The problems of one raw argument (`body`, `query` or a path `param`): a `nesting` problem when it nests deeper
 * than {@link MAX_NESTING}, else one `text-characters` problem per string (or key) holding NUL or a lone surrogate,
 * named by its path (`citizen.name`, `departmentIds[1]`; a path parameter by its name). Other arguments: none.
 */
export function rawInputProblems(value: unknown, metadata: Pick<ArgumentMetadata, 'type' | 'data'>): FieldProblem[] {
  if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return [];
  // `@Param('caseNo')` sees the string itself; `@Body()`/`@Query()` the whole object, `@Body('x')` one field.
  const prefix = metadata.data ?? '';
  if (exceedsDepth(value, MAX_NESTING)) {
    return [
      {
        field: prefix || metadata.type,
        rule: NESTING_RULE,
        message: `${prefix || `the ${metadata.type}`} nests objects and arrays deeper than ${MAX_NESTING} levels`,
      },
    ];
  }
  return textProblemsIn(value, MAX_NESTING + 1).map(({ path, message }) => {
    const field = joinPath(prefix, path) || metadata.type;
    return { field, rule: TEXT_CHARACTERS_RULE, message: `${field} ${message}; PostgreSQL cannot store it` };
  });
}

function joinPath(prefix: string, path: string): string {
  if (!prefix || !path) return prefix || path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** True when `value` nests objects/arrays more than `limit` levels; never looks deeper than `limit + 1`. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => exceedsDepth(child, limit - 1));
}
