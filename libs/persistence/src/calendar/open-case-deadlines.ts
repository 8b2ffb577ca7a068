import type { DataSource } from 'typeorm';
import type { CaseDeadlines } from '../../../domain/src/calendar/affected-deadlines';

/**
 * The running deadlines of every open case, as the case projection records them (`cases.deadlines`, by kind), in
 * case-number order. Suspended cases are left out: their clocks are stopped, and resuming lays what they still owe
 * on the calendar in force then.
 */
export async function openCaseDeadlines(dataSource: DataSource): Promise<CaseDeadlines[]> {
  const rows = (await dataSource.query(
    `SELECT case_no, deadlines FROM cases
     WHERE status <> 'closed' AND suspended_since IS NULL AND deadlines <> '{}'::jsonb
     ORDER BY case_no`,
  )) as { case_no: string; deadlines: Record<string, unknown> }[];
  return rows.map((row) => ({ caseNo: row.case_no, deadlines: row.deadlines }));
}
