import { type DenseMatrix, type PointsInput, toDenseMatrix } from './matrix.js';
import type { KMeansModel } from './model.js';
import { fitScaler, transform } from './scaler.js';
import { DEFAULT_SILHOUETTE_SAMPLE, silhouetteScore } from './silhouette.js';

/**
 * Champion/challenger for clusterings. Both models label the same evaluation points and both
 * labelings are scored by the silhouette in one common space (the evaluation points standardised
 * by their own mean and std), so models with different scalers and different k compare fairly;
 * inertia does not (it falls as k grows and depends on each model's scaler).
 */
export interface ClusteringPromotionRule {
  /** The challenger is promoted unless its silhouette is below the champion's by more than this. */
  maxSilhouetteDrop: number;
}

export const defaultClusteringPromotionRule: ClusteringPromotionRule = { maxSilhouetteDrop: 0.02 };

export interface ClusteringScore {
  k: number;
  /** Silhouette on the evaluation points; null when the model puts them all in one cluster. */
  silhouette: number | null;
  /** Evaluation points per cluster. */
  clusterSizes: number[];
}

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

export interface ClusteringDecision {
  promote: boolean;
  reason: string;
}

const fmt = (value: number) => value.toFixed(4);

export function decideClusteringPromotion(input: {
  challenger: ClusteringScore | { failed: string };
  /** The champion scored on the same points; absent when there is no champion yet. */
  champion?: ClusteringScore | { failed: string };
  rule: ClusteringPromotionRule;
}): ClusteringDecision {
  const { challenger, champion, rule } = input;
  if (!(rule.maxSilhouetteDrop >= 0))
    throw new Error(`maxSilhouetteDrop must be >= 0, got ${rule.maxSilhouetteDrop}`);
  if ('failed' in challenger)
    return { promote: false, reason: `challenger training failed (${challenger.failed}); champion kept` };
  if (challenger.silhouette === null)
    return { promote: false, reason: 'challenger puts every evaluation point in one cluster; champion kept' };
  const challengerText = `challenger k=${challenger.k} silhouette ${fmt(challenger.silhouette)}`;
  if (!champion) return { promote: true, reason: `no champion yet; ${challengerText} promoted` };
  if ('failed' in champion)
    return {
      promote: true,
      reason: `champion could not be scored (${champion.failed}); ${challengerText} promoted`,
    };
  if (champion.silhouette === null)
    return {
      promote: true,
      reason: `champion puts every evaluation point in one cluster; ${challengerText} promoted`,
    };
  const drop = champion.silhouette - challenger.silhouette;
  const versus = `${challengerText} vs champion k=${champion.k} ${fmt(champion.silhouette)} on the same points`;
  // A hair of slack so a drop of exactly the margin (0.52 − 0.50) is not lost to rounding.
  if (drop > rule.maxSilhouetteDrop + 1e-12)
    return {
      promote: false,
      reason: `${versus}: worse by ${fmt(drop)} > allowed ${fmt(rule.maxSilhouetteDrop)}; champion kept`,
    };
  return {
    promote: true,
    reason: `${versus}: ${drop > 0 ? `worse by only ${fmt(drop)}` : `not worse (+${fmt(-drop)})`} (allowed drop ${fmt(rule.maxSilhouetteDrop)}); challenger promoted`,
  };
}
