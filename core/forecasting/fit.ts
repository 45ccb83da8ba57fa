import { buildArtifact, type Coefficients } from './artifact.js';
import type { SarimaxState } from './artifact-state.js';
import {
  CSS_MLE,
  type EstimationMethod,
  EXACT_MLE,
  type LibraryFitRequest,
  type LibraryFitResult,
  runLibraryFit,
} from './library-fit.js';
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
 * Fits SARIMAX with the `arima` library on the trailing window of the series: one fixed order, or
 * a search that tries small orders first until `budgetMs` is spent and keeps the lowest AIC.
 * Every fit runs in a worker with a hard time limit; failures are reported attempts, not thrown.
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
  // identifiable: the library returns NaN for every coefficient. It is left out of the fit and
  // gets coefficient 0, so the artifact still takes all regressors.
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
    const { result, method, seconds, reason } = await fitWithFallback({
      values: modelValues,
      exogColumns,
      order,
      timeLimitMs,
    });
    const attempt: FitAttempt = { order, ok: false, seconds };
    if (!result.ok) {
      attempt.reason = reason;
    } else {
      try {
        const artifact = artifactFrom(result, order, series, window, modelValues, options, kept, method);
        attempt.ok = true;
        attempt.aic = artifact.aic;
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

/**
 * CSS-MLE first (fast; the library's default). Its CSS starting values can send the optimizer into
 * Inf/NaN (return code 15) on persistent series, where exact MLE from zero starting values
 * converges: so a failed return code is retried once with exact MLE within the same time limit.
 * A timeout or crash is not retried.
 */
async function fitWithFallback(
  request: LibraryFitRequest,
): Promise<{ result: LibraryFitResult; method: EstimationMethod; seconds: number; reason: string }> {
  const first = await runLibraryFit({ ...request, method: CSS_MLE });
  const remainingMs = request.timeLimitMs - first.seconds * 1000;
  if (first.ok || !first.reason?.startsWith('return code') || remainingMs <= 0) {
    return { result: first, method: CSS_MLE, seconds: first.seconds, reason: `CSS-MLE ${first.reason}` };
  }
  const second = await runLibraryFit({ ...request, method: EXACT_MLE, timeLimitMs: remainingMs });
  return {
    result: second,
    method: EXACT_MLE,
    seconds: first.seconds + second.seconds,
    reason: `CSS-MLE ${first.reason}; exact MLE ${second.reason}`,
  };
}

function validateOptions(options: FitOptions): void {
  if (!(Number.isFinite(options.timeLimitMs) && options.timeLimitMs > 0))
    throw new Error(`timeLimitMs must be a positive number, got ${options.timeLimitMs}`);
  if (
    !(Number.isInteger(options.maxPoints) && options.maxPoints >= 1 && options.maxPoints <= MAX_POINTS_LIMIT)
  )
    throw new Error(`maxPoints must be a whole number in [1, ${MAX_POINTS_LIMIT}], got ${options.maxPoints}`);
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

/** Full-precision coefficients from the model's memory; the printout only if that failed. */
function coefficientsOf(
  result: LibraryFitResult,
  order: SarimaxOrder,
  exogCount: number,
): {
  coefficients: Coefficients;
  source: SarimaxState['coefficientSource'];
  sigma2: number;
  aic: number;
  logLikelihood: number;
} {
  const source = result.heap ?? result.summary;
  if (!source) throw new Error('the library reported no coefficients');
  const sizes: [number[], number, string][] = [
    [source.ar, order.p, 'AR'],
    [source.ma, order.q, 'MA'],
    [source.sar, order.P, 'SAR'],
    [source.sma, order.Q, 'SMA'],
    [source.exog, exogCount, 'EXOG'],
  ];
  for (const [values, expected, name] of sizes) {
    if (values.length !== expected)
      throw new Error(`the library reported ${values.length} ${name} coefficients, expected ${expected}`);
  }
  const { ar, ma, sar, sma, exog, mean } = source;
  return {
    coefficients: { ar, ma, sar, sma, exog, mean },
    source: result.heap ? 'memory' : 'printout',
    sigma2: source.sigma2,
    aic: source.aic,
    logLikelihood: source.logLikelihood,
  };
}

function artifactFrom(
  result: LibraryFitResult,
  order: SarimaxOrder,
  series: TrainingSeries,
  window: Window,
  modelValues: number[],
  options: FitOptions,
  kept: number[],
  method: EstimationMethod,
): SarimaxArtifact {
  const fitted = coefficientsOf(result, order, kept.length);
  const exog = series.exogNames.map(() => 0);
  kept.forEach((j, k) => {
    exog[j] = fitted.coefficients.exog[k] as number;
  });
  return buildArtifact({
    order,
    exogNames: series.exogNames,
    transform: options.logTransform ? 'log1p' : 'none',
    coefficients: { ...fitted.coefficients, exog },
    droppedExog: series.exogNames.filter((_, j) => !kept.includes(j)),
    sigma2: fitted.sigma2,
    aic: fitted.aic,
    logLikelihood: fitted.logLikelihood,
    coefficientSource: fitted.source,
    estimation: method === EXACT_MLE ? 'MLE' : 'CSS-MLE',
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
