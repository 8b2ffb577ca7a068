import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance items (docs/adr/0017-governance-items.md): rectification (限期整改) of a month's bottom units, problems of
 * the month (每月一题) the centre adopts, proactive items (未诉先办) of hotspots that rose past the threshold. One row
 * per item, written by its workflow (`governance-<id>`); the API inserts it when the centre adopts a problem, the
 * run's follow-up activity when a score run opens rectification and proactive items.
 */
export class GovernanceItems1700000000021 implements MigrationInterface {
  name = 'GovernanceItems1700000000021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- What opened the item, e.g. 'rectification:2026-10:s-hubin', 'proactive:2026-10:noise:s-hubin',
        -- 'problem-of-the-month:2026-10:noise': a retried or repeated opener finds the same item.
        source_key text NOT NULL UNIQUE,
        workflow_id text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('rectification', 'problem-of-the-month', 'proactive')),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        owner_unit_ids text[] NOT NULL CHECK (cardinality(owner_unit_ids) BETWEEN 1 AND 20),
        -- { categories, places, month?, unitId? }: where the effect is counted.
        scope jsonb NOT NULL,
        -- The figures that opened it: the bottom-list standing, the hotspot's growth, the adopted candidate.
        origin jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'reported', 'closed')),
        plan text,
        milestones jsonb NOT NULL DEFAULT '[]',
        report text,
        outcome text CHECK (outcome IN ('resolved', 'partly', 'ongoing')),
        deadline_duration text NOT NULL,
        -- The deadline as the calendar laid it: { duration, from, due, reminderAt, calendarId, calendarVersion }.
        deadline jsonb,
        due_at timestamptz,
        reminded boolean NOT NULL DEFAULT false,
        overdue boolean NOT NULL DEFAULT false,
        supervision text NOT NULL DEFAULT 'none' CHECK (supervision IN ('none', 'daily', 'posted', 'interview')),
        events jsonb NOT NULL DEFAULT '[]',
        -- The effect recorded at the close: case counts per category × place before the item and since.
        measured jsonb,
        opened_by text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        -- The workflow's change counter: a mirror write older than the row's is ignored.
        version integer NOT NULL DEFAULT 0,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    // A unit's items (its handlers' list): owner_unit_ids @> ARRAY[unit].
    await queryRunner.query(`CREATE INDEX governance_items_owner_idx ON governance_items USING gin (owner_unit_ids)`);
    // The centre's lists: by status and due date, by kind.
    await queryRunner.query(`CREATE INDEX governance_items_status_idx ON governance_items (status, due_at, id)`);
    await queryRunner.query(`CREATE INDEX governance_items_kind_idx ON governance_items (kind, opened_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance_items`);
  }
}
