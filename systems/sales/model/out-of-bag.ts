import { leafOf } from '../../../core/ml/forest/flat-forest.js';
import type { RandomForestModelJson } from '../../../core/ml/forest/index.js';
import { modelFromJson } from '../../../core/ml/forest/model-format.js';
import { deriveSeed, Rng } from '../../../core/ml/forest/rng.js';

/**
 * Out-of-bag predictions of a fitted regression forest: for every training row, the mean over
 * the trees whose bootstrap sample left it out (NaN for a row every tree drew).
 *
 * The forest does not return them, but its bootstraps are reproducible: tree t draws n rows with
 * the stream seeded by (seed, t) (core/ml/forest/fit.ts). So they are redrawn here, and the R² of
 * the result is checked against the forest's own out-of-bag score: should the forest ever draw
 * differently, the check fails loudly instead of passing in-bag residuals off as honest ones.
 */
export function outOfBagPredictions(
  json: RandomForestModelJson,
  features: readonly number[][],
  targets: readonly number[],
): Float64Array {
  const model = modelFromJson(json);
  const { forest, params } = model;
  if (!params.bootstrap) throw new Error('out-of-bag predictions need a forest fitted with bootstrap');
  const n = features.length;
  const sums = new Float64Array(n);
  const votes = new Uint32Array(n);
  const draws = new Uint32Array(n);
  const nTrees = forest.treeOffsets.length - 1;
  for (let t = 0; t < nTrees; t++) {
    const rng = new Rng(deriveSeed(params.seed, t));
    draws.fill(0);
    for (let i = 0; i < n; i++) {
      const r = rng.nextInt(n);
      draws[r] = (draws[r] as number) + 1;
    }
    const root = forest.treeOffsets[t] as number;
    for (let r = 0; r < n; r++) {
      if (draws[r] !== 0) continue;
      const leaf = leafOf(
        forest.feature,
        forest.threshold,
        forest.left,
        forest.missingLeft,
        root,
        features[r] as number[],
      );
      sums[r] = (sums[r] as number) + (forest.values[leaf] as number);
      votes[r] = (votes[r] as number) + 1;
    }
  }
  const predictions = sums.map((sum, r) =>
    (votes[r] as number) > 0 ? sum / (votes[r] as number) : Number.NaN,
  );
  if (model.oobScore !== null && Number.isFinite(model.oobScore)) {
    const score = rSquared(targets, predictions);
    if (Math.abs(score - model.oobScore) > 1e-9 * Math.max(1, Math.abs(model.oobScore)))
      throw new Error(
        `out-of-bag predictions do not reproduce the forest's out-of-bag score (${score} vs ${model.oobScore}): core/ml/forest changed how it draws bootstraps`,
      );
  }
  return predictions;
}

/** R² over the rows with a prediction, as the forest computes its out-of-bag score. */
function rSquared(targets: readonly number[], predictions: Float64Array): number {
  let mean = 0;
  let count = 0;
  predictions.forEach((p, r) => {
    if (Number.isNaN(p)) return;
    mean += targets[r] as number;
    count++;
  });
  if (count === 0) return Number.NaN;
  mean /= count;
  let residual = 0;
  let spread = 0;
  predictions.forEach((p, r) => {
    if (Number.isNaN(p)) return;
    const y = targets[r] as number;
    residual += (y - p) ** 2;
    spread += (y - mean) ** 2;
  });
  return spread > 0 ? 1 - residual / spread : 0;
}
