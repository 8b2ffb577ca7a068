import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versioned process definitions (docs/rules.md): drafts a designer edits freely, published versions that never change,
 * the record of each migration of open cases to a newer version, and what-if jobs.
 *
 * - `process_drafts`: work in progress; the document may be invalid. Archived, never deleted.
 * - `process_versions`: one row per published version, numbered 1, 2, 3 … per definition id with no gaps (a trigger
 *   checks the number), labelled `<id>@<n>` (the label cases pin). A trigger refuses any change but archiving (once)
 *   and any DELETE or TRUNCATE, so what a case pinned can always be read back exactly.
 * - `rule_migrations`: who moved which open cases to which version, when, why, with which filter, and the result.
 *   The per-case move is in each case's `case_events` (`rules-migrated`, with the actor).
 * - `what_if_jobs`: a definition run against recorded cases, with its progress and report.
 *
 * No version is inserted here: the `beijing` preset names the demo city, which only the demo seed loads (ADR 7).
 */
export class ProcessDefinitions1700000000009 implements MigrationInterface {
  name = 'ProcessDefinitions1700000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE process_drafts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        -- The version label (or 'preset:<id>') the draft was copied from; null for an empty or uploaded draft.
        based_on text,
        -- json, not jsonb: the designer's key order is kept, so errors and diffs come in document order.
        document json NOT NULL,
        created_by text NOT NULL,
        updated_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        archived_by text,
        CHECK ((archived_at IS NULL) = (archived_by IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX process_drafts_open_idx ON process_drafts (updated_at) WHERE archived_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE process_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        definition_id text NOT NULL CHECK (definition_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        version integer NOT NULL CHECK (version > 0),
        label text NOT NULL UNIQUE,
        document json NOT NULL,
        scope_city_id text NOT NULL,
        scope_district_id text,
        draft_id uuid REFERENCES process_drafts (id),
        published_by text NOT NULL,
        published_by_name text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        archived_at timestamptz,
        archived_by text,
        archive_reason text,
        UNIQUE (definition_id, version),
        CHECK (label = definition_id || '@' || version),
        CHECK (document ->> 'id' = definition_id),
        CHECK ((archived_at IS NULL) = (archived_by IS NULL) AND (archived_at IS NULL) = (archive_reason IS NULL))
      )`);
    // Which version applies to a jurisdiction: the newest non-archived one of the district, else of the city.
    await queryRunner.query(`
      CREATE INDEX process_versions_scope_idx ON process_versions (scope_city_id, scope_district_id, published_at DESC)
        WHERE archived_at IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION process_versions_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE expected integer;
      BEGIN
        SELECT COALESCE(max(version), 0) + 1 INTO expected FROM process_versions WHERE definition_id = NEW.definition_id;
        IF NEW.version <> expected THEN
          RAISE EXCEPTION 'process version %@% refused: the next version of % is %',
            NEW.definition_id, NEW.version, NEW.definition_id, expected;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER process_versions_numbered BEFORE INSERT ON process_versions
      FOR EACH ROW EXECUTE FUNCTION process_versions_numbered()`);
    // A published version is immutable: archiving it (once) is the only change, and it is never deleted.
    await queryRunner.query(`
      CREATE FUNCTION process_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'process_versions are immutable: % refused', TG_OP;
        END IF;
        -- json has no equality operator: the document is compared as its text, byte for byte.
        IF (NEW.id, NEW.definition_id, NEW.version, NEW.label, NEW.document::text, NEW.scope_city_id,
            NEW.scope_district_id, NEW.draft_id, NEW.published_by, NEW.published_by_name, NEW.published_at, NEW.reason)
           IS DISTINCT FROM
           (OLD.id, OLD.definition_id, OLD.version, OLD.label, OLD.document::text, OLD.scope_city_id,
            OLD.scope_district_id, OLD.draft_id, OLD.published_by, OLD.published_by_name, OLD.published_at, OLD.reason)
        THEN
          RAISE EXCEPTION 'process version % is immutable: only archiving may change it', OLD.label;
        END IF;
        IF OLD.archived_at IS NOT NULL THEN
          RAISE EXCEPTION 'process version % is archived: it can no longer change', OLD.label;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER process_versions_immutable BEFORE UPDATE OR DELETE ON process_versions
      FOR EACH ROW EXECUTE FUNCTION process_versions_immutable()`);
    await queryRunner.query(`
      CREATE TRIGGER process_versions_no_truncate BEFORE TRUNCATE ON process_versions
      FOR EACH STATEMENT EXECUTE FUNCTION process_versions_immutable()`);

    await queryRunner.query(`
      CREATE TABLE rule_migrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        to_version text NOT NULL REFERENCES process_versions (label),
        filter jsonb NOT NULL,
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        -- The actor from the token: { userId, username, role, unitId }.
        requested_by jsonb NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed')),
        matched integer CHECK (matched >= 0),
        moved integer CHECK (moved >= 0),
        -- [{ caseNo, reason }]
        skipped jsonb,
        error text,
        CHECK ((status = 'running') = (finished_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX rule_migrations_started_idx ON rule_migrations (started_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE what_if_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- What was run: 'draft:<id>' or a version label, and the document as it was when the job started.
        subject text NOT NULL,
        document json NOT NULL,
        -- { last: N } or { from, to }
        sample jsonb NOT NULL,
        requested_by text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
        total integer CHECK (total >= 0),
        report json,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE what_if_jobs`);
    await queryRunner.query(`DROP TABLE rule_migrations`);
    // DROP TABLE fires no row or TRUNCATE trigger, so immutability does not stand in the way of a rollback.
    await queryRunner.query(`DROP TABLE process_versions`);
    await queryRunner.query(`DROP FUNCTION process_versions_immutable()`);
    await queryRunner.query(`DROP FUNCTION process_versions_numbered()`);
    await queryRunner.query(`DROP TABLE process_drafts`);
  }
}
