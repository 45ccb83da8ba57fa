/**
 * Two-sample Kolmogorov–Smirnov test: D = the largest gap between the two empirical CDFs, and the
 * asymptotic two-sided p-value from the Kolmogorov distribution at √(n·m/(n+m))·D (scipy's
 * `kstwobign.sf`). With the thousands of rows a monitored day has, the asymptotic value is what
 * scipy's `ks_2samp` reports too, to a few parts in a thousand (its exact method costs O(n·m)).
 */
export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
}

/** D of two samples already sorted ascending (NaN removed): one merge pass. */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new Error('the KS test needs two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i] as number, b[j] as number);
    // Step past every copy of x on both sides before comparing: ties move both CDFs at once.
    while (i < n && (a[i] as number) <= x) i++;
    while (j < m && (b[j] as number) <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/**
 * P(K > λ) for the Kolmogorov distribution: 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. For small λ the
 * alternating series converges slowly, so there the dual form √(2π)/λ Σ e^{−(2k−1)²π²/(8λ²)} gives
 * the CDF instead.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1) {
    let cdf = 0;
    for (let k = 1; k <= 20; k++)
      cdf += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
    cdf *= Math.sqrt(2 * Math.PI) / lambda;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i] as number)) kept.push(values[i] as number);
  return Float64Array.from(kept).sort();
}

/** The test on two samples sorted ascending (e.g. a stored reference and a period's column). */
export function ksTestSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const statistic = ksStatisticSorted(a, b);
  const en = (a.length * b.length) / (a.length + b.length);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(en) * statistic) };
}

/** The test on two raw samples; NaN and infinite values are left out (missing is not a value). */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ksTestSorted(finiteSorted(a), finiteSorted(b));
}
