import { quantileSorted, sortedAscending } from '../features/stats.js';

/**
 * Population stability index: Σ over bins (c − r)·ln(c / r), with r and c the reference's and the
 * current window's shares of values in each bin. Bins are cut at the reference's quantiles, so
 * each holds about 1/bins of the reference and the index weighs every part of its range alike.
 */

/**
 * Interior bin edges: the reference's quantiles at 1/bins, 2/bins, … (linear interpolation), with
 * repeats removed. A value v falls in the first bin whose edge is ≥ v, or in the last bin. Ties in
 * the reference (counts, constant features) merge bins, so fewer than `bins` may remain.
 */
export function quantileBinEdges(reference: ArrayLike<number>, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`bins must be an integer ≥ 2, got ${bins}`);
  if (reference.length === 0) throw new Error('PSI needs a non-empty reference');
  const sorted = sortedAscending(reference);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = quantileSorted(sorted, i / bins) as number;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

/** Share of values per bin (edges.length + 1 bins), by binary search over the edges. */
export function binShares(values: ArrayLike<number>, edges: readonly number[]): number[] {
  if (values.length === 0) throw new Error('bin shares of an empty window');
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= (edges[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts.map((count) => count / values.length);
}

/**
 * PSI of two share vectors. An empty bin's share becomes `epsilon` (the others are left as they
 * are): without it one empty bin makes the index infinite, which says "different" but not how much.
 */
export function psiFromShares(
  reference: readonly number[],
  current: readonly number[],
  epsilon: number,
): number {
  if (reference.length !== current.length) throw new Error('PSI needs the same bins on both sides');
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] as number, epsilon);
    const c = Math.max(current[i] as number, epsilon);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

export function psi(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: { bins?: number; epsilon?: number } = {},
): number {
  const edges = quantileBinEdges(reference, options.bins ?? 10);
  return psiFromShares(binShares(reference, edges), binShares(current, edges), options.epsilon ?? 1e-4);
}
