import { type VarStats, variance } from './regressor-variance.js';

/** River's `min_samples_split`: a side with fewer records makes the split worth nothing. */
export const MIN_SAMPLES_SPLIT = 5;

/**
 * Variance reduction of a binary split (River's `VarianceReductionSplitCriterion`): the parent's
 * variance minus the children's, weighted by their share of records. 0 when a side is too small.
 */
export function varianceReduction(parent: VarStats, left: VarStats, right: VarStats): number {
  if (left.n < MIN_SAMPLES_SPLIT || right.n < MIN_SAMPLES_SPLIT) return 0;
  return variance(parent) - (left.n / parent.n) * variance(left) - (right.n / parent.n) * variance(right);
}

/**
 * Hoeffding bound: with probability 1 − delta, the observed mean of n values in a range R is
 * within this of the true one. Variance reduction ratios lie in [0, 1], so R = 1 (River's).
 */
export function hoeffdingBound(range: number, delta: number, n: number): number {
  return Math.sqrt((range * range * Math.log(1 / delta)) / (2 * n));
}
