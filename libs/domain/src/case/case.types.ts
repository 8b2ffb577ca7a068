import type { IntakeDirections } from '../intake/intake';
import type { LifecyclePhase } from '../lifecycle/lifecycle.types';

/** The five kinds of citizen request (诉求): 咨询, 求助, 投诉, 举报, 建议. */
export const CASE_KINDS = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Urgency levels: emergency (life or property at risk), urgent, normal. */
export const URGENCIES = ['emergency', 'urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Where a request came in: the 12345 hotline, the web form, an Open311 client, a grid worker on patrol, the app. */
export const CHANNELS = ['hotline', 'web', 'open311', 'grid', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where in the org tree a request belongs, as far as the submitter knows it. */
export interface PlaceRef {
  gridId?: string;
  communityId?: string;
  streetId?: string;
  districtId?: string;
}

/**
 * The facts of a request that the process decides on. Citizen personal data (name, phone, free-text description,
 * exact address) is deliberately absent: it stays in PostgreSQL and never enters a workflow history.
 */
export interface CaseFacts {
  kind: CaseKind;
  category: string;
  urgency: Urgency;
  channel: Channel;
  place: PlaceRef;
}

/** Coarse status of a case, for lists and search attributes: recorded, being handled, or closed. */
export type CaseStatus = 'registered' | 'open' | 'closed';

/** The process stage a case is in: intake, then the lifecycle phases (awaiting-sign, handling, …, closed). */
export type CaseStage = 'intake' | LifecyclePhase;

/** Formats a case number: the reception date in China time (yyyymmdd) and a 6-digit daily-independent serial. */
export function formatCaseNo(receivedAt: Date, serial: number): string {
  const local = new Date(receivedAt.getTime() + 8 * 3600_000);
  const day = local.toISOString().slice(0, 10).replace(/-/g, '');
  return `${day}${String(serial).padStart(6, '0')}`;
}

/** The Temporal workflow id of a case: derived from its case number, so a case can never run twice. */
export function caseWorkflowId(caseNo: string): string {
  return `case-${caseNo}`;
}

/** Case numbers are 8 date digits and at least 6 serial digits. */
export const CASE_NO_PATTERN = /^\d{8}\d{6,}$/;

/**
 * A request as submitted and stored by the API (`intake_requests.payload`), personal data included. Only the
 * case activities read it back; workflows see {@link CaseFacts}.
 */
export interface CaseSubmission extends CaseFacts {
  /** Emergency, inadmissible or answered-on-the-spot, as the operator decided; absent for an ordinary request. */
  intake?: IntakeDirections;
  /** For a request that duplicates an open case: true when the caller brings facts the open case lacks. */
  hasNewFacts?: boolean;
  /** Set by intake, not the caller: the open case this new case repeats with new facts. */
  linkedTo?: string;
  /**
   * Set by intake, not the caller: who filed the request when the caller presented a token (a grid worker filing a
   * patrol finding, an operator); absent for an anonymous submission. Kept with the stored submission.
   */
  filedBy?: { userId: string; role: string; unitId: string };
  description: string;
  address?: string;
  location?: { lat: number; lng: number };
  citizen?: { name?: string; phone?: string };
}

/** The process-relevant facts of a submission, without personal data. */
export function factsOf(submission: CaseSubmission): CaseFacts {
  const { kind, category, urgency, channel, place } = submission;
  return { kind, category, urgency, channel, place: { ...place } };
}
