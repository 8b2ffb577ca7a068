import { haversineMeters } from '../org/geo';
import { GeoPoint } from '../org/org.types';
import { IntakeError } from './intake';

/** Default duplicate radius in metres (FixMyStreet's figure). */
export const DEFAULT_DUPLICATE_RADIUS_METERS = 250;

/** What duplicate detection needs to know about an open case (one not yet closed). */
export interface OpenCaseSummary {
  readonly caseNo: string;
  /** Category id. */
  readonly category: string;
  readonly point?: GeoPoint;
  readonly gridId?: string;
  /** Free-text address; compared after {@link normalizeAddressKey}. */
  readonly address?: string;
  /** Repeat contacts already linked to this case (0 for a case reported once). */
  readonly repeatCount: number;
}

/** The new request being checked for duplicates. */
export interface DuplicateCandidate {
  /** Category id. */
  readonly category: string;
  readonly point?: GeoPoint;
  readonly gridId?: string;
  readonly address?: string;
  /** True when the caller brings facts the open case does not have (new damage, new place detail, new party …). */
  readonly hasNewFacts?: boolean;
}

/** Options of {@link findDuplicate}. */
export interface DuplicateOptions {
  /** Points of the same category at most this many metres apart are duplicates. */
  readonly radiusMeters?: number;
}

/** Why two requests were judged the same matter, strongest first. */
export type DuplicateBasis = 'address' | 'radius' | 'grid';

/**
 * A duplicate found by {@link findDuplicate}. Per DESIGN.md §3 the request is always linked to `openCase`; then:
 * - `report-progress` (no new facts): no new case is opened, the citizen is told the open case's progress;
 * - `open-linked-case` (new facts): a new case is opened for the new facts and linked to the open one.
 * Either way the contact is a repeat of the same problem: `repeatCount` is the open case's count including this
 * contact, and `priority` what that count calls for (see {@link priorityForRepeats}).
 */
export interface DuplicateMatch {
  readonly openCase: OpenCaseSummary;
  readonly matchedBy: DuplicateBasis;
  /** Distance in metres between the two points, when both have one. */
  readonly distanceMeters?: number;
  readonly action: 'report-progress' | 'open-linked-case';
  readonly repeatCount: number;
  readonly priority: RepeatAssessment;
}

/**
 * Finds the open case a new request duplicates, or `undefined`.
 *
 * A case matches when its category equals the candidate's and (a) their normalised addresses are equal, or (b) their
 * points are within `radiusMeters` (haversine, inclusive), or (c) they lie in the same grid. A different category
 * never matches, even at the same address: a water leak and a noise complaint next door are two matters. The caller
 * passes only open cases; closed ones are never linked.
 *
 * When several cases match, the strongest basis wins (address, then radius, then grid), then the shorter distance,
 * then the smaller `caseNo`, so the result does not depend on the order of `openCases`.
 */
export function findDuplicate(
  openCases: readonly OpenCaseSummary[],
  candidate: DuplicateCandidate,
  options: DuplicateOptions = {},
): DuplicateMatch | undefined {
  const radius = options.radiusMeters ?? DEFAULT_DUPLICATE_RADIUS_METERS;
  const candidateAddress = candidate.address === undefined ? '' : normalizeAddressKey(candidate.address);
  let best: { openCase: OpenCaseSummary; matchedBy: DuplicateBasis; distanceMeters?: number } | undefined;
  for (const openCase of openCases) {
    if (openCase.category !== candidate.category) continue;
    const distanceMeters =
      candidate.point && openCase.point ? haversineMeters(candidate.point, openCase.point) : undefined;
    let matchedBy: DuplicateBasis | undefined;
    if (candidateAddress !== '' && openCase.address !== undefined) {
      if (normalizeAddressKey(openCase.address) === candidateAddress) matchedBy = 'address';
    }
    if (!matchedBy && distanceMeters !== undefined && distanceMeters <= radius) matchedBy = 'radius';
    if (!matchedBy && candidate.gridId !== undefined && candidate.gridId === openCase.gridId) matchedBy = 'grid';
    if (!matchedBy) continue;
    const match = { openCase, matchedBy, ...(distanceMeters === undefined ? {} : { distanceMeters }) };
    if (!best || isStronger(match, best)) best = match;
  }
  if (!best) return undefined;
  const repeatCount = best.openCase.repeatCount + 1;
  return {
    ...best,
    action: candidate.hasNewFacts === true ? 'open-linked-case' : 'report-progress',
    repeatCount,
    priority: priorityForRepeats(repeatCount),
  };
}

const BASIS_RANK: Readonly<Record<DuplicateBasis, number>> = { address: 0, radius: 1, grid: 2 };

function isStronger(
  a: { openCase: OpenCaseSummary; matchedBy: DuplicateBasis; distanceMeters?: number },
  b: { openCase: OpenCaseSummary; matchedBy: DuplicateBasis; distanceMeters?: number },
): boolean {
  if (BASIS_RANK[a.matchedBy] !== BASIS_RANK[b.matchedBy]) return BASIS_RANK[a.matchedBy] < BASIS_RANK[b.matchedBy];
  const da = a.distanceMeters ?? Infinity;
  const db = b.distanceMeters ?? Infinity;
  if (da !== db) return da < db;
  // Plain code-unit comparison: deterministic everywhere, unlike localeCompare.
  return a.openCase.caseNo < b.openCase.caseNo;
}

/**
 * A comparison key for free-text addresses: Unicode NFKC (full-width digits and letters become ASCII), lower case,
 * with whitespace and common Chinese/ASCII punctuation removed. `'朝阳路１２号 ３单元'` and `'朝阳路12号3单元'` give
 * the same key. An address that normalises to `''` never matches.
 */
export function normalizeAddressKey(address: string): string {
  return address
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s,.;:、，。；：·\-—_()（）#＃]/g, '');
}

/** Priority a case deserves for how often it was reported. */
export type RepeatPriority = 'normal' | 'elevated' | 'high';

/** Thresholds of {@link priorityForRepeats}, in repeat contacts. */
export interface RepeatPolicy {
  readonly elevatedAt: number;
  readonly highAt: number;
  /** From this many repeats the case is put under daily supervision (日常督办). */
  readonly supervisionAt: number;
}

/** Our defaults: 1 repeat → elevated, 3 → high, 5 → high and daily supervision. */
export const DEFAULT_REPEAT_POLICY: RepeatPolicy = { elevatedAt: 1, highAt: 3, supervisionAt: 5 };

/** The outcome of {@link priorityForRepeats}. */
export interface RepeatAssessment {
  readonly priority: RepeatPriority;
  /** Present when the repeats alone call for supervision. */
  readonly supervision?: 'daily';
}

/**
 * The priority for a case reported `repeatCount` extra times (0 = reported once).
 *
 * @throws IntakeError `invalid-repeat-count` when `repeatCount` is not a non-negative integer.
 */
export function priorityForRepeats(
  repeatCount: number,
  policy: RepeatPolicy = DEFAULT_REPEAT_POLICY,
): RepeatAssessment {
  if (!Number.isInteger(repeatCount) || repeatCount < 0) {
    throw new IntakeError('invalid-repeat-count', `priorityForRepeats: repeatCount ${repeatCount} is not a count`);
  }
  const priority: RepeatPriority =
    repeatCount >= policy.highAt ? 'high' : repeatCount >= policy.elevatedAt ? 'elevated' : 'normal';
  return repeatCount >= policy.supervisionAt ? { priority, supervision: 'daily' } : { priority };
}
