import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 GeoReport v2: API tokens get scopes (an `open311` token is an Open311 client's `api_key`, and nothing
 * else), and every request an Open311 client files is recorded with the token that filed it, the jurisdiction and
 * service it named, its media URL and the Open311 `token` it was answered with.
 */
export class Open3111700000000016 implements MigrationInterface {
  name = 'Open3111700000000016';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT '{}'
         CHECK (scopes <@ ARRAY['open311']::text[])`,
    );
    await queryRunner.query(
      `CREATE TABLE open311_requests (
         token uuid PRIMARY KEY,
         idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
         case_no text NOT NULL,
         outcome text NOT NULL CHECK (outcome IN ('started', 'received', 'linked')),
         api_token_id uuid NOT NULL REFERENCES api_tokens (id),
         jurisdiction_id text NOT NULL,
         service_code text NOT NULL,
         media_url text CHECK (length(media_url) <= 2000),
         filed_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await queryRunner.query(`CREATE INDEX open311_requests_case_idx ON open311_requests (case_no)`);
    await queryRunner.query(`CREATE INDEX open311_requests_client_idx ON open311_requests (api_token_id, filed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE open311_requests`);
    await queryRunner.query(`ALTER TABLE api_tokens DROP COLUMN scopes`);
  }
}
