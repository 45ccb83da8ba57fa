import { KMeansInputError } from './errors.js';
import { type Kernels, kernelsFor } from './kernels.js';
import { type DenseMatrix, type PointsInput, toDenseMatrix } from './matrix.js';
import { runRandom } from './rng.js';

/**
 * k-means (Lloyd) on row-major Float64Array data: greedy k-means++ initialisation as in
 * scikit-learn (2 + ⌊ln k⌋ candidates per centre, the one lowering the potential most wins),
 * several initialisations keeping the lowest inertia, an optional warm start, and relocation of
 * empty clusters to the points farthest from their centres. One pass over the data per iteration
 * both assigns labels and accumulates the new centroid sums; all buffers are allocated once per fit.
 */
export interface KMeansOptions {
  /** Number of clusters, 1..n. */
  k: number;
  /** Number of k-means++ initialisations (default 10); may be 0 when `initialCentroids` is given. */
  nInit?: number;
  /** Lloyd iterations per initialisation (default 300). */
  maxIter?: number;
  /**
   * Convergence tolerance (default 1e-4), relative as in scikit-learn: a run stops when the summed
   * squared centroid shift of an iteration is ≤ tol × the mean per-feature variance of the data,
   * or when no label changes.
   */
  tol?: number;
  /** Seed of the k-means++ initialisations (default 0); run r uses a stream derived from (seed, r). */
  seed?: number;
  /**
   * Warm start: k centroids (k × nFeatures) to start one extra run from, e.g. the champion's.
   * That run goes first and competes with the `nInit` fresh runs; the lowest inertia wins and a
   * tie keeps the warm start.
   */
  initialCentroids?: PointsInput;
}

export type KMeansInit = 'warm-start' | 'k-means++';

export interface KMeansRun {
  init: KMeansInit;
  /** Run index among the k-means++ runs (its random stream), null for the warm start. */
  run: number | null;
  inertia: number;
  nIter: number;
  converged: boolean;
  emptyClustersReseeded: number;
}

export interface KMeansResult {
  k: number;
  nFeatures: number;
  nSamples: number;
  /** k × nFeatures, row-major. */
  centroids: Float64Array;
  /** Cluster of every point under the final centroids. */
  labels: Int32Array;
  /** Sum of squared distances of points to their closest centroid. */
  inertia: number;
  /** Iterations of the winning run. */
  nIter: number;
  converged: boolean;
  /** How the winning run started. */
  init: KMeansInit;
  /** Every run in the order it was made (warm start first). */
  runs: KMeansRun[];
}

export const KMEANS_DEFAULTS = { nInit: 10, maxIter: 300, tol: 1e-4, seed: 0 } as const;

interface Workspace {
  x: Float64Array;
  n: number;
  d: number;
  k: number;
  labels: Int32Array;
  /** Squared distance of each point to its assigned centroid. */
  dist: Float64Array;
  /** Hamerly bounds: distance to the assigned centroid (upper) and to any other (lower). */
  upper: Float64Array;
  lower: Float64Array;
  /** Per centroid: how far it moved in the last update, and half the distance to its nearest other. */
  delta: Float64Array;
  half: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
  /** k-means++ buffers: closest squared distance, its running sum, and one buffer per candidate. */
  closest: Float64Array;
  cumulative: Float64Array;
  trials: Float64Array[];
  kernels: Kernels;
  stats: Float64Array;
}

function makeWorkspace(x: DenseMatrix, k: number): Workspace {
  const n = x.rows;
  const nTrials = 2 + Math.floor(Math.log(k));
  return {
    x: x.data,
    n,
    d: x.cols,
    k,
    labels: new Int32Array(n),
    dist: new Float64Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    delta: new Float64Array(k),
    half: new Float64Array(k),
    sums: new Float64Array(k * x.cols),
    counts: new Float64Array(k),
    closest: new Float64Array(n),
    cumulative: new Float64Array(n),
    trials: Array.from({ length: nTrials }, () => new Float64Array(n)),
    kernels: kernelsFor(x.cols),
    stats: new Float64Array(1),
  };
}

/** Assigns every point to its closest centroid (and, when `accumulate`, sums each cluster). */
function assignPass(
  ws: Workspace,
  centroids: Float64Array,
  accumulate: boolean,
): { inertia: number; changed: number } {
  const changed = ws.kernels.assign(
    ws.x,
    ws.n,
    centroids,
    ws.k,
    ws.labels,
    ws.dist,
    ws.lower,
    ws.sums,
    ws.counts,
    ws.stats,
    accumulate,
  );
  return { inertia: ws.stats[0] as number, changed };
}

/**
 * Moves the point farthest from its centre into each empty cluster (never emptying its donor).
 * Returns how many clusters were reseeded.
 */
function reseedEmptyClusters(ws: Workspace): number {
  const { x, n, d, k, labels, dist, sums, counts } = ws;
  let reseeded = 0;
  for (let j = 0; j < k; j++) {
    if ((counts[j] as number) > 0) continue;
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      const from = labels[i] as number;
      if ((dist[i] as number) > farDist && (counts[from] as number) > 1) {
        far = i;
        farDist = dist[i] as number;
      }
    }
    if (far < 0) break; // fewer points than clusters: cannot happen when k ≤ n
    const from = labels[far] as number;
    counts[from] = (counts[from] as number) - 1;
    counts[j] = 1;
    for (let t = 0; t < d; t++) {
      const v = x[far * d + t] as number;
      sums[from * d + t] = (sums[from * d + t] as number) - v;
      sums[j * d + t] = v;
    }
    labels[far] = j;
    dist[far] = 0;
    // Its bounds no longer describe its assignment: force a full scan in the next pass.
    ws.upper[far] = Number.POSITIVE_INFINITY;
    ws.lower[far] = 0;
    reseeded++;
  }
  return reseeded;
}

/** Greedy k-means++ into `centroids` (k × d). */
function kmeansPlusPlus(ws: Workspace, centroids: Float64Array, random: () => number): void {
  const { x, n, d, k, cumulative, trials } = ws;
  let closest = ws.closest;
  const copyRow = (row: number, c: number) => {
    for (let t = 0; t < d; t++) centroids[c * d + t] = x[row * d + t] as number;
  };
  const first = Math.floor(random() * n);
  copyRow(first, 0);
  closest.fill(Number.POSITIVE_INFINITY);
  let potential = ws.kernels.candidate(x, n, first, closest, closest);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i] as number;
      cumulative[i] = running;
    }
    let bestTrial = -1;
    let bestRow = 0;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials.length; t++) {
      const row = potential > 0 ? lowerBound(cumulative, random() * running) : Math.floor(random() * n);
      const trialPotential = ws.kernels.candidate(x, n, row, closest, trials[t] as Float64Array);
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        bestTrial = t;
        bestRow = row;
      }
    }
    copyRow(bestRow, c);
    // Swap the winning candidate's distances in as the new closest distances.
    const winner = trials[bestTrial] as Float64Array;
    trials[bestTrial] = closest;
    closest = winner;
    potential = bestPotential;
  }
  ws.closest = closest;
}

/** First index whose cumulative value exceeds `target` (clamped to the last index). */
function lowerBound(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Full assignment pass (also accumulating cluster sums) that resets the Hamerly bounds. */
function fullPass(ws: Workspace, centroids: Float64Array): number {
  const { changed } = assignPass(ws, centroids, true);
  const { n, dist, upper, lower } = ws;
  for (let i = 0; i < n; i++) {
    upper[i] = Math.sqrt(dist[i] as number);
    lower[i] = Math.sqrt(lower[i] as number);
  }
  return changed;
}

/** Mean of every cluster into `centroids`; records each centroid's move. Returns Σ squared moves. */
function updateCentroids(ws: Workspace, centroids: Float64Array): number {
  const { d, k, sums, counts, delta } = ws;
  let shift = 0;
  for (let j = 0; j < k; j++) {
    const count = counts[j] as number;
    let moved = 0;
    for (let t = 0; t < d; t++) {
      const index = j * d + t;
      const next = (sums[index] as number) / count;
      const diff = next - (centroids[index] as number);
      moved += diff * diff;
      centroids[index] = next;
    }
    delta[j] = Math.sqrt(moved);
    shift += moved;
  }
  return shift;
}

/**
 * One assignment pass with Hamerly's bounds (Hamerly 2010): a point whose upper bound on the
 * distance to its centroid is below both its lower bound on any other centroid and half the gap
 * from its centroid to the nearest other centroid cannot change cluster and is skipped. The result
 * is the same assignment as a full pass; cluster sums are updated for the points that move.
 */
function hamerlyPass(ws: Workspace, centroids: Float64Array): number {
  const { x, n, d, k, labels, upper, lower, delta, half, sums, counts } = ws;
  let maxMove = 0;
  let secondMove = 0;
  let maxJ = -1;
  for (let j = 0; j < k; j++) {
    const move = delta[j] as number;
    if (move > maxMove) {
      secondMove = maxMove;
      maxMove = move;
      maxJ = j;
    } else if (move > secondMove) {
      secondMove = move;
    }
  }
  for (let j = 0; j < k; j++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let other = 0; other < k; other++) {
      if (other === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (centroids[j * d + t] as number) - (centroids[other * d + t] as number);
        s += diff * diff;
      }
      if (s < nearest) nearest = s;
    }
    half[j] = 0.5 * Math.sqrt(nearest);
  }
  return ws.kernels.bounded(
    x,
    n,
    centroids,
    k,
    labels,
    upper,
    lower,
    delta,
    half,
    sums,
    counts,
    maxMove,
    secondMove,
    maxJ,
  );
}

/**
 * Lloyd iterations from `centroids` (updated in place). An iteration is an assignment pass and a
 * centroid update; after the last update one more assignment pass makes labels, distances and the
 * inertia consistent with the returned centroids.
 */
function lloyd(
  ws: Workspace,
  centroids: Float64Array,
  maxIter: number,
  tolerance: number,
): { inertia: number; nIter: number; converged: boolean; emptyClustersReseeded: number } {
  ws.labels.fill(-1);
  fullPass(ws, centroids);
  let nIter = 1;
  let converged = false;
  let emptyClustersReseeded = 0;
  for (;;) {
    emptyClustersReseeded += reseedEmptyClusters(ws);
    const shift = updateCentroids(ws, centroids);
    converged = shift <= tolerance;
    const changed = hamerlyPass(ws, centroids);
    if (converged || nIter >= maxIter) break;
    nIter++;
    if (changed === 0) {
      // Same labels as before the update, hence the same means: the centroids are final.
      converged = true;
      break;
    }
  }
  const inertia = ws.kernels.inertia(ws.x, ws.n, centroids, ws.labels, ws.dist);
  return { inertia, nIter, converged, emptyClustersReseeded };
}

function meanVariance(x: DenseMatrix): number {
  const { data, rows, cols } = x;
  let total = 0;
  for (let t = 0; t < cols; t++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * cols + t] as number;
    mean /= rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) {
      const diff = (data[i * cols + t] as number) - mean;
      variance += diff * diff;
    }
    total += variance / rows;
  }
  return total / cols;
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min))
    throw new KMeansInputError(`${name} must be a whole number >= ${min}, got ${String(value)}`);
  return value;
}

/** Fits k-means; see {@link KMeansOptions} for the initialisation and stopping rules. */
export function fitKMeans(points: PointsInput, options: KMeansOptions): KMeansResult {
  const x = toDenseMatrix(points);
  const k = wholeNumber(options.k, 'k', 1);
  if (x.rows === 0) throw new KMeansInputError('points is empty; k-means needs at least k points');
  if (k > x.rows) throw new KMeansInputError(`k = ${k} exceeds the number of points (${x.rows})`);
  const warm =
    options.initialCentroids === undefined
      ? null
      : toDenseMatrix(options.initialCentroids, 'initialCentroids');
  const nInit = wholeNumber(options.nInit ?? KMEANS_DEFAULTS.nInit, 'nInit', warm ? 0 : 1);
  const maxIter = wholeNumber(options.maxIter ?? KMEANS_DEFAULTS.maxIter, 'maxIter', 1);
  const tol = options.tol ?? KMEANS_DEFAULTS.tol;
  if (!(typeof tol === 'number' && tol >= 0 && Number.isFinite(tol)))
    throw new KMeansInputError(`tol must be a finite number >= 0, got ${String(tol)}`);
  const seed = options.seed ?? KMEANS_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new KMeansInputError(`seed must be an integer, got ${String(seed)}`);
  if (warm && (warm.rows !== k || warm.cols !== x.cols))
    throw new KMeansInputError(
      `initialCentroids is ${warm.rows} x ${warm.cols}; expected k x nFeatures = ${k} x ${x.cols}`,
    );

  const ws = makeWorkspace(x, k);
  const tolerance = tol * meanVariance(x);
  const centroids = new Float64Array(k * x.cols);
  const best = {
    centroids: new Float64Array(k * x.cols),
    labels: new Int32Array(x.rows),
    inertia: Number.POSITIVE_INFINITY,
    nIter: 0,
    converged: false,
    init: 'k-means++' as KMeansInit,
  };
  const runs: KMeansRun[] = [];
  const attempt = (init: KMeansInit, run: number | null) => {
    const outcome = lloyd(ws, centroids, maxIter, tolerance);
    runs.push({ init, run, ...outcome });
    if (outcome.inertia < best.inertia) {
      best.centroids.set(centroids);
      best.labels.set(ws.labels);
      best.inertia = outcome.inertia;
      best.nIter = outcome.nIter;
      best.converged = outcome.converged;
      best.init = init;
    }
  };
  if (warm) {
    centroids.set(warm.data);
    attempt('warm-start', null);
  }
  for (let r = 0; r < nInit; r++) {
    kmeansPlusPlus(ws, centroids, runRandom(seed, r));
    attempt('k-means++', r);
  }
  return {
    k,
    nFeatures: x.cols,
    nSamples: x.rows,
    centroids: best.centroids,
    labels: best.labels,
    inertia: best.inertia,
    nIter: best.nIter,
    converged: best.converged,
    init: best.init,
    runs,
  };
}

/**
 * Closest centroid of every point: labels and squared distances (k × d centroids, row-major).
 * Used by predict and by the silhouette of a fitted model.
 */
export function assignToCentroids(
  points: DenseMatrix,
  centroids: Float64Array,
  k: number,
): { labels: Int32Array; squaredDistances: Float64Array; inertia: number } {
  if (centroids.length !== k * points.cols)
    throw new KMeansInputError(
      `points have ${points.cols} features but the centroids have ${centroids.length / k}`,
    );
  const ws: Workspace = {
    x: points.data,
    n: points.rows,
    d: points.cols,
    k,
    labels: new Int32Array(points.rows).fill(-1),
    dist: new Float64Array(points.rows),
    upper: new Float64Array(0),
    lower: new Float64Array(points.rows),
    delta: new Float64Array(0),
    half: new Float64Array(0),
    sums: new Float64Array(0),
    counts: new Float64Array(0),
    closest: new Float64Array(0),
    cumulative: new Float64Array(0),
    trials: [],
    kernels: kernelsFor(points.cols),
    stats: new Float64Array(1),
  };
  const { inertia } = assignPass(ws, centroids, false);
  return { labels: ws.labels, squaredDistances: ws.dist, inertia };
}
