import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The projection of one case, written only by the case workflow's activities. Temporal holds the process; this row
 * is what lists, inboxes and audits read. Citizen contact fields are personal data: they never leave this table
 * for logs or search attributes.
 */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn({ name: 'case_no', type: 'text' })
  caseNo: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  urgency: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text' })
  stage: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'latitude', type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ name: 'longitude', type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ name: 'citizen_name', type: 'text', nullable: true })
  citizenName: string | null;

  @Column({ name: 'citizen_phone', type: 'text', nullable: true })
  citizenPhone: string | null;

  @Column({ name: 'grid_id', type: 'text', nullable: true })
  gridId: string | null;

  @Column({ name: 'community_id', type: 'text', nullable: true })
  communityId: string | null;

  @Column({ name: 'street_id', type: 'text', nullable: true })
  streetId: string | null;

  @Column({ name: 'district_id', type: 'text', nullable: true })
  districtId: string | null;

  @Column({ name: 'rules_version', type: 'text' })
  rulesVersion: string;

  /** When the citizen's request was received (the instant the API accepted it). */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
