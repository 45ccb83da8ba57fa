export { type ChallengeOutcome, type ChallengeResult, runChallenge } from './challenge.js';
export { parseChallengeResult } from './challenge-contract.js';
export { FitFailed, RollbackError } from './errors.js';
export type { FitResult, ModelAdapter } from './model-adapter.js';
export { type PromotionOutcome, promoteIfBetter } from './promote.js';
export {
  type Decision,
  decidePromotion,
  type FailedScore,
  type ModelScore,
  type PromotionRule,
} from './promotion-rule.js';
