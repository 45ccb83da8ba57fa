import { checkPaired, MetricInputError } from './errors.js';

/**
 * Area under the ROC curve via the Mann–Whitney U statistic: rank all scores (tied scores share
 * the average of their ranks), then AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺·n⁻), where R⁺ is the rank sum of
 * the positives. Equals the probability that a random positive outscores a random negative, ties
 * counting one half. `labels` are 1/true for positives and 0/false for negatives.
 */
export function rocAuc(labels: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  checkPaired(labels, scores, 'labels', 'scores');
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label === 1 || label === true) positives++;
    else if (label !== 0 && label !== false) {
      throw new MetricInputError(`label ${i} is ${String(label)}; expected 0/1 or false/true`);
    }
    const score = scores[i] as number;
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new MetricInputError(`score ${i} is ${String(score)}; expected a number`);
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new MetricInputError(
      `labels contain only ${positives === 0 ? 'negatives' : 'positives'}; ROC-AUC needs at least one of each`,
    );
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positiveRankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    const score = scores[order[i] as number] as number;
    while (j < n && scores[order[j] as number] === score) j++;
    // Positions i..j-1 (0-based) hold ranks i+1..j; each tied score gets their mean.
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      const label = labels[order[k] as number];
      if (label === 1 || label === true) positiveRankSum += averageRank;
    }
    i = j;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
