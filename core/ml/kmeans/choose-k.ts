import { KMeansInputError } from './errors.js';
import { fitKMeans, type KMeansInit, type KMeansResult } from './kmeans.js';
import { type PointsInput, toDenseMatrix } from './matrix.js';
import { DEFAULT_SILHOUETTE_SAMPLE, silhouetteScore } from './silhouette.js';

export interface ChooseKOptions {
  /** Smallest k tried, >= 2 (the silhouette is undefined for one cluster). */
  kMin: number;
  /** Largest k tried, <= number of points − 1. */
  kMax: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed?: number;
  /** Points scored by the silhouette (default 2000; the same sample for every k). */
  silhouetteSampleSize?: number;
  /** Warm start (e.g. the champion's centroids): used for the k equal to its number of rows. */
  initialCentroids?: PointsInput;
}

export interface KCandidate {
  k: number;
  silhouette: number;
  inertia: number;
  nIter: number;
  /** How the best run for this k started. */
  init: KMeansInit;
}

export interface ChooseKResult {
  /** The k with the highest silhouette; ties go to the smaller k. */
  k: number;
  candidates: KCandidate[];
  /** The fit for the chosen k. */
  fit: KMeansResult;
}

/** Fits every k in [kMin, kMax] and keeps the one with the best silhouette. */
export function chooseK(points: PointsInput, options: ChooseKOptions): ChooseKResult {
  const x = toDenseMatrix(points);
  const { kMin, kMax } = options;
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 2 && kMax >= kMin))
    throw new KMeansInputError(`need whole numbers 2 <= kMin <= kMax, got kMin ${kMin}, kMax ${kMax}`);
  if (kMax > x.rows - 1)
    throw new KMeansInputError(`kMax = ${kMax} needs at least ${kMax + 1} points, got ${x.rows}`);
  const warm =
    options.initialCentroids === undefined
      ? null
      : toDenseMatrix(options.initialCentroids, 'initialCentroids');
  const seed = options.seed ?? 0;
  const candidates: KCandidate[] = [];
  let best: { candidate: KCandidate; fit: KMeansResult } | null = null;
  for (let k = kMin; k <= kMax; k++) {
    const fit = fitKMeans(x, {
      k,
      ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
      ...(options.maxIter === undefined ? {} : { maxIter: options.maxIter }),
      ...(options.tol === undefined ? {} : { tol: options.tol }),
      seed,
      ...(warm && warm.rows === k ? { initialCentroids: warm } : {}),
    });
    const distinct = new Set(fit.labels).size;
    const silhouette =
      distinct >= 2
        ? silhouetteScore(x, fit.labels, {
            sampleSize: options.silhouetteSampleSize ?? DEFAULT_SILHOUETTE_SAMPLE,
            seed,
          })
        : Number.NEGATIVE_INFINITY;
    const candidate = { k, silhouette, inertia: fit.inertia, nIter: fit.nIter, init: fit.init };
    candidates.push(candidate);
    if (!best || silhouette > best.candidate.silhouette) best = { candidate, fit };
  }
  if (!best) throw new KMeansInputError('no k was tried');
  return { k: best.candidate.k, candidates, fit: best.fit };
}
