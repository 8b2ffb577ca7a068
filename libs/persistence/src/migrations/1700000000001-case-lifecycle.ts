import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lifecycle columns on the case projection and the append-only table of domain events. */
export class CaseLifecycle1700000000001 implements MigrationInterface {
  name = 'CaseLifecycle1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE cases
        ADD COLUMN phase text,
        ADD COLUMN lead_unit_id text,
        ADD COLUMN co_unit_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN copy_unit_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN responsible_unit_id text,
        ADD COLUMN escalation_level text NOT NULL DEFAULT 'none'
          CHECK (escalation_level IN ('none', 'community', 'street', 'district', 'city')),
        ADD COLUMN supervision text NOT NULL DEFAULT 'none' CHECK (supervision IN ('none', 'posted')),
        ADD COLUMN overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN outcome text,
        ADD COLUMN deadlines jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN next_deadline timestamptz,
        ADD COLUMN dispatched_at timestamptz,
        ADD COLUMN signed_at timestamptz,
        ADD COLUMN contacted_at timestamptz,
        ADD COLUMN replied_at timestamptz,
        ADD COLUMN called_back_at timestamptz,
        ADD COLUMN closed_at timestamptz`);
    await queryRunner.query(`CREATE INDEX cases_responsible_idx ON cases (responsible_unit_id, phase)`);
    await queryRunner.query(`
      CREATE TABLE case_events (
        case_no text NOT NULL REFERENCES cases (case_no),
        seq integer NOT NULL CHECK (seq > 0),
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb,
        detail jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_no, seq)
      )`);
    // Domain events are facts: once written they never change.
    await queryRunner.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE case_events`);
    await queryRunner.query(`DROP FUNCTION case_events_append_only()`);
    await queryRunner.query(`DROP INDEX cases_responsible_idx`);
    for (const column of [
      'phase',
      'lead_unit_id',
      'co_unit_ids',
      'copy_unit_ids',
      'responsible_unit_id',
      'escalation_level',
      'supervision',
      'overdue',
      'outcome',
      'deadlines',
      'next_deadline',
      'dispatched_at',
      'signed_at',
      'contacted_at',
      'replied_at',
      'called_back_at',
      'closed_at',
    ]) {
      await queryRunner.query(`ALTER TABLE cases DROP COLUMN ${column}`);
    }
  }
}
