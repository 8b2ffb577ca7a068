import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotent actions: a case, whistle-round or task action sent with an `Idempotency-Key` is recorded here before
 * its Update is sent (the key is also the Update id), and its answer once applied. A retry with the same key and
 * body answers the recorded result, even after the case has moved on or closed; the same key with another body is
 * refused.
 */
export class ActionRequests1700000000015 implements MigrationInterface {
  name = 'ActionRequests1700000000015';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE action_requests (
         workflow_id text NOT NULL,
         idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
         request_hash text NOT NULL,
         action text NOT NULL,
         actor_user_id text NOT NULL,
         response jsonb,
         received_at timestamptz NOT NULL DEFAULT now(),
         applied_at timestamptz,
         PRIMARY KEY (workflow_id, idempotency_key),
         CHECK ((response IS NULL) = (applied_at IS NULL))
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE action_requests`);
  }
}
