/**
 * A one-to-one map between all real vectors and the coefficients of stationary (or invertible)
 * lag polynomials 1 − c1·B − … − ck·B^k, through partial autocorrelations in (−1, 1) and the
 * Durbin–Levinson recursion (Monahan 1984; statsmodels enforces stationarity the same way).
 * An optimiser then searches freely and every point it visits is a valid model. Box–Jenkins MA
 * coefficients have the same form (1 − θ1·B − …), so one map serves AR, MA, SAR and SMA.
 */

/** Bounded away from ±1 so a root exactly on the unit circle is never reached. */
const MAX_PARTIAL = 1 - 1e-9;

/** Unconstrained values → polynomial coefficients (all roots outside the unit circle). */
export function constrainPolynomial(free: readonly number[]): number[] {
  let coefficients: number[] = [];
  for (const u of free) {
    const partial = Math.tanh(u) * MAX_PARTIAL;
    const next = coefficients.map(
      (c, i) => c - partial * (coefficients[coefficients.length - 1 - i] as number),
    );
    next.push(partial);
    coefficients = next;
  }
  return coefficients;
}

/**
 * Polynomial coefficients → unconstrained values, the inverse of `constrainPolynomial`. Returns
 * null when the polynomial has a root on or inside the unit circle.
 */
export function unconstrainPolynomial(coefficients: readonly number[]): number[] | null {
  let current = [...coefficients];
  const free = new Array<number>(coefficients.length).fill(0);
  for (let k = current.length - 1; k >= 0; k--) {
    const partial = current[k] as number;
    if (!(Math.abs(partial) < MAX_PARTIAL)) return null;
    free[k] = Math.atanh(partial / MAX_PARTIAL);
    const scale = 1 - partial * partial;
    current = current.slice(0, k).map((c, i) => (c + partial * (current[k - 1 - i] as number)) / scale);
  }
  return free;
}

/**
 * The nearest valid polynomial to a start that is not: partial autocorrelations are clipped,
 * shrinking the coefficients until the recursion accepts them.
 */
export function unconstrainShrinking(coefficients: readonly number[]): number[] {
  let shrink = 1;
  for (let attempt = 0; attempt < 60; attempt++) {
    const free = unconstrainPolynomial(coefficients.map((c) => c * shrink));
    if (free) return free;
    shrink *= 0.9;
  }
  return coefficients.map(() => 0);
}
