import type { FeatureMatrix } from './validate.js';

/** Bin code of a missing (NaN) value; value bins are 0..maxBins-1 ≤ 254. */
export const MISSING_BIN = 255;

/** Values sampled per feature to place the quantile edges (as LightGBM/HistGradientBoosting do). */
const EDGE_SAMPLE = 200_000;

/**
 * Features binned once per forest: `codes` is column-major (feature f occupies
 * [f·rows, (f+1)·rows)) and `edges[f]` are the raw-unit thresholds between value bins, so that
 * code(v) = the first i with v ≤ edges[f][i] (or edges[f].length). A split "code ≤ b" is therefore
 * exactly "value ≤ edges[f][b]", which lets trees store raw thresholds and predict on raw rows.
 */
export interface BinnedFeatures {
  rows: number;
  features: number;
  codes: Uint8Array;
  edges: Float64Array[];
}

/**
 * Thresholds for one feature: midpoints between neighbouring distinct values when there are few
 * distinct values, otherwise midpoints at (roughly) equal-count quantiles. `sorted` holds the
 * feature's non-missing values in ascending order.
 */
export function binEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const edges: number[] = [];
  if (n === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < n && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++) {
      const a = sorted[i - 1] as number;
      const b = sorted[i] as number;
      if (a !== b) edges.push(a + (b - a) / 2);
    }
    return Float64Array.from(edges);
  }
  for (let k = 1; k < maxBins; k++) {
    // The value at this quantile closes a bin; the edge sits halfway to the next larger value.
    const a = sorted[Math.floor((k * n) / maxBins) - 1] as number;
    const next = upperBound(sorted, a);
    if (next >= n) break;
    const b = sorted[next] as number;
    const edge = a + (b - a) / 2;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** First index whose value is greater than `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bin code of one raw value. */
export function binOf(edges: Float64Array, value: number): number {
  if (Number.isNaN(value)) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins every feature of a validated matrix. */
export function binFeatures(features: FeatureMatrix, width: number, maxBins: number): BinnedFeatures {
  const rows = features.length;
  const codes = new Uint8Array(rows * width);
  const edges: Float64Array[] = [];
  const column = new Float64Array(rows);
  // A fixed stride sample keeps edge placement deterministic and cheap on very large inputs.
  const stride = Math.max(1, Math.ceil(rows / EDGE_SAMPLE));
  for (let f = 0; f < width; f++) {
    let present = 0;
    for (let i = 0; i < rows; i += stride) {
      const value = (features[i] as ArrayLike<number>)[f] as number;
      if (!Number.isNaN(value)) column[present++] = value;
    }
    const sorted = column.subarray(0, present).sort();
    const featureEdges = binEdges(sorted, maxBins);
    edges.push(featureEdges);
    const offset = f * rows;
    for (let i = 0; i < rows; i++) {
      codes[offset + i] = binOf(featureEdges, (features[i] as ArrayLike<number>)[f] as number);
    }
  }
  return { rows, features: width, codes, edges };
}
