import { KMeansInputError } from './errors.js';
import { type PointsInput, toDenseMatrix } from './matrix.js';
import { runRandom } from './rng.js';

export interface SilhouetteOptions {
  /**
   * Points scored (default 2000). With more points than this, a seeded random sample of this many
   * is scored against itself, as scikit-learn's `sample_size`; otherwise the score is exact.
   * The cost is O(m² × d) for m scored points. `Infinity` always scores every point.
   */
  sampleSize?: number;
  /** Seed of the sample (default 0). */
  seed?: number;
}

export const DEFAULT_SILHOUETTE_SAMPLE = 2000;

/** The indices scored: all points, or a seeded sample without replacement (sorted). */
export function silhouetteSample(n: number, sampleSize: number, seed: number): Int32Array {
  if (n <= sampleSize) return Int32Array.from({ length: n }, (_, i) => i);
  const random = runRandom(seed, 0x5111);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + Math.floor(random() * (n - i));
    const swap = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = swap;
  }
  return pool.subarray(0, sampleSize).sort();
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances: for each point,
 * (b − a) / max(a, b) where a is its mean distance to the other members of its cluster and b the
 * smallest mean distance to another cluster; 0 for a point alone in its cluster. Needs 2..m−1
 * distinct labels among the m scored points.
 */
export function silhouetteScore(
  points: PointsInput,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): number {
  const x = toDenseMatrix(points);
  if (labels.length !== x.rows)
    throw new KMeansInputError(`labels has ${labels.length} entries for ${x.rows} points`);
  const sampleSize = options.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE;
  if (!(sampleSize >= 2)) throw new KMeansInputError(`sampleSize must be >= 2, got ${sampleSize}`);
  const sample = silhouetteSample(x.rows, sampleSize, options.seed ?? 0);
  const m = sample.length;
  const ids = new Map<number, number>();
  const label = new Int32Array(m);
  for (let s = 0; s < m; s++) {
    const raw = labels[sample[s] as number] as number;
    if (!Number.isInteger(raw))
      throw new KMeansInputError(`label ${sample[s]} is ${raw}; expected an integer`);
    if (!ids.has(raw)) ids.set(raw, ids.size);
    label[s] = ids.get(raw) as number;
  }
  const nLabels = ids.size;
  if (nLabels < 2 || nLabels > m - 1)
    throw new KMeansInputError(
      `silhouette needs 2..${m - 1} distinct labels among the ${m} scored points, got ${nLabels}`,
    );
  const sizes = new Float64Array(nLabels);
  for (const l of label) sizes[l] = (sizes[l] as number) + 1;
  const { data, cols } = x;
  // sums[s × nLabels + l]: total distance from scored point s to the scored points of cluster l.
  const sums = new Float64Array(m * nLabels);
  for (let s = 0; s < m; s++) {
    const a = (sample[s] as number) * cols;
    const ls = label[s] as number;
    for (let u = s + 1; u < m; u++) {
      const b = (sample[u] as number) * cols;
      let sq = 0;
      for (let t = 0; t < cols; t++) {
        const diff = (data[a + t] as number) - (data[b + t] as number);
        sq += diff * diff;
      }
      const dist = Math.sqrt(sq);
      const lu = label[u] as number;
      sums[s * nLabels + lu] = (sums[s * nLabels + lu] as number) + dist;
      sums[u * nLabels + ls] = (sums[u * nLabels + ls] as number) + dist;
    }
  }
  let total = 0;
  for (let s = 0; s < m; s++) {
    const own = label[s] as number;
    const ownSize = sizes[own] as number;
    if (ownSize <= 1) continue; // a singleton scores 0
    const a = (sums[s * nLabels + own] as number) / (ownSize - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let l = 0; l < nLabels; l++) {
      if (l === own) continue;
      const mean = (sums[s * nLabels + l] as number) / (sizes[l] as number);
      if (mean < b) b = mean;
    }
    const denominator = Math.max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / m;
}
