import { effectOf, GovernanceEffect } from './triggers';

/** Runs one SQL statement with positional parameters (a TypeORM `DataSource.query` or `EntityManager.query`). */
export type SqlQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

/** Months before adoption the effect compares with, unless the caller asks for another window. */
export const DEFAULT_EFFECT_MONTHS = 3;

/**
 * Cases received of the scope's categories in its places, in `[beforeFrom, adoptedAt)` and `[adoptedAt, asOf)`. A
 * place is a street/township (a case's `street_id`) or a district (its `district_id`). Every case counts, duplicates
 * included: the effect measures demand, as hotspots do.
 */
export const EFFECT_SQL = `
  SELECT category,
         CASE WHEN street_id = ANY($2::text[]) THEN street_id ELSE district_id END AS place,
         count(*) FILTER (WHERE received_at < $4)::int AS before,
         count(*) FILTER (WHERE received_at >= $4)::int AS since
    FROM cases
   WHERE category = ANY($1::text[])
     AND (street_id = ANY($2::text[]) OR district_id = ANY($2::text[]))
     AND received_at >= $3 AND received_at < $5
   GROUP BY 1, 2`;

/** `instant` moved back `months` calendar months (UTC fields; the window is a count, not a calendar figure). */
export function monthsBefore(instant: Date, months: number): Date {
  const moved = new Date(instant.getTime());
  moved.setUTCMonth(moved.getUTCMonth() - months);
  return moved;
}

/**
 * The effect of an item: case counts per category × place in the `months` before `adoptedAt` and since, as of
 * `asOf`. Nothing but the query is I/O: the caller passes its database's.
 */
export async function measureEffect(
  query: SqlQuery,
  scope: { categories: readonly string[]; places: readonly string[] },
  window: { adoptedAt: Date; months: number; asOf: Date },
): Promise<GovernanceEffect> {
  const beforeFrom = monthsBefore(window.adoptedAt, window.months);
  const rows = (await query(EFFECT_SQL, [
    [...scope.categories],
    [...scope.places],
    beforeFrom,
    window.adoptedAt,
    window.asOf,
  ])) as Array<{ category: string; place: string; before: number; since: number }>;
  return effectOf(scope, rows, {
    adoptedAt: window.adoptedAt.toISOString(),
    months: window.months,
    beforeFrom: beforeFrom.toISOString(),
    asOf: window.asOf.toISOString(),
  });
}
