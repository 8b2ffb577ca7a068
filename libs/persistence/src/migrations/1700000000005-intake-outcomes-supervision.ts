import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake outcomes, duplicates, suspension, supervision levels and whistle rounds on the case projection, and the
 * table of repeat contacts (a duplicate with no new facts opens no case, but what the citizen said is kept).
 */
export class IntakeOutcomesSupervision1700000000005 implements MigrationInterface {
  name = 'IntakeOutcomesSupervision1700000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_supervision_check`);
    await queryRunner.query(`
      ALTER TABLE cases
        ADD CONSTRAINT cases_supervision_check CHECK (supervision IN ('none', 'daily', 'posted', 'interview')),
        ADD COLUMN address_key text,
        ADD COLUMN repeat_count integer NOT NULL DEFAULT 0 CHECK (repeat_count >= 0),
        ADD COLUMN priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'elevated', 'high')),
        ADD COLUMN linked_case_no text REFERENCES cases (case_no),
        ADD COLUMN suspended_since timestamptz,
        ADD COLUMN whistle_rounds jsonb NOT NULL DEFAULT '[]'`);
    // Duplicate detection looks for open cases of one category by grid, address or a box around a point.
    await queryRunner.query(
      `CREATE INDEX cases_open_category_idx ON cases (category, grid_id) WHERE status <> 'closed'`,
    );
    await queryRunner.query(
      `CREATE INDEX cases_open_address_idx ON cases (category, address_key) WHERE status <> 'closed'`,
    );
    await queryRunner.query(
      `CREATE INDEX cases_open_point_idx ON cases (category, latitude, longitude) WHERE status <> 'closed'`,
    );
    await queryRunner.query(`
      CREATE TABLE repeat_contacts (
        idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        case_no text NOT NULL REFERENCES cases (case_no),
        request_hash text NOT NULL,
        payload jsonb NOT NULL,
        matched_by text NOT NULL CHECK (matched_by IN ('address', 'radius', 'grid')),
        distance_meters double precision,
        repeat_count integer NOT NULL CHECK (repeat_count > 0),
        received_at timestamptz NOT NULL,
        signalled_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX repeat_contacts_case_idx ON repeat_contacts (case_no, received_at)`);
    await queryRunner.query(
      `CREATE INDEX repeat_contacts_pending_idx ON repeat_contacts (received_at) WHERE signalled_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE repeat_contacts`);
    await queryRunner.query(`DROP INDEX cases_open_point_idx`);
    await queryRunner.query(`DROP INDEX cases_open_address_idx`);
    await queryRunner.query(`DROP INDEX cases_open_category_idx`);
    await queryRunner.query(`ALTER TABLE cases DROP CONSTRAINT cases_supervision_check`);
    await queryRunner.query(`UPDATE cases SET supervision = 'posted' WHERE supervision IN ('daily', 'interview')`);
    await queryRunner.query(`
      ALTER TABLE cases
        ADD CONSTRAINT cases_supervision_check CHECK (supervision IN ('none', 'posted')),
        DROP COLUMN address_key,
        DROP COLUMN repeat_count,
        DROP COLUMN priority,
        DROP COLUMN linked_case_no,
        DROP COLUMN suspended_since,
        DROP COLUMN whistle_rounds`);
  }
}
