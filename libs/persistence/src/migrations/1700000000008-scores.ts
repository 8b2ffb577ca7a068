import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly scores (三率), stored with their inputs. One `score_runs` row per computation (scheduled or on demand),
 * with the policy it used and a hash of its inputs; `score_run_facts` holds the per-case facts it computed from (no
 * personal data), `unit_scores` each unit's figures with the case numbers behind them, `hotspots` the category × area
 * × month counts. A later run of the same month supersedes an earlier one by being newer: nothing is overwritten.
 * Triggers keep a finished run as it was: its row changes only while `running`, and figures are only added while
 * their run is `running`, never changed or deleted.
 */
export class Scores1700000000008 implements MigrationInterface {
  name = 'Scores1700000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE score_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- The Temporal workflow that computes the run: a retried activity finds its own row again.
        workflow_id text NOT NULL UNIQUE,
        month text NOT NULL CHECK (month ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])$'),
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'on-demand')),
        requested_by text,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
        started_at timestamptz NOT NULL DEFAULT now(),
        -- The instant the figures are as of (a deadline still running then leaves a response pending).
        computed_at timestamptz,
        finished_at timestamptz,
        policy jsonb,
        -- {cases, baselineCases, sha256, window}: what score_run_facts holds for this run, and its hash.
        inputs jsonb,
        double_assessment jsonb,
        candidates jsonb,
        bottom jsonb,
        error text,
        CONSTRAINT score_runs_completed_has_figures CHECK (status <> 'completed' OR (computed_at IS NOT NULL
          AND finished_at IS NOT NULL AND policy IS NOT NULL AND inputs IS NOT NULL AND double_assessment IS NOT NULL
          AND candidates IS NOT NULL AND bottom IS NOT NULL)),
        CONSTRAINT score_runs_failed_has_error CHECK (status <> 'failed' OR (error IS NOT NULL AND finished_at IS NOT NULL))
      )`);
    // The latest completed run of a month is the published one.
    await queryRunner.query(
      `CREATE INDEX score_runs_published_idx ON score_runs (month, computed_at DESC, started_at DESC)
       WHERE status = 'completed'`,
    );
    await queryRunner.query(`CREATE INDEX score_runs_month_idx ON score_runs (month, started_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE score_run_facts (
        run_id uuid NOT NULL REFERENCES score_runs (id),
        -- 'month': a case of the scored month; 'baseline': a case of the month before (hotspot growth).
        part text NOT NULL CHECK (part IN ('month', 'baseline')),
        case_no text NOT NULL,
        facts jsonb NOT NULL,
        PRIMARY KEY (run_id, part, case_no)
      )`);
    await queryRunner.query(`
      CREATE TABLE unit_scores (
        run_id uuid NOT NULL REFERENCES score_runs (id),
        unit_id text NOT NULL,
        unit_kind text NOT NULL CHECK (unit_kind IN ('street', 'department', 'district')),
        counts jsonb NOT NULL,
        rates jsonb NOT NULL,
        response_rate double precision CHECK (response_rate BETWEEN 0 AND 1),
        resolution_rate double precision CHECK (resolution_rate BETWEEN 0 AND 1),
        satisfaction_rate double precision CHECK (satisfaction_rate BETWEEN 0 AND 1),
        score double precision CHECK (score BETWEEN 0 AND 100),
        eligible boolean NOT NULL,
        rank integer CHECK (rank >= 1),
        bottom boolean NOT NULL,
        explanation jsonb NOT NULL,
        PRIMARY KEY (run_id, unit_id),
        CONSTRAINT unit_scores_ranked_if_eligible CHECK (eligible OR (rank IS NULL AND NOT bottom))
      )`);
    await queryRunner.query(`CREATE INDEX unit_scores_unit_idx ON unit_scores (unit_id, run_id)`);
    await queryRunner.query(`
      CREATE TABLE hotspots (
        run_id uuid NOT NULL REFERENCES score_runs (id),
        month text NOT NULL,
        category text NOT NULL,
        district_id text,
        street_id text,
        cases integer NOT NULL CHECK (cases > 0),
        repeat_contacts integer NOT NULL CHECK (repeat_contacts >= 0),
        duplicates integer NOT NULL CHECK (duplicates >= 0),
        case_nos text[] NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (run_id, position),
        UNIQUE NULLS NOT DISTINCT (run_id, month, category, district_id, street_id)
      )`);
    await queryRunner.query(`CREATE INDEX hotspots_category_idx ON hotspots (category, month)`);

    await queryRunner.query(`
      CREATE FUNCTION score_runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'score_runs keeps every run: DELETE refused' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status <> 'running' THEN
          RAISE EXCEPTION 'score run % is %: it never changes again', OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.id, NEW.workflow_id, NEW.month, NEW.trigger, NEW.requested_by, NEW.started_at)
           IS DISTINCT FROM (OLD.id, OLD.workflow_id, OLD.month, OLD.trigger, OLD.requested_by, OLD.started_at) THEN
          RAISE EXCEPTION 'score run %: only its status and results may be set', OLD.id
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER score_runs_guard BEFORE UPDATE OR DELETE ON score_runs
      FOR EACH ROW EXECUTE FUNCTION score_runs_guard()`);
    await queryRunner.query(`
      CREATE FUNCTION score_figures_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          RAISE EXCEPTION '% keeps every figure: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM score_runs WHERE id = NEW.run_id AND status = 'running') THEN
          RAISE EXCEPTION '%: score run % is not running', TG_TABLE_NAME, NEW.run_id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['score_run_facts', 'unit_scores', 'hotspots']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_guard BEFORE INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION score_figures_guard()`);
    }

    // The month loader finds a month's cases by the instant of their dispatch events.
    await queryRunner.query(
      `CREATE INDEX case_events_dispatched_idx ON case_events (at) WHERE type = 'dispatched' AND stream = 'case'`,
    );
    await queryRunner.query(`CREATE INDEX cases_received_idx ON cases (received_at) WHERE dispatched_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX cases_received_idx`);
    await queryRunner.query(`DROP INDEX case_events_dispatched_idx`);
    await queryRunner.query(`DROP TABLE hotspots`);
    await queryRunner.query(`DROP TABLE unit_scores`);
    await queryRunner.query(`DROP TABLE score_run_facts`);
    await queryRunner.query(`DROP TABLE score_runs`);
    await queryRunner.query(`DROP FUNCTION score_figures_guard()`);
    await queryRunner.query(`DROP FUNCTION score_runs_guard()`);
  }
}
