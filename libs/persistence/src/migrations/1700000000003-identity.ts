import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, roles, unit membership, API tokens and token revocation. */
export class Identity1700000000003 implements MigrationInterface {
  name = 'Identity1700000000003';

  async up(_queryRunner: QueryRunner): Promise<void> {}

  async down(_queryRunner: QueryRunner): Promise<void> {}
}
