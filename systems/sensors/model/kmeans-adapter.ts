import type { FitResult, ModelAdapter, ModelScore } from '../../../core/lifecycle/index.js';
import {
  evaluateClustering,
  type KCandidate,
  KMeansInputError,
  KMeansModel,
  trainKMeansModel,
} from '../../../core/ml/kmeans/index.js';
import { CLUSTER_FEATURES } from './cluster-features.js';

/** A k-means model, and for a freshly fitted one how it was chosen. */
export interface Clustering {
  readonly kmeans: KMeansModel;
  /** Absent for a model loaded from the registry. */
  readonly search?: {
    /** Silhouette and inertia of each k tried. */
    readonly candidates: readonly KCandidate[];
    /** Whether the champion's centroids started one of the runs. */
    readonly warmStarted: boolean;
  };
}

/** The feature matrix of the trailing window: one row per sensor-day, columns CLUSTER_FEATURES. */
export type SensorDayMatrix = readonly (readonly number[])[];

export interface KMeansAdapterOptions {
  readonly kMin: number;
  readonly kMax: number;
  /** k-means++ initialisations per k (the warm start is one more). @default 5 */
  readonly nInit?: number;
  /** @default 7 */
  readonly seed?: number;
}

/**
 * The sensors system's model family for the shared champion/challenger lifecycle. A challenger
 * is k-means on the standardised window, k in [kMin, kMax] chosen by silhouette, with one run
 * started from the champion's centroids (continuous training). Both sides are scored by the
 * silhouette of their labels in one common space (the window standardised by itself), so models
 * with different scalers and different k compare fairly; the champion is not refitted.
 */
export function kmeansAdapter(options: KMeansAdapterOptions): ModelAdapter<SensorDayMatrix, Clustering> {
  return {
    kind: 'kmeans',
    async fit(points, { champion }): Promise<FitResult<Clustering>> {
      try {
        const report = trainKMeansModel(points, {
          featureNames: [...CLUSTER_FEATURES],
          kMin: options.kMin,
          kMax: options.kMax,
          nInit: options.nInit ?? 5,
          seed: options.seed ?? 7,
          ...(champion ? { champion: champion.kmeans } : {}),
        });
        return {
          ok: true,
          model: {
            kmeans: report.model,
            search: { candidates: report.candidates, warmStarted: report.warmStarted },
          },
        };
      } catch (error) {
        // Input k-means cannot use (fewer distinct points than k, a champion on other features):
        // the same call would fail the same way.
        if (error instanceof KMeansInputError) return { ok: false, reason: error.message };
        throw error;
      }
    },
    score(model, points): ModelScore {
      const { k, silhouette, clusterSizes } = evaluateClustering(model.kmeans, points);
      const used = clusterSizes.filter((size) => size > 0).length;
      return {
        label: `k=${k}`,
        metrics: { silhouette, k, clustersUsed: used, sensorDays: points.length },
        ...(silhouette === null
          ? {
              unusable:
                used < 2
                  ? `all ${points.length} sensor-days fall in one cluster`
                  : 'every sensor-day is a cluster of its own',
            }
          : {}),
      };
    },
    describe: ({ kmeans, search }) => ({
      k: kmeans.k,
      features: kmeans.featureNames,
      /** On the training points, in the model's own standardised units: not comparable across models. */
      inertia: kmeans.inertia,
      init: kmeans.init,
      converged: kmeans.converged,
      nIter: kmeans.nIter,
      ...(search ? { warmStarted: search.warmStarted } : {}),
    }),
    serialize: ({ kmeans }) => kmeans.toJSON(),
    deserialize: (artifact) => ({ kmeans: KMeansModel.fromJSON(artifact) }),
  };
}
