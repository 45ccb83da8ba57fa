import { baselineForecast } from './baselines.js';
import { dateOf } from './dates.js';
import { rmspeParts } from './rmspe.js';
import { fitOnTimeline, forecastOnTimeline } from './store-model.js';
import { historyThrough, plannedFrom, type Timeline, withPlanned } from './timeline.js';
import type { Backtest, BaselineKind, CandidateKind, StoreSeries, TrainingOptions } from './types.js';

/**
 * Rolling-origin backtest: `folds` origins `horizon` days apart, the last one `horizon` days
 * before the series' last day, so the last fold ends on it. Each fold's model is fitted on the
 * days up to its origin only and forecasts the next `horizon` days from their plan (opening,
 * promotions, holidays), never from their sales: the fold cannot see its future.
 * Both families are refitted at every origin (parameters included): a fit costs tens of
 * milliseconds, so nothing is carried from one fold to the next.
 */

/** A fold with the forecasts it scored: what the no-leakage tests compare. */
export interface FoldForecast {
  readonly origin: string;
  readonly dates: readonly string[];
  readonly actual: readonly number[];
  readonly predicted: readonly number[];
}

export type BacktestRun =
  | { ok: true; backtest: Backtest; folds: readonly FoldForecast[] }
  | { ok: false; reason: string };

/** Fold origins as timeline indices, earliest first; throws when the series cannot hold one fold. */
export function foldOrigins(history: Timeline, horizon: number, folds: number): number[] {
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw new Error(`horizon must be a whole number ≥ 1, got ${horizon}`);
  if (!(Number.isInteger(folds) && folds >= 1))
    throw new Error(`folds must be a whole number ≥ 1, got ${folds}`);
  return Array.from({ length: folds }, (_, k) => history.lastHistory - horizon * (folds - k)).filter(
    (o) => o >= 0,
  );
}

export async function backtestCandidate(
  kind: CandidateKind,
  series: StoreSeries,
  history: Timeline,
  origins: readonly number[],
  options: TrainingOptions & { horizon: number },
): Promise<BacktestRun> {
  const folds: FoldForecast[] = [];
  for (const origin of origins) {
    const seen = historyThrough(history, history.first + origin);
    const planned = plannedFrom(history, history.first + origin, options.horizon);
    try {
      const fitted = await fitOnTimeline(kind, series, seen, options);
      if (!fitted.ok)
        return { ok: false, reason: `backtest fold at ${dateOf(history.first + origin)}: ${fitted.reason}` };
      const points = forecastOnTimeline(fitted.model, series, withPlanned(seen, planned), planned);
      folds.push(
        fold(
          history,
          origin,
          options.horizon,
          points.map((p) => p.mean),
        ),
      );
    } catch (error) {
      return {
        ok: false,
        reason: `backtest fold at ${dateOf(history.first + origin)}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  return { ok: true, backtest: summarize(folds), folds };
}

export function backtestBaseline(
  kind: BaselineKind,
  history: Timeline,
  origins: readonly number[],
  horizon: number,
): { backtest: Backtest; folds: FoldForecast[] } {
  const folds = origins.map((origin) =>
    fold(history, origin, horizon, baselineForecast(kind, history, origin, horizon)),
  );
  return { backtest: summarize(folds), folds };
}

function fold(
  history: Timeline,
  origin: number,
  horizon: number,
  predicted: readonly number[],
): FoldForecast {
  const days = history.days.slice(origin + 1, origin + 1 + horizon);
  return {
    origin: dateOf(history.first + origin),
    dates: days.map((d) => d.date),
    // Missing days (refurbishment) have no actual: 0 leaves them out of the metric.
    actual: days.map((d) => (d.recorded && d.open === 1 ? d.sales : 0)),
    predicted: predicted.slice(0, days.length),
  };
}

/** Each fold's RMSPE and the RMSPE of all folds' scored days pooled. */
export function summarize(folds: readonly FoldForecast[]): Backtest {
  let sum = 0;
  let days = 0;
  const scored = folds.map((f) => {
    const parts = rmspeParts(f.actual, f.predicted);
    sum += parts.sum;
    days += parts.days;
    return {
      origin: f.origin,
      rmspe: parts.days > 0 ? Math.sqrt(parts.sum / parts.days) : Number.NaN,
      days: parts.days,
    };
  });
  return { rmspe: days > 0 ? Math.sqrt(sum / days) : Number.NaN, folds: scored };
}
