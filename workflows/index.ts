/** Every workflow the worker registers. Only deterministic code is reachable from here. */
export { complaintCase } from './complaint-case/complaint-case.workflow';
export { whistleRound } from './whistle-round/whistle-round.workflow';
export { monthlyScores } from './monthly-scores/monthly-scores.workflow';
export { governanceItem } from './governance-item/governance-item.workflow';
export { governanceAfterScores } from './governance-item/governance-after-scores.workflow';
