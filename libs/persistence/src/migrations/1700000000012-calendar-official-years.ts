import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Official holiday schedules of years the national data package does not cover yet (docs/calendar.md). A year's
 * schedule belongs to every calendar version from `added_in` up to, not including, `removed_in` (a corrected
 * schedule closes the old row and adds a new one in the same version), exactly like `calendar_days`: rows are only
 * ever added, or closed by the newest version, so every past version can be rebuilt.
 */
export class CalendarOfficialYears1700000000012 implements MigrationInterface {
  name = 'CalendarOfficialYears1700000000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calendar_official_years (
        calendar_id text NOT NULL,
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2099),
        -- [{ "date": "2027-01-01", "working": false, "name": "元旦" }, …] as the operator loaded it.
        days jsonb NOT NULL CHECK (jsonb_typeof(days) = 'array' AND jsonb_array_length(days) > 0),
        added_in integer NOT NULL,
        removed_in integer,
        PRIMARY KEY (calendar_id, year, added_in),
        FOREIGN KEY (calendar_id, added_in) REFERENCES calendars (calendar_id, version),
        FOREIGN KEY (calendar_id, removed_in) REFERENCES calendars (calendar_id, version),
        CHECK (removed_in > added_in)
      )`);
    // At most one live schedule per year.
    await queryRunner.query(
      `CREATE UNIQUE INDEX calendar_official_years_live ON calendar_official_years (calendar_id, year)
       WHERE removed_in IS NULL`,
    );
    // Only the newest version may add or close a schedule, and nothing else ever changes.
    await queryRunner.query(`
      CREATE FUNCTION calendar_official_years_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        latest integer;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'calendar_official_years keeps every version: DELETE refused'
            USING ERRCODE = 'restrict_violation';
        END IF;
        SELECT max(version) INTO latest FROM calendars WHERE calendar_id = NEW.calendar_id;
        IF TG_OP = 'INSERT' THEN
          IF NEW.added_in IS DISTINCT FROM latest OR NEW.removed_in IS NOT NULL THEN
            RAISE EXCEPTION 'calendar % year %: only the newest version (%) may add a schedule', NEW.calendar_id,
              NEW.year, latest USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.removed_in IS NOT NULL OR NEW.removed_in IS DISTINCT FROM latest
            OR (NEW.calendar_id, NEW.year, NEW.days, NEW.added_in)
               IS DISTINCT FROM (OLD.calendar_id, OLD.year, OLD.days, OLD.added_in) THEN
          RAISE EXCEPTION 'calendar % year %: only closing a live schedule in the newest version (%) is allowed',
            OLD.calendar_id, OLD.year, latest USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER calendar_official_years_guard BEFORE INSERT OR UPDATE OR DELETE ON calendar_official_years
      FOR EACH ROW EXECUTE FUNCTION calendar_official_years_guard()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE calendar_official_years`);
    await queryRunner.query(`DROP FUNCTION calendar_official_years_guard()`);
  }
}
