import { buildArtifact } from './artifact.js';
import { type ExactFit, fitExact } from './estimate.js';
import { differencedProblem, solveSymmetric } from './exact-likelihood.js';
import { MAX_POINTS_LIMIT } from './limits.js';
import { candidateOrders, describeOrder, isSearch, minimumLength, validateOrder } from './order.js';
import type {
  FitAttempt,
  FitOptions,
  FitOutcome,
  SarimaxArtifact,
  SarimaxOrder,
  TrainingSeries,
} from './types.js';
import { toColumns, validateSeries } from './validate-series.js';

/**
 * Fits SARIMAX by exact maximum likelihood (estimate.ts) on the trailing window of the series: one
 * fixed order, or a search that tries small orders first until `budgetMs` is spent and keeps the
 * lowest AIC. Each order's fit stops at `timeLimitMs`; failures are reported attempts, not thrown.
 * Throws only for invalid input (with a message saying what is wrong).
 */
export async function fitSarimax(series: TrainingSeries, options: FitOptions): Promise<FitOutcome> {
  const started = performance.now();
  const elapsedMs = () => performance.now() - started;
  validateOptions(options);
  validateSeries(series, options.logTransform);

  const window = trailingWindow(series, options.maxPoints);
  const search = isSearch(options.order) ? options.order : null;
  const allOrders = search ? candidateOrders(search) : [validateOrder(options.order as SarimaxOrder)];
  const orders = allOrders.filter((order) => window.values.length >= minimumLength(order));
  const shortest = Math.min(...allOrders.map(minimumLength));
  if (orders.length === 0)
    throw new Error(
      `the series is too short: ${window.values.length} points, ${describeOrder(allOrders[0] as SarimaxOrder)} needs at least ${shortest}`,
    );

  const modelValues = options.logTransform ? window.values.map(Math.log1p) : window.values;
  // A regressor constant over the window (a holiday flag in a window without holidays) is not
  // identifiable (after differencing it is all zeros). It is left out of the fit and gets
  // coefficient 0, so the artifact still takes all regressors.
  const kept = series.exogNames.map((_, j) => j).filter((j) => !isConstantColumn(window.exog, j));
  const allColumns = toColumns(window.exog, series.exogNames.length);
  const exogColumns = kept.map((j) => allColumns[j] as number[]);
  const attempts: FitAttempt[] = [];
  let best: SarimaxArtifact | null = null;

  for (const [index, order] of orders.entries()) {
    const remaining = search ? search.budgetMs - elapsedMs() : Number.POSITIVE_INFINITY;
    // The first order always gets its full time limit: a tiny budget still yields one model.
    if (index > 0 && remaining <= 0) break;
    const timeLimitMs = index === 0 ? options.timeLimitMs : Math.min(options.timeLimitMs, remaining);
    const attemptStarted = performance.now();
    const fitted = await fitOrder(modelValues, exogColumns, order, timeLimitMs, options.maxIterations);
    const attempt: FitAttempt = { order, ok: false, seconds: (performance.now() - attemptStarted) / 1000 };
    if ('failed' in fitted) {
      attempt.reason = fitted.failed;
    } else {
      try {
        const artifact = artifactFrom(fitted, order, series, window, modelValues, options, kept);
        attempt.ok = true;
        attempt.aic = artifact.aic;
        attempt.path = fitted.path;
        if (fitted.doubt) attempt.doubt = fitted.doubt;
        if (!best || artifact.aic < best.aic) best = artifact;
      } catch (error) {
        attempt.reason = error instanceof Error ? error.message : String(error);
      }
    }
    attempts.push(attempt);
  }

  const seconds = elapsedMs() / 1000;
  if (best) return { ok: true, artifact: best, attempts, seconds };
  const reasons = attempts.map((a) => `${describeOrder(a.order)}: ${a.reason}`).join('; ');
  return { ok: false, reason: `no order fitted (${reasons})`, attempts, seconds };
}

/** One order by exact maximum likelihood; collinear regressors are refused with a reason first. */
async function fitOrder(
  values: number[],
  exogColumns: number[][],
  order: SarimaxOrder,
  timeLimitMs: number,
  maxIterations: number | undefined,
): Promise<ExactFit | { failed: string }> {
  const started = performance.now();
  const problem = differencedProblem(order, values, exogColumns);
  const k = problem.columns.length;
  if (k > 0) {
    const gram = problem.columns.map((a) =>
      problem.columns.map((b) => a.reduce((sum, v, t) => sum + v * (b[t] as number), 0)),
    );
    if (!solveSymmetric(gram, new Array<number>(k).fill(0)))
      return {
        failed: 'the regressors are collinear after differencing (one is a combination of the others)',
      };
  }
  return fitExact(problem, {
    deadline: started + timeLimitMs,
    ...(maxIterations === undefined ? {} : { maxIterations }),
  });
}

function validateOptions(options: FitOptions): void {
  if (!(Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0))
    throw new Error(`timeLimitMs must be a positive number, got ${options.timeLimitMs}`);
  if (
    !(Number.isInteger(options.maxPoints) && options.maxPoints >= 1 && options.maxPoints <= MAX_POINTS_LIMIT)
  )
    throw new Error(`maxPoints must be a whole number in [1, ${MAX_POINTS_LIMIT}], got ${options.maxPoints}`);
  if (
    options.maxIterations !== undefined &&
    !(
      Number.isInteger(options.maxIterations) &&
      options.maxIterations >= 1 &&
      options.maxIterations <= 10_000
    )
  )
    throw new Error(`maxIterations must be a whole number in [1, 10000], got ${options.maxIterations}`);
  if (typeof options.logTransform !== 'boolean')
    throw new Error(`logTransform must be true or false, got ${String(options.logTransform)}`);
}

interface Window {
  timestamps: string[];
  values: number[];
  exog: number[][];
}

function trailingWindow(series: TrainingSeries, maxPoints: number): Window {
  const from = Math.max(0, series.values.length - maxPoints);
  // With no regressors the rows may be given as [] rather than rows of width 0.
  const rows = series.exog.length === 0 ? series.values.map(() => [] as number[]) : series.exog;
  return {
    timestamps: series.timestamps.slice(from),
    values: series.values.slice(from),
    exog: rows.slice(from),
  };
}

function artifactFrom(
  fitted: ExactFit,
  order: SarimaxOrder,
  series: TrainingSeries,
  window: Window,
  modelValues: number[],
  options: FitOptions,
  kept: number[],
): SarimaxArtifact {
  const { arma, likelihood } = fitted;
  const hasMean = order.d + order.D === 0;
  const fittedExog = hasMean ? likelihood.beta.slice(1) : likelihood.beta;
  const exog = series.exogNames.map(() => 0);
  kept.forEach((j, k) => {
    exog[j] = fittedExog[k] as number;
  });
  // ctsa's AIC (every ARMA and regression coefficient, the mean and the variance), so AICs of
  // artifacts from either estimator compare.
  const parameters = order.p + order.q + order.P + order.Q + likelihood.beta.length + 1;
  return buildArtifact({
    order,
    exogNames: series.exogNames,
    transform: options.logTransform ? 'log1p' : 'none',
    coefficients: { ...arma, exog, mean: hasMean ? (likelihood.beta[0] as number) : 0 },
    droppedExog: series.exogNames.filter((_, j) => !kept.includes(j)),
    sigma2: likelihood.sigma2,
    aic: -2 * likelihood.logLikelihood + 2 * parameters,
    logLikelihood: likelihood.logLikelihood,
    coefficientSource: 'estimated',
    estimation: 'exact-ML',
    fit: { path: fitted.path, starts: fitted.starts, doubt: fitted.doubt },
    values: modelValues,
    exogRows: window.exog,
    timestamps: window.timestamps,
    stepMs: series.stepMs,
  });
}

function isConstantColumn(rows: readonly (readonly number[])[], j: number): boolean {
  const first = rows[0]?.[j];
  return rows.every((row) => row[j] === first);
}
