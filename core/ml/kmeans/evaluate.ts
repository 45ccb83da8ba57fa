import { type DenseMatrix, type PointsInput, toDenseMatrix } from './matrix.js';
import type { KMeansModel } from './model.js';
import { fitScaler, transform } from './scaler.js';
import { DEFAULT_SILHOUETTE_SAMPLE, silhouetteScore } from './silhouette.js';

export interface ClusteringScore {
  k: number;
  /** Silhouette on the evaluation points; null when the model puts them all in one cluster. */
  silhouette: number | null;
  /** Evaluation points per cluster. */
  clusterSizes: number[];
}

/**
 * Scores a clustering on evaluation points, the way champion and challenger are compared: both
 * models label the same points and both labelings are scored by the silhouette in one common
 * space (the evaluation points standardised by their own mean and std), so models with different
 * scalers and different k compare fairly; inertia does not (it falls as k grows and depends on
 * each model's scaler).
 */
export function evaluateClustering(
  model: KMeansModel,
  points: PointsInput,
  options: { sampleSize?: number; seed?: number } = {},
): ClusteringScore {
  const raw = toDenseMatrix(points);
  const labels = model.predictLabels(raw);
  const clusterSizes = new Array<number>(model.k).fill(0);
  for (const label of labels) clusterSizes[label] = (clusterSizes[label] ?? 0) + 1;
  const used = clusterSizes.filter((size) => size > 0).length;
  const common: DenseMatrix = transform(fitScaler(raw), raw);
  const silhouette =
    used >= 2 && used < raw.rows
      ? silhouetteScore(common, labels, {
          sampleSize: options.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE,
          seed: options.seed ?? 0,
        })
      : null;
  return { k: model.k, silhouette, clusterSizes };
}
