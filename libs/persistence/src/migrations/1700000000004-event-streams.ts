import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Domain events of a case come from more than one workflow: the case itself (stream `case`) and each whistle round
 * (stream `whistle-<n>`). Each stream numbers its own events, so the key becomes (case_no, stream, seq).
 */
export class EventStreams1700000000004 implements MigrationInterface {
  name = 'EventStreams1700000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE case_events ADD COLUMN stream text NOT NULL DEFAULT 'case'`);
    await queryRunner.query(`ALTER TABLE case_events DROP CONSTRAINT case_events_pkey`);
    await queryRunner.query(`ALTER TABLE case_events ADD PRIMARY KEY (case_no, stream, seq)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM case_events WHERE stream <> 'case'`);
    await queryRunner.query(`ALTER TABLE case_events DROP CONSTRAINT case_events_pkey`);
    await queryRunner.query(`ALTER TABLE case_events ADD PRIMARY KEY (case_no, seq)`);
    await queryRunner.query(`ALTER TABLE case_events DROP COLUMN stream`);
  }
}
