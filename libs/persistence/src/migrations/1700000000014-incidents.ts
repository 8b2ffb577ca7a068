import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents (Camunda's word): a step of a case that failed for a reason retries cannot fix — PostgreSQL refusing a
 * mirror write, for instance. The case goes on answering; the incident is listed for operators and admins, retried
 * after a fix, or resolved by an admin (audited). One row per case and failed step (`incident_key`); a step that
 * fails again raises the count.
 */
export class Incidents1700000000014 implements MigrationInterface {
  name = 'Incidents1700000000014';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incidents (
        id bigserial PRIMARY KEY,
        case_no text NOT NULL,
        workflow_id text NOT NULL,
        incident_key text NOT NULL,
        step text NOT NULL CHECK (btrim(step) <> ''),
        error_type text NOT NULL,
        message text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'retrying', 'resolved')),
        failures integer NOT NULL DEFAULT 1 CHECK (failures >= 1),
        raised_at timestamptz NOT NULL DEFAULT now(),
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by text,
        resolution text,
        UNIQUE (case_no, incident_key)
      )`);
    await queryRunner.query(`CREATE INDEX incidents_open ON incidents (raised_at) WHERE status <> 'resolved'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incidents`);
  }
}
