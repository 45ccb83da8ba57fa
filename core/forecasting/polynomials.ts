import type { SarimaxOrder } from './types.js';

/**
 * The expanded lag polynomials of a seasonal model, in the sign conventions of the state space
 * (AS 154/182 as used by ctsa's `sarimax_predict`):
 *   w[t] = sum phi[k] w[t-1-k] + e[t] + sum theta[k] e[t-1-k]      (ARMA part, "plus" MA signs)
 *   y[t] = w[t] + sum delta[k] y[t-1-k]                             (undoing the differencing)
 * The library reports MA coefficients in Box–Jenkins form (1 - θB), so theta = -ma.
 */

/** phi(B)·Phi(B^s) as x[t] = Σ phi[k] x[t-1-k]: length p + s·P. */
export function expandAr(ar: readonly number[], sar: readonly number[], s: number): number[] {
  const phi = new Array<number>(ar.length + s * sar.length).fill(0);
  ar.forEach((value, i) => {
    phi[i] = value;
  });
  sar.forEach((seasonal, j) => {
    phi[(j + 1) * s - 1] = (phi[(j + 1) * s - 1] ?? 0) + seasonal;
    ar.forEach((value, i) => {
      phi[(j + 1) * s + i] = (phi[(j + 1) * s + i] ?? 0) - value * seasonal;
    });
  });
  return phi;
}

/** theta(B)·Theta(B^s) in "plus" form from Box–Jenkins coefficients: length q + s·Q. */
export function expandMa(ma: readonly number[], sma: readonly number[], s: number): number[] {
  const theta = new Array<number>(ma.length + s * sma.length).fill(0);
  ma.forEach((value, i) => {
    theta[i] = -value;
  });
  sma.forEach((seasonal, j) => {
    theta[(j + 1) * s - 1] = (theta[(j + 1) * s - 1] ?? 0) - seasonal;
    ma.forEach((value, i) => {
      theta[(j + 1) * s + i] = (theta[(j + 1) * s + i] ?? 0) + value * seasonal;
    });
  });
  return theta;
}

/** Coefficients of (1-B)^n·(1-B^s)^m, constant term first. */
function differencingPolynomial(d: number, D: number, s: number): number[] {
  let poly = [1];
  const multiply = (factor: number[]) => {
    const out = new Array<number>(poly.length + factor.length - 1).fill(0);
    poly.forEach((a, i) => {
      factor.forEach((b, j) => {
        out[i + j] = (out[i + j] ?? 0) + a * b;
      });
    });
    poly = out;
  };
  for (let k = 0; k < d; k++) multiply([1, -1]);
  const seasonal = new Array<number>(s + 1).fill(0);
  seasonal[0] = 1;
  seasonal[s] = -1;
  for (let k = 0; k < D; k++) multiply(seasonal);
  return poly;
}

/** delta with y[t] = w[t] + Σ delta[k] y[t-1-k]: length d + s·D. */
export function differencingDelta(order: SarimaxOrder): number[] {
  return differencingPolynomial(order.d, order.D, order.s)
    .slice(1)
    .map((c) => -c);
}

/** The polynomials of an order and its coefficients, padded to the state size r = max(p', q'+1). */
export interface StateSpaceCoefficients {
  /** length r */
  phi: number[];
  /** length r (entries past q' are 0) */
  theta: number[];
  delta: number[];
  /** Non-seasonal-equivalent AR and MA orders p + sP and q + sQ. */
  ip: number;
  iq: number;
  r: number;
}

export function stateSpaceCoefficients(
  order: SarimaxOrder,
  coefficients: { ar: number[]; ma: number[]; sar: number[]; sma: number[] },
): StateSpaceCoefficients {
  const phi = expandAr(coefficients.ar, coefficients.sar, order.s);
  const theta = expandMa(coefficients.ma, coefficients.sma, order.s);
  const ip = phi.length;
  const iq = theta.length;
  const r = Math.max(ip, iq + 1);
  const pad = (values: number[]) => [...values, ...new Array<number>(r - values.length).fill(0)];
  return { phi: pad(phi), theta: pad(theta), delta: differencingDelta(order), ip, iq, r };
}
