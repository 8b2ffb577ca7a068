import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { OrgUnit } from '../../../domain/src/org/org.types';

/** One version of the org tree: numbered 1, 2, 3 … in order, never changed or deleted (a trigger refuses it). */
@Entity({ name: 'org_versions' })
export class OrgVersionEntity {
  @PrimaryColumn({ type: 'integer' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The user id (or `system`) who made the version. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ type: 'text' })
  reason: string;

  /** The root unit of the tree in this version (a city or a county). */
  @Column({ name: 'root_id', type: 'text' })
  rootId: string;

  @Column({ name: 'unit_count', type: 'integer' })
  unitCount: number;
}

/**
 * One unit as the domain saw it from version `addedIn` up to, not including, `removedIn` (null: still current). A
 * changed unit is a removed row and a new row in the same version. Version V is the rows with
 * `addedIn <= V AND (removedIn IS NULL OR removedIn > V)`.
 */
@Entity({ name: 'org_unit_history' })
export class OrgUnitHistoryEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @PrimaryColumn({ name: 'added_in', type: 'integer' })
  addedIn: number;

  @Column({ name: 'removed_in', type: 'integer', nullable: true })
  removedIn: number | null;

  @Column({ type: 'jsonb' })
  unit: OrgUnit;
}
