import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit call-backs (民意访评) on the case row: `cases.audit_status` is absent until a closed case is drawn for an
 * audit call-back, then `pending`, and how the audit ended: `confirmed`, `contradicted` (the case is flagged: the
 * citizen contradicted the unit's reported result), `unreached` or `lapsed`. Flagged cases are found by lead unit.
 */
export class CaseAuditStatus1700000000019 implements MigrationInterface {
  name = 'CaseAuditStatus1700000000019';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE cases ADD COLUMN audit_status text
         CHECK (audit_status IN ('pending', 'confirmed', 'contradicted', 'unreached', 'lapsed'))`,
    );
    await queryRunner.query(
      `CREATE INDEX cases_audit_flagged ON cases (lead_unit_id, closed_at) WHERE audit_status = 'contradicted'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX cases_audit_flagged`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN audit_status`);
  }
}
