import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which parent kinds each kind of unit may hang under (as `buildOrgTree` checks); committees go by level. */
const PARENT_KINDS: readonly (readonly [kind: string, parentKind: string])[] = [
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

/** The same pairs as the previous version of the check (migration 1700000000002), for `down`. */
const PREVIOUS_PARENT_KINDS = PARENT_KINDS.filter(
  ([kind, parent]) => parent !== 'county' && kind !== 'office' && !(kind === 'service-centre' && parent !== 'city'),
);

const KINDS = `'city', 'county', 'district', 'street', 'township', 'community', 'village', 'grid', 'department',
  'committee', 'service-centre', 'office'`;

/**
 * The versioned org tree, county roots and offices.
 *
 * - `org_units` stays the current tree (read on every hot path); it gains county roots, offices
 *   (`office_function`), district command centres and grid outlines (`boundary`). Its parent and locality keys and
 *   the parent-kind check become deferrable, so that a city import can rewrite the tree in any order within one
 *   transaction and the whole is checked at commit.
 * - `org_versions` numbers every change of the tree (1, 2, 3 …; never changed or deleted) with who made it and why;
 *   `org_unit_history` holds each unit as the domain sees it (JSON) from the version that added it up to, not
 *   including, the version that removed or changed it — so any version can be rebuilt, as `calendar_days` does for
 *   the calendar.
 * - `cases.org_version`: the org version a case was dispatched under (filled by the case projection);
 *   `routing_catalogues.org_version`: the org version a catalogue was imported under.
 *
 * A database that already holds a tree gets it as version 1.
 */
export class OrgVersions1700000000011 implements MigrationInterface {
  name = 'OrgVersions1700000000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.extendOrgUnits(queryRunner);
    await this.replaceParentCheck(queryRunner, PARENT_KINDS, true);
    await this.createVersions(queryRunner);
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN org_version integer REFERENCES org_versions (version)`);
    await queryRunner.query(
      `ALTER TABLE routing_catalogues ADD COLUMN org_version integer REFERENCES org_versions (version)`,
    );
    await this.recordExistingTree(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE routing_catalogues DROP COLUMN org_version`);
    await queryRunner.query(`ALTER TABLE cases DROP COLUMN org_version`);
    await queryRunner.query(`DROP TABLE org_unit_history`);
    await queryRunner.query(`DROP TABLE org_versions`);
    await queryRunner.query(`DROP FUNCTION org_unit_history_guard()`);
    await queryRunner.query(`DROP FUNCTION org_versions_guard()`);
    await this.replaceParentCheck(queryRunner, PREVIOUS_PARENT_KINDS, false);
    await queryRunner.query(`DELETE FROM org_units WHERE kind IN ('county', 'office')`);
    await queryRunner.query(`
      ALTER TABLE org_units
        DROP CONSTRAINT org_units_office_fields,
        DROP CONSTRAINT org_units_boundary_shape,
        DROP COLUMN office_function,
        DROP COLUMN boundary,
        DROP CONSTRAINT org_units_kind_check,
        ADD CONSTRAINT org_units_kind_check CHECK (kind IN ('city', 'district', 'street', 'township', 'community',
          'village', 'grid', 'department', 'committee', 'service-centre')),
        DROP CONSTRAINT org_units_root_kind,
        ADD CONSTRAINT org_units_root_is_city CHECK ((parent_id IS NULL) = (kind = 'city')),
        ALTER CONSTRAINT org_units_parent_id_fkey NOT DEFERRABLE,
        ALTER CONSTRAINT org_units_locality_id_fkey NOT DEFERRABLE`);
  }

  private async extendOrgUnits(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE org_units
        DROP CONSTRAINT org_units_kind_check,
        ADD CONSTRAINT org_units_kind_check CHECK (kind IN (${KINDS})),
        DROP CONSTRAINT org_units_root_is_city,
        ADD CONSTRAINT org_units_root_kind CHECK ((parent_id IS NULL) = (kind IN ('city', 'county'))),
        ADD COLUMN office_function text CHECK (office_function ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        ADD CONSTRAINT org_units_office_fields CHECK ((kind = 'office') = (office_function IS NOT NULL)),
        -- An outline: an array of at least three {lat, lng} points (buildOrgTree checks the points).
        ADD COLUMN boundary jsonb,
        ADD CONSTRAINT org_units_boundary_shape CHECK (boundary IS NULL
          OR (jsonb_typeof(boundary) = 'array' AND jsonb_array_length(boundary) >= 3)),
        ALTER CONSTRAINT org_units_parent_id_fkey DEFERRABLE INITIALLY IMMEDIATE,
        ALTER CONSTRAINT org_units_locality_id_fkey DEFERRABLE INITIALLY IMMEDIATE`);
  }

  /**
   * (Re)creates the parent-kind check. The new one reads the row as it is when the check runs (it may run at commit,
   * after later statements changed or deleted the row), and when a unit's kind changes it checks the children too.
   */
  private async replaceParentCheck(
    queryRunner: QueryRunner,
    pairs: readonly (readonly [string, string])[],
    deferrable: boolean,
  ): Promise<void> {
    const allowed = pairs.map(([kind, parent]) => `('${kind}', '${parent}')`).join(', ');
    const districtLocalities = deferrable
      ? `('district', 'district'), ('district', 'county')`
      : `('district', 'district')`;
    await queryRunner.query(`DROP TRIGGER org_units_check_parent ON org_units`);
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
              ('street', 'street'), ('street', 'township'), ${districtLocalities});
          ELSE
            CONTINUE WHEN (unit.kind, parent_kind) IN (${allowed});
          END IF;
          RAISE EXCEPTION 'org unit % (%) cannot hang under % (%)', unit.id, unit.kind, unit.parent_id, parent_kind
            USING ERRCODE = 'check_violation';
        END LOOP;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER org_units_check_parent AFTER INSERT OR UPDATE OF kind, parent_id, committee_level
      ON org_units ${deferrable ? 'DEFERRABLE INITIALLY IMMEDIATE' : ''}
      FOR EACH ROW EXECUTE FUNCTION org_units_check_parent()`);
  }

  private async createVersions(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE org_versions (
        version integer PRIMARY KEY CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL CHECK (btrim(created_by) <> ''),
        reason text NOT NULL CHECK (btrim(reason) <> ''),
        root_id text NOT NULL,
        unit_count integer NOT NULL CHECK (unit_count >= 1)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION org_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          RAISE EXCEPTION 'org_versions keeps every version: % refused', TG_OP USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.version <> 1 + coalesce((SELECT max(version) FROM org_versions), 0) THEN
          RAISE EXCEPTION 'org version % is not the next version', NEW.version USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER org_versions_guard BEFORE INSERT OR UPDATE OR DELETE ON org_versions
      FOR EACH ROW EXECUTE FUNCTION org_versions_guard()`);

    // Version V is rebuilt from the rows with added_in <= V AND (removed_in IS NULL OR removed_in > V).
    await queryRunner.query(`
      CREATE TABLE org_unit_history (
        id text NOT NULL,
        added_in integer NOT NULL REFERENCES org_versions (version),
        removed_in integer REFERENCES org_versions (version),
        unit jsonb NOT NULL CHECK (jsonb_typeof(unit) = 'object' AND unit ->> 'id' = id),
        PRIMARY KEY (id, added_in),
        CHECK (removed_in > added_in)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX org_unit_history_live ON org_unit_history (id) WHERE removed_in IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX org_unit_history_added_idx ON org_unit_history (added_in)`);
    // Only the newest version may add or remove a unit, and nothing else ever changes: past versions stay as they were.
    await queryRunner.query(`
      CREATE FUNCTION org_unit_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        latest integer;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'org_unit_history keeps every version: DELETE refused' USING ERRCODE = 'restrict_violation';
        END IF;
        SELECT max(version) INTO latest FROM org_versions;
        IF TG_OP = 'INSERT' THEN
          IF NEW.added_in IS DISTINCT FROM latest OR NEW.removed_in IS NOT NULL THEN
            RAISE EXCEPTION 'org unit %: only the newest version (%) may add a unit', NEW.id, latest
              USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.removed_in IS NOT NULL OR NEW.removed_in IS DISTINCT FROM latest
            OR (NEW.id, NEW.added_in, NEW.unit) IS DISTINCT FROM (OLD.id, OLD.added_in, OLD.unit) THEN
          RAISE EXCEPTION 'org unit %: only removing a live unit in the newest version (%) is allowed', OLD.id, latest
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER org_unit_history_guard BEFORE INSERT OR UPDATE OR DELETE ON org_unit_history
      FOR EACH ROW EXECUTE FUNCTION org_unit_history_guard()`);
  }

  /** A tree stored before versioning becomes version 1, each unit as `toOrgUnit` reads it. */
  private async recordExistingTree(queryRunner: QueryRunner): Promise<void> {
    const [root] = (await queryRunner.query(
      `SELECT id, (SELECT count(*)::int FROM org_units) AS n FROM org_units WHERE parent_id IS NULL`,
    )) as { id: string; n: number }[];
    if (!root) return;
    await queryRunner.query(
      `INSERT INTO org_versions (version, created_by, reason, root_id, unit_count) VALUES (1, 'system', $1, $2, $3)`,
      ['the org tree as stored before versioning', root.id, root.n],
    );
    await queryRunner.query(`
      INSERT INTO org_unit_history (id, added_in, unit)
      SELECT id, 1, jsonb_strip_nulls(jsonb_build_object(
          'id', id, 'kind', kind, 'name', name,
          'centroid', CASE WHEN centroid_lat IS NOT NULL
            THEN jsonb_build_object('lat', centroid_lat, 'lng', centroid_lng) END,
          'duty', duty, 'utility', CASE WHEN utility THEN true END,
          'level', committee_level, 'localityId', locality_id))
        || jsonb_build_object('parentId', parent_id)
      FROM org_units`);
  }
}
