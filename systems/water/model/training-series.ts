import type { TrainingSeries } from '../../../core/forecasting/types.js';
import { EXOG_NAMES } from './forecast-settings.js';
import type { HourlySeries } from './hourly-series.js';

const HOUR_MS = 3_600_000;

/** The hourly series as the forecasting core takes it: values with [temperature, holiday] rows. */
export function toTrainingSeries(series: HourlySeries): TrainingSeries {
  return {
    timestamps: series.timestamps,
    values: series.values,
    exog: series.values.map((_, i) => [series.temperature[i] ?? 0, series.holiday[i] ?? 0]),
    exogNames: EXOG_NAMES,
    stepMs: HOUR_MS,
  };
}

/** The trailing `points` of a series. */
export function tail(series: TrainingSeries, points: number): TrainingSeries {
  const from = Math.max(0, series.values.length - points);
  return {
    ...series,
    timestamps: series.timestamps.slice(from),
    values: series.values.slice(from),
    exog: series.exog.slice(from),
  };
}

/** Splits off the most recent `holdout` points. */
export function splitHoldout(
  series: TrainingSeries,
  holdout: number,
): { train: TrainingSeries; holdout: TrainingSeries } {
  const cut = series.values.length - holdout;
  const part = (from: number, to?: number): TrainingSeries => ({
    ...series,
    timestamps: series.timestamps.slice(from, to),
    values: series.values.slice(from, to),
    exog: series.exog.slice(from, to),
  });
  return { train: part(0, cut), holdout: part(cut) };
}
