import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which parent kinds each kind of unit may hang under (as `buildOrgTree` checks); committees go by level. */
const PARENT_KINDS: readonly (readonly [kind: string, parentKind: string])[] = [
  ['district', 'city'],
  ['street', 'district'],
  ['township', 'district'],
  ['community', 'street'],
  ['community', 'township'],
  ['village', 'street'],
  ['village', 'township'],
  ['grid', 'community'],
  ['grid', 'village'],
  ['department', 'city'],
  ['department', 'district'],
  ['service-centre', 'city'],
];

/**
 * The org tree, the routing catalogue and the versioned working-day calendar. Demo data is not loaded here (a real
 * city's database must not receive 示范市): `npm run seed` / `seedDemoData` does that. Calendar version 1 (the
 * national calendar with no local days) is created here, because every deployment needs a calendar to lay
 * deadlines on (ADR 7).
 */
export class OrgCatalogueCalendar1700000000002 implements MigrationInterface {
  name = 'OrgCatalogueCalendar1700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.createOrgUnits(queryRunner);
    await this.createRoutingCatalogue(queryRunner);
    await this.createCalendar(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE calendar_days`);
    await queryRunner.query(`DROP TABLE calendars`);
    await queryRunner.query(`DROP FUNCTION calendar_days_guard()`);
    await queryRunner.query(`DROP FUNCTION calendars_guard()`);
    await queryRunner.query(`DROP TABLE routing_categories`);
    await queryRunner.query(`DROP TABLE routing_catalogues`);
    await queryRunner.query(`DROP TABLE org_units`);
    await queryRunner.query(`DROP FUNCTION org_units_check_parent()`);
  }

  private async createOrgUnits(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE org_units (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        kind text NOT NULL CHECK (kind IN ('city', 'district', 'street', 'township', 'community', 'village', 'grid',
          'department', 'committee', 'service-centre')),
        name text NOT NULL CHECK (btrim(name) <> ''),
        parent_id text REFERENCES org_units (id),
        centroid_lat double precision CHECK (centroid_lat BETWEEN -90 AND 90),
        centroid_lng double precision CHECK (centroid_lng BETWEEN -180 AND 180),
        duty text CHECK (duty ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        utility boolean NOT NULL DEFAULT false,
        committee_level text CHECK (committee_level IN ('community', 'street', 'district')),
        locality_id text UNIQUE REFERENCES org_units (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT org_units_root_is_city CHECK ((parent_id IS NULL) = (kind = 'city')),
        CONSTRAINT org_units_centroid_pair CHECK ((centroid_lat IS NULL) = (centroid_lng IS NULL)),
        CONSTRAINT org_units_grid_centroid CHECK (kind <> 'grid' OR centroid_lat IS NOT NULL),
        CONSTRAINT org_units_department_fields CHECK (kind = 'department' OR (duty IS NULL AND NOT utility)),
        CONSTRAINT org_units_committee_fields CHECK (
          (kind = 'committee') = (committee_level IS NOT NULL)
          AND (kind = 'committee') = (locality_id IS NOT NULL)
          AND (locality_id IS NULL OR locality_id = parent_id))
      )`);
    // One tree per database: exactly one root, the city.
    await queryRunner.query(`CREATE UNIQUE INDEX org_units_one_root ON org_units ((true)) WHERE parent_id IS NULL`);
    await queryRunner.query(`CREATE INDEX org_units_parent_idx ON org_units (parent_id)`);
    const allowed = PARENT_KINDS.map(([kind, parent]) => `('${kind}', '${parent}')`).join(', ');
    // Runs at the end of the statement, so a multi-row insert may list children before their parents.
    await queryRunner.query(`
      CREATE FUNCTION org_units_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent_kind text;
      BEGIN
        IF NEW.parent_id IS NULL THEN RETURN NULL; END IF;
        SELECT kind INTO parent_kind FROM org_units WHERE id = NEW.parent_id;
        IF parent_kind IS NULL THEN RETURN NULL; END IF; -- the foreign key reports a missing parent
        IF NEW.kind = 'committee' THEN
          IF (NEW.committee_level, parent_kind) IN (('community', 'community'), ('community', 'village'),
              ('street', 'street'), ('street', 'township'), ('district', 'district')) THEN
            RETURN NULL;
          END IF;
        ELSIF (NEW.kind, parent_kind) IN (${allowed}) THEN
          RETURN NULL;
        END IF;
        RAISE EXCEPTION 'org unit % (%) cannot hang under % (%)', NEW.id, NEW.kind, NEW.parent_id, parent_kind
          USING ERRCODE = 'check_violation';
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER org_units_check_parent AFTER INSERT OR UPDATE OF kind, parent_id, committee_level
      ON org_units FOR EACH ROW EXECUTE FUNCTION org_units_check_parent()`);
  }

  private async createRoutingCatalogue(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE routing_catalogues (
        id text NOT NULL CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        version text NOT NULL CHECK (btrim(version) <> ''),
        name text NOT NULL CHECK (btrim(name) <> ''),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE routing_categories (
        catalogue_id text NOT NULL,
        catalogue_version text NOT NULL,
        id text NOT NULL CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        position integer NOT NULL DEFAULT 0,
        name text NOT NULL CHECK (btrim(name) <> ''),
        kinds text[] NOT NULL CHECK (cardinality(kinds) > 0
          AND kinds <@ ARRAY['consultation', 'help', 'complaint', 'report', 'suggestion']),
        default_urgency text NOT NULL CHECK (default_urgency IN ('emergency', 'urgent', 'normal')),
        handler text NOT NULL,
        -- The lead unit when it is a department ('locality' means the street/township of the place).
        handler_unit_id text GENERATED ALWAYS AS (NULLIF(handler, 'locality')) STORED REFERENCES org_units (id),
        co_units text[] NOT NULL DEFAULT '{}' CHECK (array_position(co_units, NULL) IS NULL),
        deadlines jsonb NOT NULL CHECK (jsonb_typeof(deadlines) = 'object'
          AND deadlines ?& ARRAY['emergency', 'urgent', 'normal']),
        enforcement_or_mediation boolean NOT NULL DEFAULT false,
        knowledge_answer text CHECK (knowledge_answer IS NULL OR 'consultation' = ANY (kinds)),
        PRIMARY KEY (catalogue_id, catalogue_version, id),
        FOREIGN KEY (catalogue_id, catalogue_version) REFERENCES routing_catalogues (id, version),
        CONSTRAINT routing_categories_co_units_not_handler CHECK (NOT handler = ANY (co_units))
      )`);
  }

  private async createCalendar(queryRunner: QueryRunner): Promise<void> {
    // One row per version of a calendar. Versions count 1, 2, 3 … and are never changed or deleted.
    await queryRunner.query(`
      CREATE TABLE calendars (
        calendar_id text NOT NULL CHECK (calendar_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        version integer NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL CHECK (btrim(created_by) <> ''),
        reason text NOT NULL CHECK (btrim(reason) <> ''),
        PRIMARY KEY (calendar_id, version)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION calendars_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          RAISE EXCEPTION 'calendars keeps every version: % refused', TG_OP USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.version <> 1 + coalesce((SELECT max(version) FROM calendars WHERE calendar_id = NEW.calendar_id), 0)
        THEN
          RAISE EXCEPTION 'calendar % version % is not the next version', NEW.calendar_id, NEW.version
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER calendars_guard BEFORE INSERT OR UPDATE OR DELETE ON calendars
      FOR EACH ROW EXECUTE FUNCTION calendars_guard()`);

    // Local days an operator added (days off or on over the national data). A day belongs to every version from
    // added_in up to, not including, removed_in: version V is rebuilt from the rows with
    // added_in <= V AND (removed_in IS NULL OR removed_in > V).
    await queryRunner.query(`
      CREATE TABLE calendar_days (
        calendar_id text NOT NULL,
        day date NOT NULL,
        working boolean NOT NULL,
        name text NOT NULL CHECK (btrim(name) <> ''),
        added_in integer NOT NULL,
        removed_in integer,
        PRIMARY KEY (calendar_id, day, added_in),
        FOREIGN KEY (calendar_id, added_in) REFERENCES calendars (calendar_id, version),
        FOREIGN KEY (calendar_id, removed_in) REFERENCES calendars (calendar_id, version),
        CHECK (removed_in > added_in)
      )`);
    // At most one live entry per date.
    await queryRunner.query(
      `CREATE UNIQUE INDEX calendar_days_live ON calendar_days (calendar_id, day) WHERE removed_in IS NULL`,
    );
    // Only the newest version may add or remove a day, and nothing else ever changes: past versions stay as they were.
    await queryRunner.query(`
      CREATE FUNCTION calendar_days_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        latest integer;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'calendar_days keeps every version: DELETE refused' USING ERRCODE = 'restrict_violation';
        END IF;
        SELECT max(version) INTO latest FROM calendars WHERE calendar_id = NEW.calendar_id;
        IF TG_OP = 'INSERT' THEN
          IF NEW.added_in IS DISTINCT FROM latest OR NEW.removed_in IS NOT NULL THEN
            RAISE EXCEPTION 'calendar % day %: only the newest version (%) may add a day', NEW.calendar_id, NEW.day,
              latest USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.removed_in IS NOT NULL OR NEW.removed_in IS DISTINCT FROM latest
            OR (NEW.calendar_id, NEW.day, NEW.working, NEW.name, NEW.added_in)
               IS DISTINCT FROM (OLD.calendar_id, OLD.day, OLD.working, OLD.name, OLD.added_in) THEN
          RAISE EXCEPTION 'calendar % day %: only removing a live day in the newest version (%) is allowed',
            OLD.calendar_id, OLD.day, latest USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER calendar_days_guard BEFORE INSERT OR UPDATE OR DELETE ON calendar_days
      FOR EACH ROW EXECUTE FUNCTION calendar_days_guard()`);

    // Every deployment lays deadlines on a calendar: version 1 is the national data alone.
    await queryRunner.query(
      `INSERT INTO calendars (calendar_id, version, created_by, reason) VALUES ('cn-mainland', 1, 'system', $1)`,
      ['initial version: national holidays and make-up working days from chinese-days, no local days'],
    );
  }
}
