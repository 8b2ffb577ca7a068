import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CaseSubmission } from '../../../domain/src/case/case.types';

/** Lifecycle of a submission between the API accepting it and its case workflow running. */
export type IntakeRequestStatus = 'received' | 'started';

/**
 * Every accepted submission, stored before its workflow is started, so that nothing a citizen submitted is lost if
 * Temporal is unreachable at that moment (the API starts pending ones again on boot), and so that a POST retried
 * with the same Idempotency-Key returns the same case.
 */
@Entity({ name: 'intake_requests' })
export class IntakeRequestEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ name: 'case_no', type: 'text', unique: true })
  caseNo: string;

  /** SHA-256 of the canonical request body: a retry with a different body is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ type: 'jsonb' })
  payload: CaseSubmission;

  @Column({ type: 'text' })
  status: IntakeRequestStatus;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;
}
