/**
 * Class weights as River's trees keep them: a dict from class to weight whose key order (the
 * order the classes were first seen) decides ties, so the keys present are kept in that order.
 */
export interface ClassDistribution {
  /** Weight of class 0 and class 1 (0 for a class not present). */
  weights: [number, number];
  /** The classes present, in the order they were first seen. */
  classes: (0 | 1)[];
}

export function emptyDistribution(): ClassDistribution {
  return { weights: [0, 0], classes: [] };
}

export function totalWeight(d: ClassDistribution): number {
  let total = 0;
  for (const c of d.classes) total += d.weights[c];
  return total;
}

/** Entropy in bits, River's `InfoGainSplitCriterion._compute_entropy_dict`. */
export function entropy(d: ClassDistribution): number {
  let h = 0;
  let sum = 0;
  for (const c of d.classes) {
    const w = d.weights[c];
    if (w > 0) {
      h -= w * Math.log2(w);
      sum += w;
    }
  }
  return sum > 0 ? (h + sum * Math.log2(sum)) / sum : 0;
}

/**
 * Information gain of splitting `pre` into `left` and `right`; −∞ unless both branches get more
 * than `minBranchFraction` of the weight (River's `min_branch_fraction`, 0.01), which keeps a
 * split from shaving off a sliver.
 */
export function infoGainMerit(
  pre: ClassDistribution,
  left: ClassDistribution,
  right: ClassDistribution,
  minBranchFraction: number,
): number {
  const l = totalWeight(left);
  const r = totalWeight(right);
  const total = l + r;
  if (!(total > 0 && l / total > minBranchFraction && r / total > minBranchFraction)) {
    return Number.NEGATIVE_INFINITY;
  }
  return entropy(pre) - (l * entropy(left) + r * entropy(right)) / total;
}

/** The range of the info-gain merit for the Hoeffding bound: log2 of the number of classes (≥ 2). */
export function infoGainRange(pre: ClassDistribution): number {
  return Math.log2(Math.max(pre.classes.length, 2));
}
