import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who did what, when, why, to which subject, with before → after; append-only and hash-chained (see
 * `libs/persistence/src/audit/`), kept for years after Temporal has deleted a closed case's history.
 *
 * - A trigger refuses UPDATE, DELETE and TRUNCATE for every role, superusers included, and is `ENABLE ALWAYS`, so
 *   `session_replication_role = replica` does not switch it off either. UPDATE, DELETE and TRUNCATE are also revoked
 *   from PUBLIC and from the role running the migration. The table's owner (or a superuser) can still disable the
 *   trigger (`ALTER TABLE … DISABLE TRIGGER`) and grant itself the rights back: production should run the API and the
 *   worker as a role that does not own the table (docs/auditors.md). The hash chains are what detects such a change.
 * - `audit_chain_head` is the one row every append locks (serialising appends so the chains never fork) and moves
 *   forward to the newest row; a trigger lets it only move forward, to a row that exists with that hash, so rows
 *   cut from the end of the log show up in verification.
 * - `case_events.update_id`: the Temporal Update that caused an event (events carry it since the case workflow sets
 *   `updateId`), linking the domain event to its history event.
 */
export class AuditLog1700000000010 implements MigrationInterface {
  name = 'AuditLog1700000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE case_events ADD COLUMN update_id text`);
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object' AND actor ? 'userId' AND actor ? 'role'),
        action text NOT NULL CHECK (btrim(action) <> ''),
        subject_kind text NOT NULL CHECK (btrim(subject_kind) <> ''),
        subject_id text NOT NULL CHECK (btrim(subject_id) <> ''),
        -- No foreign key: the log outlives the rows it talks about, and may name subjects of any kind.
        case_no text,
        case_seq integer CHECK (case_seq > 0),
        before jsonb CHECK (before IS NULL OR jsonb_typeof(before) = 'object'),
        after jsonb CHECK (after IS NULL OR jsonb_typeof(after) = 'object'),
        reason text,
        source text NOT NULL CHECK (source IN ('case-event', 'api')),
        -- The record an entry mirrors (<caseNo>/<stream>/<seq> for case events): a retried append adds nothing.
        event_ref text UNIQUE,
        update_id text,
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
        case_prev_hash text CHECK (case_prev_hash ~ '^[0-9a-f]{64}$'),
        case_hash text CHECK (case_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT audit_log_case_chain CHECK (
          (case_no IS NULL) = (case_seq IS NULL)
          AND (case_no IS NULL) = (case_prev_hash IS NULL)
          AND (case_no IS NULL) = (case_hash IS NULL)),
        UNIQUE (case_no, case_seq)
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await queryRunner.query(`CREATE INDEX audit_log_update_idx ON audit_log (update_id) WHERE update_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_log_subject_idx ON audit_log (subject_kind, subject_id, id)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Fires whatever session_replication_role says (a replica-mode session would skip an ordinary trigger).
    await queryRunner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only`);
    await queryRunner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate`);
    // Belt and braces: nobody is granted a change. The owner keeps the power to grant it back (see above).
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER`);

    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_id bigint NOT NULL,
        last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO audit_chain_head (last_id, last_hash) VALUES (0, repeat('0', 64))`);
    await queryRunner.query(`
      CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'audit_chain_head keeps its one row: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.last_id <= OLD.last_id
            OR NOT EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.last_id AND hash = NEW.last_hash) THEN
          RAISE EXCEPTION 'audit_chain_head moves only forward, to a row of audit_log with that hash'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_chain_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head
      FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard()`);
    await queryRunner.query(`ALTER TABLE audit_chain_head ENABLE ALWAYS TRIGGER audit_chain_head_guard`);
    await queryRunner.query(`ALTER TABLE audit_chain_head ENABLE ALWAYS TRIGGER audit_chain_head_no_truncate`);
    await queryRunner.query(`REVOKE INSERT, DELETE, TRUNCATE ON audit_chain_head FROM PUBLIC`);
    await queryRunner.query(`REVOKE INSERT, DELETE, TRUNCATE ON audit_chain_head FROM CURRENT_USER`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_chain_head`);
    await queryRunner.query(`DROP FUNCTION audit_chain_head_guard()`);
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`ALTER TABLE case_events DROP COLUMN update_id`);
  }
}
