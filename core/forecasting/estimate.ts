import {
  type ArmaCoefficients,
  type DifferencedProblem,
  type LikelihoodValue,
  profileLikelihood,
  solveSymmetric,
} from './exact-likelihood.js';
import { minimize } from './minimize.js';
import { expandAr, expandMa } from './polynomials.js';
import { constrainPolynomial, unconstrainShrinking } from './stationary-transform.js';
import type { SarimaxOrder } from './types.js';

/**
 * Exact maximum likelihood for SARIMAX. The optimiser searches the ARMA coefficients in a
 * transformed space where every point is stationary and invertible, with the regression
 * coefficients and the variance profiled out, from conditional-sum-of-squares estimates (the
 * classic start). A cheap second start from zero then checks the optimum: when it climbs clearly
 * above the first within a few iterations, the likelihood has another, better optimum; it is
 * followed to the end, the better fit is kept, and the fit says it is in doubt.
 */

/** Where a start came from: conditional-sum-of-squares estimates, or all coefficients zero. */
export type StartName = 'css' | 'zero';

export interface StartOutcome {
  start: StartName;
  /** The exact log-likelihood the optimiser ended at (null: it could not evaluate the start). */
  logLikelihood: number | null;
  iterations: number;
  converged: boolean;
  stopped: string;
}

export interface ExactFit {
  arma: ArmaCoefficients;
  likelihood: LikelihoodValue;
  /** The start whose optimum won. */
  path: StartName;
  starts: StartOutcome[];
  /** Set when the second start beat the first clearly: the fit must not decide a promotion. */
  doubt: string | null;
}

export interface ExactFitOptions {
  /** performance.now() time after which the optimiser stops: the fit then fails. */
  deadline: number;
  /** Iterations of the first start at most. @default 200 */
  maxIterations?: number;
}

export const DEFAULT_MAX_ITERATIONS = 200;
/** The second start's budget: cheap, yet enough to leave a poor optimum far behind. */
export const CHECK_ITERATIONS = 10;
/** Per-observation objective: 1e-10 is a log-likelihood change of about 1e-6 on 10,000 points. */
const TOLERANCE = 1e-10;

/** "Clearly below": more than 1 unit of log-likelihood (2 of AIC) and more than 0.1% of it. */
export function clearlyBelow(value: number, reference: number): boolean {
  return reference - value > Math.max(1, 0.001 * Math.abs(reference));
}

export async function fitExact(
  problem: DifferencedProblem,
  options: ExactFitOptions,
): Promise<ExactFit | { failed: string }> {
  const { order } = problem;
  const n = problem.target.length;
  const objective = (x: readonly number[]) => {
    const value = profileLikelihood(problem, fromFree(order, x));
    return value ? -value.logLikelihood / n : Number.POSITIVE_INFINITY;
  };
  const run = async (start: StartName, x: readonly number[], maxIterations: number) => {
    const result = await minimize(objective, x, {
      maxIterations,
      tolerance: TOLERANCE,
      deadline: options.deadline,
    });
    const arma = fromFree(order, result.x);
    const likelihood = Number.isFinite(result.value) ? profileLikelihood(problem, arma) : null;
    const outcome: StartOutcome = {
      start,
      logLikelihood: likelihood?.logLikelihood ?? null,
      iterations: result.iterations,
      converged: result.converged,
      stopped: result.stopped,
    };
    return { x: result.x, arma, likelihood, outcome };
  };

  // All coefficients zero is always a valid model: if it has no likelihood, nothing has.
  if (!profileLikelihood(problem, zeroArma(order)))
    return {
      failed: 'the likelihood cannot be evaluated (no variance left after differencing and regression)',
    };
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  let primary = await run('css', toFree(await cssEstimate(problem, options.deadline)), maxIterations);
  // CSS estimates can sit where the exact likelihood is not finite; the zero start then leads.
  if (!primary.likelihood && primary.outcome.stopped !== 'deadline')
    primary = await run('zero', toFree(zeroArma(order)), maxIterations);
  if (primary.outcome.stopped === 'deadline')
    return {
      failed: `time limit: the optimiser had not converged when the limit was reached (after ${primary.outcome.iterations} iterations)`,
    };
  if (!primary.likelihood) return { failed: 'the likelihood cannot be evaluated from either start' };

  const starts = [primary.outcome];
  let best = { arma: primary.arma, likelihood: primary.likelihood, path: primary.outcome.start };
  let doubt: string | null = null;
  // The zero start already led when the CSS one could not be evaluated: no second start then.
  const check =
    primary.outcome.start === 'zero' ? null : await run('zero', toFree(zeroArma(order)), CHECK_ITERATIONS);
  if (check?.likelihood && clearlyBelow(primary.likelihood.logLikelihood, check.likelihood.logLikelihood)) {
    const followed = await run('zero', check.x, DEFAULT_MAX_ITERATIONS);
    starts.push({ ...followed.outcome, iterations: check.outcome.iterations + followed.outcome.iterations });
    const reached = followed.likelihood ?? check.likelihood;
    if (followed.likelihood && followed.likelihood.logLikelihood > best.likelihood.logLikelihood)
      best = { arma: followed.arma, likelihood: followed.likelihood, path: 'zero' };
    doubt = `the optimiser from CSS estimates stopped at log-likelihood ${primary.likelihood.logLikelihood.toFixed(2)}; a second start from zero reached ${check.likelihood.logLikelihood.toFixed(2)} within ${CHECK_ITERATIONS} iterations (${reached.logLikelihood.toFixed(2)} when followed): the optimum depends on where the search starts`;
  } else if (check) starts.push(check.outcome);
  return { ...best, starts, doubt };
}

/** Unconstrained optimiser coordinates → coefficients, in the order ar, ma, sar, sma. */
function fromFree(order: SarimaxOrder, x: readonly number[]): ArmaCoefficients {
  const ends = [
    order.p,
    order.p + order.q,
    order.p + order.q + order.P,
    order.p + order.q + order.P + order.Q,
  ];
  const part = (k: number) => constrainPolynomial(x.slice(k === 0 ? 0 : ends[k - 1], ends[k]));
  return { ar: part(0), ma: part(1), sar: part(2), sma: part(3) };
}

function toFree(arma: ArmaCoefficients): number[] {
  return [
    ...unconstrainShrinking(arma.ar),
    ...unconstrainShrinking(arma.ma),
    ...unconstrainShrinking(arma.sar),
    ...unconstrainShrinking(arma.sma),
  ];
}

function zeroArma(order: SarimaxOrder): ArmaCoefficients {
  const zeros = (k: number) => new Array<number>(k).fill(0);
  return { ar: zeros(order.p), ma: zeros(order.q), sar: zeros(order.P), sma: zeros(order.Q) };
}

/**
 * Conditional-sum-of-squares estimates (the classic cheap start): the regression by ordinary
 * least squares on the differenced data, then the ARMA coefficients that minimise the squared
 * one-step errors with the pre-sample errors set to zero.
 */
export async function cssEstimate(problem: DifferencedProblem, deadline: number): Promise<ArmaCoefficients> {
  const { order, target, columns } = problem;
  const n = target.length;
  const working = Float64Array.from(target);
  if (columns.length > 0) {
    const k = columns.length;
    const xx = Array.from({ length: k }, (_, a) =>
      Array.from({ length: k }, (_, b) => dotColumns(columns[a] as Float64Array, columns[b] as Float64Array)),
    );
    const xy = columns.map((column) => dotColumns(column, target));
    const beta = solveSymmetric(xx, xy);
    if (beta)
      columns.forEach((column, j) => {
        for (let t = 0; t < n; t++)
          working[t] = (working[t] as number) - (beta[j] as number) * (column[t] as number);
      });
  }
  const residuals = new Float64Array(n);
  const objective = (x: readonly number[]) => {
    const arma = fromFree(order, x);
    const phi = expandAr(arma.ar, arma.sar, order.s);
    const theta = expandMa(arma.ma, arma.sma, order.s);
    const arLags = phi.flatMap((c, j) => (c !== 0 ? [j] : []));
    const maLags = theta.flatMap((c, j) => (c !== 0 ? [j] : []));
    const skip = phi.length;
    let ssq = 0;
    for (let t = 0; t < n; t++) {
      if (t < skip) {
        residuals[t] = 0;
        continue;
      }
      let e = working[t] as number;
      for (const j of arLags) e -= (phi[j] as number) * (working[t - 1 - j] as number);
      for (const j of maLags)
        if (t - 1 - j >= 0) e -= (theta[j] as number) * (residuals[t - 1 - j] as number);
      residuals[t] = e;
      ssq += e * e;
    }
    return ssq / Math.max(1, n - skip);
  };
  const start = new Array<number>(order.p + order.q + order.P + order.Q).fill(0);
  const result = await minimize(objective, start, { maxIterations: 100, tolerance: 1e-10, deadline });
  return fromFree(order, result.x);
}

function dotColumns(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] as number) * (b[t] as number);
  return sum;
}
