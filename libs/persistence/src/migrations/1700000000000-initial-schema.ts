import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cases projection, intake requests and the case number sequence. */
export class InitialSchema1700000000000 implements MigrationInterface {
  name = 'InitialSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE case_no_seq START 1`);
    await queryRunner.query(`
      CREATE TABLE intake_requests (
        idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        case_no text NOT NULL UNIQUE,
        request_hash text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('received', 'started')),
        received_at timestamptz NOT NULL,
        started_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX intake_requests_pending_idx ON intake_requests (received_at) WHERE status = 'received'`,
    );
    await queryRunner.query(`
      CREATE TABLE cases (
        case_no text PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('consultation', 'help', 'complaint', 'report', 'suggestion')),
        category text NOT NULL,
        urgency text NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'normal')),
        channel text NOT NULL,
        status text NOT NULL,
        stage text NOT NULL,
        description text NOT NULL,
        address text,
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        citizen_name text,
        citizen_phone text,
        grid_id text,
        community_id text,
        street_id text,
        district_id text,
        rules_version text NOT NULL,
        received_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX cases_status_idx ON cases (status, received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cases`);
    await queryRunner.query(`DROP TABLE intake_requests`);
    await queryRunner.query(`DROP SEQUENCE case_no_seq`);
  }
}
