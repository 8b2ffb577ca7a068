import type { ProcessDefinition } from '../rules/process-definition';
import { withCatalogueExclusions } from './compute-scores';
import { DEFAULT_SCORING_POLICY, ScoringPolicy } from './score.types';

/**
 * The policy a monthly run scores a scope with, from the `scoring` section of the definition that governs it
 * (docs/rules.md, "Scores"):
 * - `weights`, `minimumSample` (→ `minSample`) and `bottomN` as they are;
 * - `duplicate` listed: duplicates are out of every rate; not listed: they count like any case;
 * - `unreachable` listed: cases closed unreachable are out of resolution and satisfaction even when an earlier
 *   call-back reached the citizen; not listed: such a case counts with the last call-back that reached the citizen,
 *   if any (a case no call-back ever reached has nothing to count);
 * - `enforcement-or-mediation` listed: the catalogue's `enforcementOrMediation` categories are out of satisfaction;
 * - `inadmissible` and `answered-at-intake`: always out (closed at intake, never dispatched: no unit answers for
 *   them); the validator refuses a definition that leaves them off the list;
 * - `doubleAssessment` with `doubleAssessmentWeight` (→ `doubleAssessment.weight`, 0 when the assessment is not
 *   published) and `whistle.rating.veto` (→ `doubleAssessment.veto`).
 * The problem-of-the-month rule is the default one (a definition does not set it).
 */
export function scoringPolicyOfDefinition(definition: ProcessDefinition): ScoringPolicy {
  const { scoring } = definition;
  const policy: ScoringPolicy = {
    weights: { ...scoring.weights },
    minSample: scoring.minimumSample,
    bottomN: scoring.bottomN,
    excludedOutcomes: scoring.exclusions.includes('unreachable') ? ['unreachable'] : [],
    satisfactionExcludedCategories: [],
    excludeDuplicates: scoring.exclusions.includes('duplicate'),
    doubleAssessment: {
      weight: scoring.doubleAssessment ? (scoring.doubleAssessmentWeight ?? 0) : 0,
      veto: definition.whistle.rating.veto,
    },
    problemOfTheMonth: DEFAULT_SCORING_POLICY.problemOfTheMonth,
  };
  return scoring.exclusions.includes('enforcement-or-mediation')
    ? withCatalogueExclusions(policy, definition.routing)
    : policy;
}
