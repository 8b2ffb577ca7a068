import { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox's due-date sort key, spelled exactly as apps/api/src/tasks/inbox-query.ts writes it. */
const DUE_KEY = `(COALESCE(due_at, 'infinity'::timestamptz))`;

/**
 * Indexes of the task inbox (apps/api/src/tasks/inbox-query.ts), sized by scripts/bench-inbox.ts over a million
 * rows. Every listing is one unit's tasks in keyset order, so each index leads with `unit_id` and ends with the
 * sort key and `id`; the open + claimed ones are partial (`status <> 'closed'`), a small slice of the table.
 * Replaces `tasks_inbox_idx`, whose `status` column sat before the due date and so could not give the default
 * open + claimed listing in due order.
 */
export class InboxIndexes1700000000007 implements MigrationInterface {
  name = 'InboxIndexes1700000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Open + claimed by due date: the default listing, its later pages, overdue and due-before filters.
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_due_idx ON tasks (unit_id, ${DUE_KEY}, id) WHERE status <> 'closed'`,
    );
    // Badge counts as index-only range counts; the repeated keys deduplicate to a few pages per unit.
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_counts_idx ON tasks (unit_id, status, overdue) WHERE status <> 'closed'`,
    );
    // Filtered by step: a step a unit rarely has would otherwise scan its whole inbox.
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_step_idx ON tasks (unit_id, step, ${DUE_KEY}, id) WHERE status <> 'closed'`,
    );
    // Newest or oldest first.
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_created_idx ON tasks (unit_id, created_at, id) WHERE status <> 'closed'`,
    );
    // Case-number prefix search inside a unit's inbox (text_pattern_ops: LIKE 'prefix%' under any collation).
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_case_no_idx ON tasks (unit_id, case_no text_pattern_ops) WHERE status <> 'closed'`,
    );
    // A unit's closed tasks (its history) by due date; open or claimed alone use the partial indexes above.
    await queryRunner.query(
      `CREATE INDEX tasks_closed_due_idx ON tasks (unit_id, ${DUE_KEY}, id) WHERE status = 'closed'`,
    );
    // Address search: which cases contain the text (trigrams index CJK text as well as Latin). pg_trgm is a
    // trusted extension: the database owner may create it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX cases_address_trgm_idx ON cases USING gin (address gin_trgm_ops)`);
    await queryRunner.query(`DROP INDEX tasks_inbox_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_idx ON tasks (unit_id, status, due_at, id) WHERE status <> 'closed'`,
    );
    // pg_trgm stays: other objects may have come to use it.
    for (const index of [
      'cases_address_trgm_idx',
      'tasks_closed_due_idx',
      'tasks_inbox_case_no_idx',
      'tasks_inbox_created_idx',
      'tasks_inbox_step_idx',
      'tasks_inbox_counts_idx',
      'tasks_inbox_due_idx',
    ]) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
  }
}
