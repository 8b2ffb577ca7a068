import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which parent kinds each kind of unit may hang under, as migration 1700000000011 left them. */
const PREVIOUS_PARENT_KINDS: readonly (readonly [kind: string, parentKind: string])[] = [
  ['district', 'city'],
  ['street', 'district'],
  ['street', 'county'],
  ['township', 'district'],
  ['township', 'county'],
  ['community', 'street'],
  ['community', 'township'],
  ['village', 'street'],
  ['village', 'township'],
  ['grid', 'community'],
  ['grid', 'village'],
  ['department', 'city'],
  ['department', 'district'],
  ['department', 'county'],
  ['service-centre', 'city'],
  ['service-centre', 'county'],
  ['service-centre', 'district'],
  ['office', 'city'],
  ['office', 'district'],
  ['office', 'county'],
];

/** The pairs `buildOrgTree` allows now: offices in a community or village, volunteer groups under a locality. */
const PARENT_KINDS: readonly (readonly [kind: string, parentKind: string])[] = [
  ...PREVIOUS_PARENT_KINDS,
  ['office', 'community'],
  ['office', 'village'],
  ['volunteer-group', 'street'],
  ['volunteer-group', 'township'],
  ['volunteer-group', 'community'],
  ['volunteer-group', 'village'],
];

const PREVIOUS_KINDS = `'city', 'county', 'district', 'street', 'township', 'community', 'village', 'grid',
  'department', 'committee', 'service-centre', 'office'`;
const KINDS = `${PREVIOUS_KINDS}, 'volunteer-group'`;

/**
 * Village bodies for a rural governance complex (the `xiangdong` preset): an office may hang under a community or
 * village (a village's comprehensive governance centre, 村级综治中心), and a new kind `volunteer-group` (志愿服务队、
 * 自治组织) hangs under a street/township or a community/village with a function (`office_function`), as offices
 * do, so that routing finds it by what it does.
 */
export class VillageBodies1700000000022 implements MigrationInterface {
  name = 'VillageBodies1700000000022';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE org_units
        DROP CONSTRAINT org_units_kind_check,
        ADD CONSTRAINT org_units_kind_check CHECK (kind IN (${KINDS})),
        DROP CONSTRAINT org_units_office_fields,
        ADD CONSTRAINT org_units_office_fields
          CHECK ((kind IN ('office', 'volunteer-group')) = (office_function IS NOT NULL))`);
    await replaceParentCheckFunction(queryRunner, PARENT_KINDS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM org_units u WHERE u.kind = 'volunteer-group'
         OR (u.kind = 'office' AND EXISTS (SELECT 1 FROM org_units p WHERE p.id = u.parent_id
               AND p.kind IN ('community', 'village')))`);
    await replaceParentCheckFunction(queryRunner, PREVIOUS_PARENT_KINDS);
    await queryRunner.query(`
      ALTER TABLE org_units
        DROP CONSTRAINT org_units_office_fields,
        ADD CONSTRAINT org_units_office_fields CHECK ((kind = 'office') = (office_function IS NOT NULL)),
        DROP CONSTRAINT org_units_kind_check,
        ADD CONSTRAINT org_units_kind_check CHECK (kind IN (${PREVIOUS_KINDS}))`);
  }
}

/**
 * Replaces the body of the parent-kind check (the constraint trigger of migration 1700000000011 stays): the same
 * function with the given pairs.
 */
async function replaceParentCheckFunction(
  queryRunner: QueryRunner,
  pairs: readonly (readonly [string, string])[],
): Promise<void> {
  const allowed = pairs.map(([kind, parent]) => `('${kind}', '${parent}')`).join(', ');
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION org_units_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      unit record;
      parent_kind text;
      kind_changed boolean := false;
    BEGIN
      IF TG_OP = 'UPDATE' THEN kind_changed := OLD.kind IS DISTINCT FROM NEW.kind; END IF;
      FOR unit IN
        SELECT u.id, u.kind, u.parent_id, u.committee_level FROM org_units u
         WHERE u.id = NEW.id OR (kind_changed AND u.parent_id = NEW.id)
      LOOP
        CONTINUE WHEN unit.parent_id IS NULL;
        SELECT kind INTO parent_kind FROM org_units WHERE id = unit.parent_id;
        CONTINUE WHEN parent_kind IS NULL; -- the foreign key reports a missing parent
        IF unit.kind = 'committee' THEN
          CONTINUE WHEN (unit.committee_level, parent_kind) IN (('community', 'community'), ('community', 'village'),
            ('street', 'street'), ('street', 'township'), ('district', 'district'), ('district', 'county'));
        ELSE
          CONTINUE WHEN (unit.kind, parent_kind) IN (${allowed});
        END IF;
        RAISE EXCEPTION 'org unit % (%) cannot hang under % (%)', unit.id, unit.kind, unit.parent_id, parent_kind
          USING ERRCODE = 'check_violation';
      END LOOP;
      RETURN NULL;
    END $$`);
}
