/**
 * The sales system's per-store models (pure: no AWS SDK, no I/O).
 *
 * - `trainStore(series, options)`: both candidate families' rolling-origin backtests and final
 *   fits, the two baselines on the same folds, and the best family by RMSPE.
 * - `fitCandidate(kind, series, options)`: one family fitted on all days (a `StoreModel`).
 * - `forecastStore(model, series, planned)`: one `ForecastPoint` (80% and 95% intervals) per planned
 *   day after the series' last day; newer days than the model's training are used.
 * - `parseStoreModel(json)`: a `StoreModel` from its JSON, or an error saying why it is not one.
 * - `rmspe(actual, predicted)`: the competition's metric, days with actual > 0 only.
 * - `baselineForecast(kind, …)`, `BASELINE_KINDS`: same weekday last year, last four weeks' weekday mean.
 */

export { backtestBaseline, backtestCandidate, type FoldForecast, foldOrigins } from './backtest.js';
export { BASELINE_KINDS, baselineForecast } from './baselines.js';
export { FOREST_OPTIONS } from './forest-candidate.js';
export { FOREST_FEATURES } from './forest-features.js';
export { rmspe, rmspeParts } from './rmspe.js';
export { SARIMAX_ORDER } from './sarimax-candidate.js';
export {
  CandidateFitError,
  DEFAULT_HORIZON,
  fitCandidate,
  forecastStore,
  parseStoreModel,
  STORE_MODEL_FORMAT,
  STORE_MODEL_VERSION,
} from './store-model.js';
export { historyTimeline } from './timeline.js';
export { bestCandidate, DEFAULT_FOLDS, trainStore } from './train-store.js';
export * from './types.js';
