import { starma } from './as154-starma.js';
import { predictCovariance, predictState } from './karma-steps.js';
import type { StateSpaceCoefficients } from './polynomials.js';

/**
 * The filter state at the end of the training window, which is all a forecast needs.
 * State vector x = [a (r ARMA states), u (the id = d + s·D working values before the last one,
 * newest first)], covariance P (dense, (r+id)²).
 */
export interface FinalFilterState {
  a: number[];
  P: number[][];
  /** Mean squared standardized innovation over the window: multiplies the unit-scale MSE. */
  varianceScale: number;
}

/**
 * Runs the Kalman filter of AS 154 (`karma`) over the differenced working series with the fitted
 * coefficients, from the stationary P0 of `starma`, and sets up the differencing states exactly as
 * AS 182 (`forkal`, ctsa's `sarimax_predict`) does before it predicts.
 *
 * `working` is y - mean - X·beta on the model scale (mean only when d + D = 0), length N > id.
 */
export function finalFilterState(
  coefficients: StateSpaceCoefficients,
  working: readonly number[],
): FinalFilterState {
  const { ip, iq, r: ir, delta } = coefficients;
  const id = delta.length;
  const n = working.length;
  const nt = n - id;
  if (nt < 1) throw new Error(`the window (${n} points) is shorter than the differencing (${id})`);
  const np = (ir * (ir + 1)) / 2;
  const phi = Float64Array.from(coefficients.phi);
  const theta = Float64Array.from(coefficients.theta);
  const A = new Float64Array(ir);
  const P = new Float64Array(np);
  const V = new Float64Array(np);
  V[0] = 1;
  if (ir === 1) {
    P[0] = 1 / (1 - (phi[0] as number) ** 2);
  } else if (!starma(ip, iq, phi, theta, P, V)) {
    throw new Error('starma rejected the coefficients');
  }

  // Difference the working series: w[t] = y[t+id] - Σ delta[k] y[t+id-1-k].
  const w = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    let value = working[t + id] as number;
    for (let k = 0; k < id; k++) value -= (delta[k] as number) * (working[t + id - 1 - k] as number);
    w[t] = value;
  }

  // karma with iupd = 1: the first observation is filtered against P0 without a prediction step.
  let ssq = 0;
  for (let i = 0; i < nt; i++) {
    const wnext = w[i] as number;
    if (i > 0) {
      predictState(A, phi, ip, ir);
      predictCovariance(P, V, ir);
    }
    const ft = Math.abs(P[0] as number);
    const ut = wnext - (A[0] as number);
    if (ir !== 1) {
      let ind = ir;
      for (let j = 1; j < ir; j++) {
        const g = (P[j] as number) / ft;
        A[j] = (A[j] as number) + g * ut;
        for (let l = j; l < ir; l++) {
          P[ind] = (P[ind] as number) - g * (P[l] as number);
          ind++;
        }
      }
    }
    A[0] = wnext;
    for (let l = 0; l < ir; l++) P[l] = 0;
    ssq += (ut * ut) / ft;
  }

  // Dense state: ARMA block from the packed P, zero covariance for the known past values.
  const dim = ir + id;
  const dense = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  let ind = 0;
  for (let i = 0; i < ir; i++) {
    for (let j = i; j < ir; j++) {
      const value = P[ind++] as number;
      (dense[i] as number[])[j] = value;
      (dense[j] as number[])[i] = value;
    }
  }
  // u[k] = working[n - 2 - k]: the filter's last differenced value a[0] = w[N-1] rebuilds y[N-1]
  // on the first forecast step from these (as forkal's `store`).
  const a = [...A, ...Array.from({ length: id }, (_, k) => working[n - 2 - k] as number)];
  return { a, P: dense, varianceScale: ssq / nt };
}
