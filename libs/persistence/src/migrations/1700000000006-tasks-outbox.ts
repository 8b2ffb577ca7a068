import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task inbox (one row per human step a case has open, written by the case's activities) and the notification
 * outbox (assigned, reminder, overdue, escalated, returned, whistled; delivered at least once).
 */
export class TasksOutbox1700000000006 implements MigrationInterface {
  name = 'TasksOutbox1700000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- One row per (case, step, unit, round): the activity upserts by this key, so a retry writes nothing twice.
        task_key text NOT NULL UNIQUE,
        case_no text NOT NULL REFERENCES cases (case_no),
        step text NOT NULL,
        unit_id text NOT NULL,
        candidate_role text NOT NULL
          CHECK (candidate_role IN ('operator', 'handler', 'coordinator', 'designer', 'auditor', 'admin')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'closed')),
        claimed_by text,
        claimed_at timestamptz,
        category text NOT NULL,
        escalation_level text NOT NULL DEFAULT 'none',
        created_at timestamptz NOT NULL,
        due_at timestamptz,
        reminder_at timestamptz,
        reminded boolean NOT NULL DEFAULT false,
        overdue boolean NOT NULL DEFAULT false,
        closed_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        CHECK (status <> 'claimed' OR claimed_by IS NOT NULL),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    // The inbox: a unit's open and claimed tasks by due date; badges count per status.
    await queryRunner.query(
      `CREATE INDEX tasks_inbox_idx ON tasks (unit_id, status, due_at, id) WHERE status <> 'closed'`,
    );
    await queryRunner.query(`CREATE INDEX tasks_case_idx ON tasks (case_no)`);
    await queryRunner.query(`CREATE INDEX tasks_claimed_idx ON tasks (claimed_by) WHERE status = 'claimed'`);
    // Every change of a task tells the listening APIs, which push an inbox event to that unit's open streams.
    await queryRunner.query(`
      CREATE FUNCTION tasks_notify_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('shaosheng_inbox', json_build_object(
          'unitId', NEW.unit_id, 'reason', 'tasks', 'caseNo', NEW.case_no, 'at', now())::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tasks_notify_inbox AFTER INSERT OR UPDATE ON tasks
      FOR EACH ROW EXECUTE FUNCTION tasks_notify_inbox()`);
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        -- The domain event it comes from: (case, stream, seq); a retried append enqueues nothing twice.
        event_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('assigned', 'reminder', 'overdue', 'escalated', 'returned', 'whistled')),
        case_no text NOT NULL REFERENCES cases (case_no),
        unit_id text,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        delivered_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
    await queryRunner.query(`DROP TABLE tasks`);
    await queryRunner.query(`DROP FUNCTION tasks_notify_inbox()`);
  }
}
