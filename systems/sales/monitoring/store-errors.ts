import { rmspe } from '../model/index.js';
import type { DailySales } from '../records/types.js';
import type { ForecastRow } from '../serving/forecast-rows.js';
import type { StoreError } from './types.js';

/** Days after the forecast's origin that must have actuals before a store's error counts. */
export const MIN_SCORED_DAYS = 5;
/** Degraded: the observed RMSPE is above twice the backtest's, and at least 0.10 above it. */
export const DEGRADED_FACTOR = 2;
export const DEGRADED_MARGIN = 0.1;
export const DEGRADED_RULE = `RMSPE over ≥ ${MIN_SCORED_DAYS} open days above ${DEGRADED_FACTOR}× the champion's backtest RMSPE and at least ${DEGRADED_MARGIN} above it`;

/**
 * Each store's error of one nightly forecast against the actuals that arrived since: RMSPE over
 * the forecast days with sales (closed days excluded, as in the backtest), and whether it is
 * past what the champion's backtest led to expect.
 */
export function storeErrors(
  forecasts: readonly ForecastRow[],
  actualsByStore: ReadonlyMap<number, readonly DailySales[]>,
): StoreError[] {
  const byStore = new Map<number, ForecastRow[]>();
  for (const row of forecasts) {
    const list = byStore.get(row.store) ?? [];
    list.push(row);
    byStore.set(row.store, list);
  }
  const errors: StoreError[] = [];
  for (const [store, rows] of [...byStore].sort(([a], [b]) => a - b)) {
    const actual = new Map((actualsByStore.get(store) ?? []).map((d) => [d.date, d]));
    const pairs = rows.flatMap((row) => {
      const day = actual.get(row.date);
      return day && day.open === 1 && day.sales > 0 ? [[day.sales, row.mean] as const] : [];
    });
    if (pairs.length < MIN_SCORED_DAYS) continue;
    const error = rmspe(
      pairs.map(([a]) => a),
      pairs.map(([, p]) => p),
    );
    const expected = rows[0]?.backtest_rmspe ?? null;
    const degraded =
      expected !== null && error > DEGRADED_FACTOR * expected && error > expected + DEGRADED_MARGIN;
    errors.push({
      store,
      origin: rows[0]?.origin ?? '',
      days: pairs.length,
      rmspe: error,
      expected,
      degraded,
      modelVersion: rows[0]?.model_version ?? '',
    });
  }
  return errors;
}

/** Percentiles of the stores' errors (nearest rank), for the distribution across stores. */
export function errorDistribution(errors: readonly StoreError[]) {
  const values = errors.map((e) => e.rmspe).sort((a, b) => a - b);
  const at = (q: number) =>
    values.length === 0
      ? null
      : (values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] as number);
  return {
    p50: at(0.5),
    p90: at(0.9),
    max: values.at(-1) ?? null,
    mean: values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length,
  };
}
