/**
 * A running normal distribution with River's `proba.Gaussian` semantics (Welford's mean and sum
 * of squares, sample variance with ddof 1), kept as three numbers so the models that hold many of
 * them (Gaussian naive Bayes, the tree's attribute observers) can store them flat and as JSON.
 */

const SQRT_TAU = Math.sqrt(2 * Math.PI);

/** The running moments of one distribution: weight seen, mean, sum of squared deviations. */
export interface GaussianMoments {
  n: number;
  mean: number;
  s: number;
}

export function emptyGaussian(): GaussianMoments {
  return { n: 0, mean: 0, s: 0 };
}

/** River's `stats.Var.update`: weighted Welford. */
export function updateGaussian(g: GaussianMoments, x: number, w = 1): void {
  const oldMean = g.mean;
  g.n += w;
  g.mean = oldMean + (w / g.n) * (x - oldMean);
  g.s += w * (x - oldMean) * (x - g.mean);
}

/** Sample variance (ddof 1); 0 until more than one value was seen, as River's `Var.get`. */
export function gaussianVariance(n: number, s: number): number {
  return n > 1 ? s / (n - 1) : 0;
}

/** The density at x; 0 when the variance is 0 (River returns 0 rather than a spike). */
export function gaussianPdf(n: number, mean: number, s: number, x: number): number {
  const variance = gaussianVariance(n, s);
  if (variance === 0) return 0;
  const d = x - mean;
  return Math.exp((d * d) / (-2 * variance)) / (SQRT_TAU * Math.sqrt(variance));
}

/** P(X ≤ x); 0 when the deviation is 0 (River's cdf catches the division by zero and says 0). */
export function gaussianCdf(n: number, mean: number, s: number, x: number): number {
  const sigma = Math.sqrt(gaussianVariance(n, s));
  if (sigma === 0) return 0;
  return 0.5 * (1 + erf((x - mean) / (sigma * Math.SQRT2)));
}

/**
 * The error function to about 1e-15 relative error (JavaScript has none built in): the Maclaurin
 * series for small |x|, a continued fraction for erfc beyond, which is where split points on a
 * Gaussian's tail land.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/√π · Σ (-1)^k x^(2k+1) / (k! (2k+1))
    let sum = ax;
    let term = ax;
    const x2 = ax * ax;
    for (let k = 1; k < 100; k++) {
      term *= -x2 / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const value = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -value : value;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …))))), evaluated bottom-up.
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  const value = 1 - erfc;
  return x < 0 ? -value : value;
}
