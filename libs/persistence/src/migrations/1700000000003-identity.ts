import { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES = `('operator', 'handler', 'coordinator', 'designer', 'auditor', 'admin')`;

/**
 * Users, roles, unit membership, API tokens and token revocation. One role and one unit per user (ADR 8). Unit ids
 * are org-tree ids checked by the API, not foreign keys: the tree is data that evolves on its own. Demo users are
 * seeded by the API at start (an environment switch), not here.
 */
export class Identity1700000000003 implements MigrationInterface {
  name = 'Identity1700000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
        role text NOT NULL CHECK (role IN ${ROLES}),
        unit_id text NOT NULL CHECK (length(unit_id) > 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        role text NOT NULL CHECK (role IN ${ROLES}),
        unit_id text NOT NULL CHECK (length(unit_id) > 0),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`
      CREATE TABLE revoked_tokens (
        jti text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE revoked_tokens`);
    await queryRunner.query(`DROP TABLE api_tokens`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
