import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Score runs say which process-definition versions they scored with: `score_runs.scopes` holds every scope of the
 * run (the city, and each district with a definition of its own), each with the version label its policy came from
 * (null: the built-in default), the policy, the units a district scope holds, and the scope's bottom lists. Written
 * once, when the run completes (the run's guard trigger already keeps a finished run as it was).
 */
export class ScoreScopes1700000000020 implements MigrationInterface {
  name = 'ScoreScopes1700000000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE score_runs ADD COLUMN scopes jsonb`);
    // Runs completed before this column have none; every run completed from now on records its scopes.
    await queryRunner.query(
      `ALTER TABLE score_runs ADD CONSTRAINT score_runs_completed_has_scopes
         CHECK (status <> 'completed' OR scopes IS NOT NULL) NOT VALID`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE score_runs DROP CONSTRAINT score_runs_completed_has_scopes`);
    await queryRunner.query(`ALTER TABLE score_runs DROP COLUMN scopes`);
  }
}
