/**
 * Summary statistics shared by the feature creator and the drift check. Inputs are finite numbers
 * (callers drop missing values first); an empty input has no statistic and yields null.
 */

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/**
 * Population standard deviation (divide by n, numpy's `np.std` default, pandas `std(ddof=0)`):
 * a chunk is the whole day of a sensor, not a sample of it, and n = 1 then gives 0 rather than
 * no value. Two passes (mean first) so large offsets such as 1013 hPa do not cancel digits away.
 */
export function populationStd(values: ArrayLike<number>, knownMean?: number): number | null {
  if (values.length === 0) return null;
  const m = knownMean ?? (mean(values) as number);
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - m;
    squares += d * d;
  }
  return Math.sqrt(squares / values.length);
}

/**
 * Quantile of ascending values with linear interpolation between closest ranks (numpy's default
 * `method='linear'`, R type 7, pandas `quantile`): position h = (n − 1)·q, value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new Error(`quantile ${q} is outside [0, 1]`);
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return low + (h - lo) * (high - low);
}

/** Ascending copy; a typed array sorts numerically (a plain array's default sort compares strings). */
export function sortedAscending(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Least-squares slope of y on x, Σ(x − x̄)(y − ȳ) / Σ(x − x̄)². Null with fewer than two distinct
 * x: a line through one instant has no slope.
 */
export function leastSquaresSlope(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  if (xs.length !== ys.length) throw new Error(`slope needs as many x (${xs.length}) as y (${ys.length})`);
  const mx = mean(xs);
  const my = mean(ys);
  if (mx === null || my === null) return null;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    sxy += dx * ((ys[i] as number) - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? null : sxy / sxx;
}
