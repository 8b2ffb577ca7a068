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

  /** Lifecycle phase (awaiting-sign, handling, in-review, awaiting-callback, closed); null before dispatch. */
  @Column({ type: 'text', nullable: true })
  phase: string | null;

  @Column({ name: 'lead_unit_id', type: 'text', nullable: true })
  leadUnitId: string | null;

  @Column({ name: 'co_unit_ids', type: 'text', array: true })
  coUnitIds: string[];

  @Column({ name: 'copy_unit_ids', type: 'text', array: true })
  copyUnitIds: string[];

  /** The unit that must act now: the coordinating committee while escalated, else the lead unit. */
  @Column({ name: 'responsible_unit_id', type: 'text', nullable: true })
  responsibleUnitId: string | null;

  @Column({ name: 'escalation_level', type: 'text' })
  escalationLevel: string;

  /** Position on the ladder: 0 not escalated, 1 the first rung, … (`escalationLevel` is the rung's id). */
  @Column({ name: 'escalation_position', type: 'integer', default: 0 })
  escalationPosition: number;

  /**
   * A closed case's audit call-back (民意访评): null unless drawn for one; `pending`, then `confirmed`,
   * `contradicted` (flagged), `unreached` or `lapsed`.
   */
  @Column({ name: 'audit_status', type: 'text', nullable: true })
  auditStatus: 'pending' | 'confirmed' | 'contradicted' | 'unreached' | 'lapsed' | null;

  @Column({ type: 'text' })
  supervision: string;

  @Column({ type: 'boolean' })
  overdue: boolean;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** Every running deadline with the calendar entry that produced it. */
  @Column({ type: 'jsonb' })
  deadlines: Record<string, unknown>;

  @Column({ name: 'next_deadline', type: 'timestamptz', nullable: true })
  nextDeadline: Date | null;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt: Date | null;

  @Column({ name: 'contacted_at', type: 'timestamptz', nullable: true })
  contactedAt: Date | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt: Date | null;

  @Column({ name: 'called_back_at', type: 'timestamptz', nullable: true })
  calledBackAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** When the citizen's request was received (the instant the API accepted it). */
  /** Normalised address (see `normalizeAddressKey`), for duplicate detection. */
  @Column({ name: 'address_key', type: 'text', nullable: true })
  addressKey: string | null;

  /** Repeat contacts linked to this case (duplicates with no new facts, or linked new cases). */
  @Column({ name: 'repeat_count', type: 'integer', default: 0 })
  repeatCount: number;

  @Column({ type: 'text', default: 'normal' })
  priority: string;

  /** The open case this one was opened beside (a duplicate with new facts). */
  @Column({ name: 'linked_case_no', type: 'text', nullable: true })
  linkedCaseNo: string | null;

  @Column({ name: 'suspended_since', type: 'timestamptz', nullable: true })
  suspendedSince: Date | null;

  @Column({ name: 'whistle_rounds', type: 'jsonb', default: () => "'[]'" })
  whistleRounds: unknown[];

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
