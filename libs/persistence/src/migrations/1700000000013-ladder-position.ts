import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ladders are data: a case climbs the rungs of its pinned process version. `cases.escalation_level` holds the rung's
 * id (or a level of the fixed ladder of older cases) and `escalation_position` its place on the ladder: 0 not
 * escalated, 1 the first rung, and so on.
 */
export class LadderPosition1700000000013 implements MigrationInterface {
  name = 'LadderPosition1700000000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A rung id is any slug a designer writes; the fixed ladder's five values were the old rule.
    await queryRunner.query(`ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_escalation_level_check`);
    await queryRunner.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_escalation_level_check
         CHECK (escalation_level ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`,
    );
    await queryRunner.query(
      `ALTER TABLE cases ADD COLUMN escalation_position integer NOT NULL DEFAULT 0 CHECK (escalation_position >= 0)`,
    );
    // Cases on the fixed ladder: its levels' positions.
    await queryRunner.query(
      `UPDATE cases SET escalation_position = array_position(ARRAY['community', 'street', 'district', 'city'], escalation_level)
       WHERE escalation_level IN ('community', 'street', 'district', 'city')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN escalation_position`);
    await queryRunner.query(`ALTER TABLE cases DROP CONSTRAINT cases_escalation_level_check`);
    await queryRunner.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_escalation_level_check
         CHECK (escalation_level IN ('none', 'community', 'street', 'district', 'city'))`,
    );
  }
}
