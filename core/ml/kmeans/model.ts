import { chooseK, type KCandidate } from './choose-k.js';
import { KMeansInputError } from './errors.js';
import { assignToCentroids, fitKMeans, type KMeansInit } from './kmeans.js';
import type { PointsInput } from './matrix.js';
import { fitScaler, inverseTransform, type Scaler, transform } from './scaler.js';
import { DEFAULT_SILHOUETTE_SAMPLE, silhouetteScore } from './silhouette.js';

export const KMEANS_MODEL_FORMAT = 'kmeans-model';
export const KMEANS_MODEL_VERSION = 1;

/** The saved model; systems/sensors/docs/kmeans.md describes every field. Centroids are in standardised units. */
export interface KMeansModelJson {
  format: typeof KMEANS_MODEL_FORMAT;
  version: typeof KMEANS_MODEL_VERSION;
  k: number;
  nFeatures: number;
  featureNames: string[];
  scaler: Scaler;
  /** k rows of nFeatures, in the scaler's standardised space. */
  centroids: number[][];
  /** Inertia on the training points (standardised space). */
  inertia: number;
  /** Training points per cluster. */
  clusterSizes: number[];
  nSamples: number;
  nIter: number;
  converged: boolean;
  /** How the winning run started. */
  init: KMeansInit;
  /** Silhouette on the training points (sampled beyond 2000), null when undefined (k = 1). */
  silhouette: number | null;
}

export interface ClusterAssignment {
  cluster: number;
  /** Euclidean distance to the cluster's centroid in standardised units. */
  distance: number;
}

export interface KMeansModelParts {
  featureNames: string[];
  scaler: Scaler;
  /** k × nFeatures row-major, standardised space. */
  centroids: Float64Array;
  inertia: number;
  clusterSizes: number[];
  nSamples: number;
  nIter: number;
  converged: boolean;
  init: KMeansInit;
  silhouette: number | null;
}

/** A fitted k-means model that carries its scaler: it takes points in feature units. */
export class KMeansModel {
  readonly k: number;
  readonly nFeatures: number;
  readonly featureNames: string[];
  readonly scaler: Scaler;
  readonly centroids: Float64Array;
  readonly inertia: number;
  readonly clusterSizes: number[];
  readonly nSamples: number;
  readonly nIter: number;
  readonly converged: boolean;
  readonly init: KMeansInit;
  readonly silhouette: number | null;

  constructor(parts: KMeansModelParts) {
    this.nFeatures = parts.featureNames.length;
    this.k = parts.centroids.length / this.nFeatures;
    this.featureNames = parts.featureNames;
    this.scaler = parts.scaler;
    this.centroids = parts.centroids;
    this.inertia = parts.inertia;
    this.clusterSizes = parts.clusterSizes;
    this.nSamples = parts.nSamples;
    this.nIter = parts.nIter;
    this.converged = parts.converged;
    this.init = parts.init;
    this.silhouette = parts.silhouette;
  }

  /** Cluster labels of points given in feature units. */
  predictLabels(points: PointsInput): Int32Array {
    return assignToCentroids(transform(this.scaler, points), this.centroids, this.k).labels;
  }

  /** Closest cluster of each point (feature units) and its distance in standardised units. */
  predict(points: PointsInput): ClusterAssignment[] {
    const { labels, squaredDistances } = assignToCentroids(
      transform(this.scaler, points),
      this.centroids,
      this.k,
    );
    return Array.from(labels, (cluster, i) => ({
      cluster,
      distance: Math.sqrt(squaredDistances[i] as number),
    }));
  }

  /** Centroids back in feature units, one row per cluster. */
  centroidsInFeatureUnits(): number[][] {
    const raw = inverseTransform(this.scaler, this.centroids);
    return Array.from({ length: this.k }, (_, j) =>
      Array.from(raw.subarray(j * this.nFeatures, (j + 1) * this.nFeatures)),
    );
  }

  toJSON(): KMeansModelJson {
    return {
      format: KMEANS_MODEL_FORMAT,
      version: KMEANS_MODEL_VERSION,
      k: this.k,
      nFeatures: this.nFeatures,
      featureNames: [...this.featureNames],
      scaler: { mean: [...this.scaler.mean], std: [...this.scaler.std] },
      centroids: Array.from({ length: this.k }, (_, j) =>
        Array.from(this.centroids.subarray(j * this.nFeatures, (j + 1) * this.nFeatures)),
      ),
      inertia: this.inertia,
      clusterSizes: [...this.clusterSizes],
      nSamples: this.nSamples,
      nIter: this.nIter,
      converged: this.converged,
      init: this.init,
      silhouette: this.silhouette,
    };
  }

  /** Parses and checks a saved model (an object or its JSON text); errors name the bad field. */
  static fromJSON(input: unknown): KMeansModel {
    const json = typeof input === 'string' ? parseText(input) : input;
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new KMeansInputError('a k-means model must be a JSON object');
    const m = json as Record<string, unknown>;
    if (m.format !== KMEANS_MODEL_FORMAT)
      throw new KMeansInputError(
        `model format is ${JSON.stringify(m.format)}; expected "${KMEANS_MODEL_FORMAT}"`,
      );
    if (m.version !== KMEANS_MODEL_VERSION)
      throw new KMeansInputError(
        `model version ${JSON.stringify(m.version)} is not supported; expected ${KMEANS_MODEL_VERSION}`,
      );
    const k = wholeNumber(m.k, 'k', 1);
    const nFeatures = wholeNumber(m.nFeatures, 'nFeatures', 1);
    if (
      !Array.isArray(m.featureNames) ||
      m.featureNames.length !== nFeatures ||
      !m.featureNames.every((f) => typeof f === 'string')
    )
      throw new KMeansInputError(`featureNames must be ${nFeatures} strings`);
    const scaler = m.scaler as Record<string, unknown> | null;
    if (typeof scaler !== 'object' || scaler === null)
      throw new KMeansInputError('scaler must be { mean, std }');
    const mean = finiteList(scaler.mean, 'scaler.mean', nFeatures);
    const std = finiteList(scaler.std, 'scaler.std', nFeatures);
    if (!std.every((s) => s > 0)) throw new KMeansInputError('scaler.std values must be > 0');
    if (!Array.isArray(m.centroids) || m.centroids.length !== k)
      throw new KMeansInputError(`centroids must be ${k} rows (k)`);
    const centroids = new Float64Array(k * nFeatures);
    m.centroids.forEach((row, j) => {
      centroids.set(finiteList(row, `centroids[${j}]`, nFeatures), j * nFeatures);
    });
    const clusterSizes = finiteList(m.clusterSizes, 'clusterSizes', k);
    if (!clusterSizes.every((s) => Number.isInteger(s) && s >= 0))
      throw new KMeansInputError('clusterSizes must be whole numbers >= 0');
    const inertia = finiteNumber(m.inertia, 'inertia');
    if (inertia < 0) throw new KMeansInputError(`inertia must be >= 0, got ${inertia}`);
    if (typeof m.converged !== 'boolean') throw new KMeansInputError('converged must be true or false');
    if (m.init !== 'warm-start' && m.init !== 'k-means++')
      throw new KMeansInputError(`init must be "warm-start" or "k-means++", got ${JSON.stringify(m.init)}`);
    const silhouette = m.silhouette === null ? null : finiteNumber(m.silhouette, 'silhouette');
    return new KMeansModel({
      featureNames: [...(m.featureNames as string[])],
      scaler: { mean, std },
      centroids,
      inertia,
      clusterSizes,
      nSamples: wholeNumber(m.nSamples, 'nSamples', 1),
      nIter: wholeNumber(m.nIter, 'nIter', 0),
      converged: m.converged,
      init: m.init,
      silhouette,
    });
  }
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KMeansInputError(`model is not valid JSON: ${(error as Error).message}`);
  }
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min))
    throw new KMeansInputError(`${name} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new KMeansInputError(`${name} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

function finiteList(value: unknown, name: string, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length)
    throw new KMeansInputError(`${name} must be an array of ${length} numbers`);
  return value.map((v, i) => finiteNumber(v, `${name}[${i}]`));
}

export interface TrainKMeansOptions {
  /** One name per feature column; also checked against the champion's. */
  featureNames: string[];
  /** A fixed k ... */
  k?: number;
  /** ... or a range searched by silhouette (both bounds required). */
  kMin?: number;
  kMax?: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed?: number;
  silhouetteSampleSize?: number;
  /**
   * Continuous training: the champion's centroids, mapped into the new scaler's space, start one
   * extra run (for the k equal to the champion's) beside the fresh k-means++ runs; best inertia wins.
   */
  champion?: KMeansModel;
}

export interface TrainKMeansReport {
  model: KMeansModel;
  /** Per k tried: silhouette and inertia (one entry for a fixed k). */
  candidates: KCandidate[];
  /** Whether a champion's centroids were offered as a warm start. */
  warmStarted: boolean;
}

/** Standardises the points (the scaler is fitted on them), fits k-means and returns the model. */
export function trainKMeansModel(points: PointsInput, options: TrainKMeansOptions): TrainKMeansReport {
  const scaler = fitScaler(points);
  if (options.featureNames.length !== scaler.mean.length)
    throw new KMeansInputError(
      `featureNames has ${options.featureNames.length} names for ${scaler.mean.length} feature columns`,
    );
  const x = transform(scaler, points);
  const champion = options.champion;
  let warm: Float64Array | undefined;
  if (champion) {
    if (champion.featureNames.join('\u0000') !== options.featureNames.join('\u0000'))
      throw new KMeansInputError(
        `champion features (${champion.featureNames.join(', ')}) differ from (${options.featureNames.join(', ')})`,
      );
    // Champion centroids → feature units → the new standardised space.
    warm = transform(scaler, {
      data: inverseTransform(champion.scaler, champion.centroids),
      rows: champion.k,
      cols: champion.nFeatures,
    }).data;
  }
  const common = {
    ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
    ...(options.maxIter === undefined ? {} : { maxIter: options.maxIter }),
    ...(options.tol === undefined ? {} : { tol: options.tol }),
    seed: options.seed ?? 0,
  };
  const sampleSize = options.silhouetteSampleSize ?? DEFAULT_SILHOUETTE_SAMPLE;
  const warmMatrix =
    warm && champion ? { data: warm, rows: champion.k, cols: champion.nFeatures } : undefined;
  let fit: ReturnType<typeof fitKMeans>;
  let candidates: KCandidate[];
  let silhouette: number | null;
  if (options.k !== undefined) {
    if (options.kMin !== undefined || options.kMax !== undefined)
      throw new KMeansInputError('give either k or kMin/kMax, not both');
    fit = fitKMeans(x, {
      k: options.k,
      ...common,
      ...(warmMatrix && champion?.k === options.k ? { initialCentroids: warmMatrix } : {}),
    });
    silhouette =
      new Set(fit.labels).size >= 2 && fit.k < x.rows
        ? silhouetteScore(x, fit.labels, { sampleSize, seed: common.seed })
        : null;
    candidates = [
      {
        k: fit.k,
        silhouette: silhouette ?? Number.NaN,
        inertia: fit.inertia,
        nIter: fit.nIter,
        init: fit.init,
      },
    ];
  } else {
    if (options.kMin === undefined || options.kMax === undefined)
      throw new KMeansInputError('give k, or both kMin and kMax');
    const chosen = chooseK(x, {
      kMin: options.kMin,
      kMax: options.kMax,
      ...common,
      silhouetteSampleSize: sampleSize,
      ...(warmMatrix ? { initialCentroids: warmMatrix } : {}),
    });
    fit = chosen.fit;
    candidates = chosen.candidates;
    silhouette = chosen.candidates.find((c) => c.k === chosen.k)?.silhouette ?? null;
  }
  const clusterSizes = new Array<number>(fit.k).fill(0);
  for (const label of fit.labels) clusterSizes[label] = (clusterSizes[label] ?? 0) + 1;
  const model = new KMeansModel({
    featureNames: [...options.featureNames],
    scaler,
    centroids: fit.centroids,
    inertia: fit.inertia,
    clusterSizes,
    nSamples: fit.nSamples,
    nIter: fit.nIter,
    converged: fit.converged,
    init: fit.init,
    silhouette: silhouette !== null && Number.isFinite(silhouette) ? silhouette : null,
  });
  return { model, candidates, warmStarted: warmMatrix !== undefined };
}
