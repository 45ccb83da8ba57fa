import { starma } from './as154-starma.js';
import { predictCovariance, predictState } from './karma-steps.js';
import { differencingDelta, type StateSpaceCoefficients, stateSpaceCoefficients } from './polynomials.js';
import type { SarimaxOrder } from './types.js';

/**
 * The exact Gaussian likelihood of a SARIMAX model, on the definition ctsa and statsmodels share:
 * the ARMA part's likelihood of the differenced series (d, D) minus the differenced regressors,
 * from the stationary initial covariance (AS 154). statsmodels' diffuse likelihood of the
 * undifferenced series equals it; the bench checks that on every grid case.
 *
 * The regression coefficients are profiled out: for given ARMA coefficients the filter runs over
 * the target and every regressor column at once (the gains do not depend on the data), and
 * generalised least squares on the innovations gives the best coefficients in closed form. So an
 * optimiser only searches the few ARMA coefficients, and every point it visits has the best β.
 */

/** The data of one fit after differencing: what the likelihood is evaluated on. */
export interface DifferencedProblem {
  readonly order: SarimaxOrder;
  /** Differenced model-scale target, length nt = n − d − s·D. */
  readonly target: Float64Array;
  /** Differenced regressor columns (a column of ones first when the model has a mean). */
  readonly columns: readonly Float64Array[];
  readonly hasMean: boolean;
  /**
   * A residual sum of squares at or below this is no variance at all (a constant series, or one
   * the regressors explain exactly): its likelihood is unbounded, so it cannot be fitted.
   */
  readonly noVariance: number;
}

export interface ArmaCoefficients {
  ar: number[];
  /** Box–Jenkins signs, as the library and the artifact keep them. */
  ma: number[];
  sar: number[];
  sma: number[];
}

export interface LikelihoodValue {
  logLikelihood: number;
  /** Innovation variance at its maximum-likelihood value ssq / nt. */
  sigma2: number;
  /** Regression coefficients, in `columns` order (the mean first when there is one). */
  beta: number[];
  /** Observations the likelihood is over (after differencing). */
  nUsed: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** Once the one-step variance is this close to its limit, the filter's gains have converged. */
const STEADY_STATE = 1e-9;

/** Applies (1−B)^d (1−B^s)^D: the first d + s·D points are consumed. */
export function difference(values: ArrayLike<number>, delta: readonly number[]): Float64Array {
  const id = delta.length;
  const out = new Float64Array(Math.max(0, values.length - id));
  for (let t = 0; t < out.length; t++) {
    let value = values[t + id] as number;
    for (let k = 0; k < id; k++) value -= (delta[k] as number) * (values[t + id - 1 - k] as number);
    out[t] = value;
  }
  return out;
}

/**
 * Differences the target and the regressors of a fit. ctsa (and so this core) estimates a mean
 * only for a model without differencing; it enters as a regressor of ones.
 */
export function differencedProblem(
  order: SarimaxOrder,
  values: readonly number[],
  exogColumns: readonly (readonly number[])[],
): DifferencedProblem {
  const delta = differencingDelta(order);
  const hasMean = order.d + order.D === 0;
  const columns = [
    ...(hasMean ? [new Float64Array(values.length).fill(1)] : []),
    ...exogColumns.map((column) => difference(column, delta)),
  ];
  const target = difference(values, delta);
  const scale = target.reduce((sum, v) => sum + v * v, 0);
  return { order, target, columns, hasMean, noVariance: 1e-20 * scale };
}

/** P0 of AS 154 in packed form (upper triangle row by row), in units of the innovation variance. */
export function stationaryCovariance(coefficients: StateSpaceCoefficients): Float64Array | null {
  const { ip, iq, r } = coefficients;
  const P = new Float64Array((r * (r + 1)) / 2);
  if (r === 1) {
    const phi = coefficients.phi[0] as number;
    if (!(Math.abs(phi) < 1)) return null;
    P[0] = 1 / (1 - phi * phi);
    return P;
  }
  const V = new Float64Array(P.length);
  const ok = starma(ip, iq, Float64Array.from(coefficients.phi), Float64Array.from(coefficients.theta), P, V);
  return ok && P.every(Number.isFinite) ? P : null;
}

/**
 * Runs the AS 154 filter (`karma`) over several series with the same ARMA coefficients and returns
 * the cross products of their standardised innovations and Σ log F. Series 0 is the target.
 * After the one-step variance converges, the innovations follow from the ARMA recursion alone
 * (karma's "quick recursions"), which is what makes a long window cheap.
 */
function filterCrossProducts(
  coefficients: StateSpaceCoefficients,
  P0: Float64Array,
  series: readonly Float64Array[],
): { cross: Float64Array; sumLog: number } | null {
  const { r: ir, ip, iq } = coefficients;
  const phi = coefficients.phi;
  const theta = coefficients.theta;
  const m = series.length;
  const n = (series[0] as Float64Array).length;
  const P = Float64Array.from(P0);
  // V = packed v·v' with v = [1, theta...]: the covariance the shock adds to the state.
  const V = new Float64Array(P.length);
  {
    const v = [1, ...theta.slice(0, ir - 1)];
    let ind = 0;
    for (let i = 0; i < ir; i++) for (let j = i; j < ir; j++) V[ind++] = (v[i] as number) * (v[j] as number);
  }
  const A = Array.from({ length: m }, () => new Float64Array(ir));
  const innovations = new Float64Array(m);
  const residuals = Array.from({ length: m }, () => new Float64Array(n));
  const cross = new Float64Array(m * m);
  let sumLog = 0;
  let steady = -1;

  for (let i = 0; i < n; i++) {
    if (i > 0) {
      for (const a of A) predictState(a, phi, ip, ir);
      predictCovariance(P, V, ir);
    }
    const ft = P[0] as number;
    if (!(ft > 0) || !Number.isFinite(ft)) return null;
    const sqrtF = Math.sqrt(ft);
    for (let k = 0; k < m; k++) {
      const a = A[k] as Float64Array;
      const value = (series[k] as Float64Array)[i] as number;
      const ut = value - (a[0] as number);
      innovations[k] = ut;
      (residuals[k] as Float64Array)[i] = ut / sqrtF;
      a[0] = value;
    }
    if (ir !== 1) {
      let ind = ir;
      for (let j = 1; j < ir; j++) {
        const g = (P[j] as number) / ft;
        for (let k = 0; k < m; k++) {
          const a = A[k] as Float64Array;
          a[j] = (a[j] as number) + g * (innovations[k] as number);
        }
        for (let l = j; l < ir; l++) {
          P[ind] = (P[ind] as number) - g * (P[l] as number);
          ind++;
        }
      }
    }
    for (let l = 0; l < ir; l++) P[l] = 0;
    sumLog += Math.log(ft);
    if (ft - 1 < STEADY_STATE) {
      steady = i + 1;
      break;
    }
  }

  if (steady > 0) {
    // Quick recursions: e[t] = w[t] − Σ phi w[t−1−j] − Σ theta e[t−1−j], with F = 1.
    const arLags: number[] = [];
    const maLags: number[] = [];
    for (let j = 0; j < ip; j++) if (phi[j] !== 0) arLags.push(j);
    for (let j = 0; j < iq; j++) if (theta[j] !== 0) maLags.push(j);
    for (let k = 0; k < m; k++) {
      const w = series[k] as Float64Array;
      const e = residuals[k] as Float64Array;
      for (let t = steady; t < n; t++) {
        let value = w[t] as number;
        for (const j of arLags) if (t - 1 - j >= 0) value -= (phi[j] as number) * (w[t - 1 - j] as number);
        for (const j of maLags) if (t - 1 - j >= 0) value -= (theta[j] as number) * (e[t - 1 - j] as number);
        e[t] = value;
      }
    }
  }

  for (let a = 0; a < m; a++) {
    const ea = residuals[a] as Float64Array;
    for (let b = a; b < m; b++) {
      const eb = residuals[b] as Float64Array;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (ea[t] as number) * (eb[t] as number);
      cross[a * m + b] = sum;
      cross[b * m + a] = sum;
    }
  }
  return { cross, sumLog };
}

function concentrated(
  sumSquares: number,
  sumLog: number,
  n: number,
): { logLikelihood: number; sigma2: number } {
  const sigma2 = sumSquares / n;
  return { logLikelihood: -0.5 * (n * (LOG_2PI + Math.log(sigma2) + 1) + sumLog), sigma2 };
}

/** The likelihood at given ARMA coefficients with the best regression coefficients (GLS). */
export function profileLikelihood(
  problem: DifferencedProblem,
  arma: ArmaCoefficients,
): LikelihoodValue | null {
  const coefficients = stateSpaceCoefficients(problem.order, arma);
  const P0 = stationaryCovariance(coefficients);
  if (!P0) return null;
  const series = [problem.target, ...problem.columns];
  const filtered = filterCrossProducts(coefficients, P0, series);
  if (!filtered) return null;
  const m = series.length;
  const k = m - 1;
  const { cross } = filtered;
  const xx = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => cross[(a + 1) * m + b + 1] as number),
  );
  const xy = Array.from({ length: k }, (_, a) => cross[(a + 1) * m] as number);
  const beta = k > 0 ? solveSymmetric(xx, xy) : [];
  if (!beta) return null;
  let ssq = cross[0] as number;
  beta.forEach((b, a) => {
    ssq -= b * (xy[a] as number);
  });
  const n = problem.target.length;
  // What the regression leaves must stand clear of the rounding in the subtraction above.
  if (!(ssq > Math.max(problem.noVariance, 1e-12 * (cross[0] as number)))) return null;
  const value = concentrated(ssq, filtered.sumLog, n);
  return Number.isFinite(value.logLikelihood) ? { ...value, beta, nUsed: n } : null;
}

/** The likelihood at given ARMA and regression coefficients (`beta` in `columns` order). */
export function fixedLikelihood(
  problem: DifferencedProblem,
  arma: ArmaCoefficients,
  beta: readonly number[],
): LikelihoodValue | null {
  const coefficients = stateSpaceCoefficients(problem.order, arma);
  const P0 = stationaryCovariance(coefficients);
  if (!P0) return null;
  const working = Float64Array.from(problem.target);
  problem.columns.forEach((column, j) => {
    const b = beta[j] as number;
    for (let t = 0; t < working.length; t++) working[t] = (working[t] as number) - b * (column[t] as number);
  });
  const filtered = filterCrossProducts(coefficients, P0, [working]);
  if (!filtered || !((filtered.cross[0] as number) > problem.noVariance)) return null;
  const value = concentrated(filtered.cross[0] as number, filtered.sumLog, working.length);
  return Number.isFinite(value.logLikelihood) ? { ...value, beta: [...beta], nUsed: working.length } : null;
}

/** Cholesky solve of a symmetric positive definite system; null when it is not (collinear regressors). */
export function solveSymmetric(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
): number[] | null {
  const n = rhs.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (matrix[i] as number[])[j] as number;
      for (let k = 0; k < j; k++)
        sum -= ((L[i] as number[])[k] as number) * ((L[j] as number[])[k] as number);
      if (i === j) {
        if (!(sum > 1e-12 * Math.abs((matrix[i] as number[])[i] as number))) return null;
        (L[i] as number[])[i] = Math.sqrt(sum);
      } else (L[i] as number[])[j] = sum / ((L[j] as number[])[j] as number);
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i] as number;
    for (let k = 0; k < i; k++) sum -= ((L[i] as number[])[k] as number) * (y[k] as number);
    y[i] = sum / ((L[i] as number[])[i] as number);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= ((L[k] as number[])[i] as number) * (x[k] as number);
    x[i] = sum / ((L[i] as number[])[i] as number);
  }
  return x;
}
