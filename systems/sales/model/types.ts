/**
 * The shapes the sales model code shares with its handlers, the forecast service and the page.
 * Pure: no AWS SDK, no I/O.
 */
import type { DailySales, PlannedDay, StoreProfile } from '../records/types.js';

/** The candidate model families each store's backtest compares. */
export type CandidateKind = 'sarimax' | 'forest';
export const CANDIDATE_KINDS: readonly CandidateKind[] = ['sarimax', 'forest'];

/** The simple forecasts every candidate is measured beside. */
export type BaselineKind = 'last-year-weekday' | 'recent-weekday-mean';

/** One store's history: its profile and its days in date order (gaps allowed: refurbishments). */
export interface StoreSeries {
  readonly profile: StoreProfile;
  readonly days: readonly DailySales[];
}

/** A forecast day with its 80% and 95% prediction intervals (sales; closed days are all 0). */
export interface ForecastPoint {
  readonly date: string;
  readonly open: 0 | 1;
  readonly mean: number;
  readonly lo80: number;
  readonly hi80: number;
  readonly lo95: number;
  readonly hi95: number;
}

/** One origin of a rolling-origin backtest: fitted on days up to `origin`, scored on the next `horizon` days. */
export interface BacktestFold {
  /** The last day the fold's model saw. */
  readonly origin: string;
  /** RMSPE over the fold's open days with sales > 0 (the competition's metric). */
  readonly rmspe: number;
  /** How many days were scored. */
  readonly days: number;
}

export interface Backtest {
  /** RMSPE over all folds' scored days together. */
  readonly rmspe: number;
  readonly folds: readonly BacktestFold[];
}

/**
 * A fitted per-store model, self-contained JSON: what the registry stores and the forecast
 * service loads. `state` is the family's own (SARIMAX artifact, forest JSON and residual quantiles).
 */
export interface StoreModel {
  readonly format: 'sales-store-model';
  readonly version: 1;
  readonly kind: CandidateKind;
  readonly store: number;
  /** The last day of history the model was fitted on. */
  readonly trainedThrough: string;
  /** The family's settings (orders, trees, features), recorded in the registry. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly state: unknown;
}

export type CandidateOutcome =
  | {
      readonly kind: CandidateKind;
      readonly ok: true;
      readonly backtest: Backtest;
      readonly model: StoreModel;
    }
  | { readonly kind: CandidateKind; readonly ok: false; readonly reason: string };

/** Everything one store's training job found: each candidate, the baselines, the best candidate. */
export interface StoreTrainingReport {
  readonly store: number;
  readonly candidates: readonly CandidateOutcome[];
  readonly baselines: Readonly<Record<BaselineKind, Backtest>>;
  /** The candidate with the lowest backtest RMSPE among those that fitted; absent when none did. */
  readonly best?: CandidateKind;
}

export interface TrainingOptions {
  /** Days forecast ahead (and scored per backtest fold). @default 42 */
  readonly horizon?: number;
  /** Backtest origins, each `horizon` days apart, the last ending on the last day. @default 3 */
  readonly folds?: number;
  /** Which families to try. @default CANDIDATE_KINDS */
  readonly kinds?: readonly CandidateKind[];
  /** Seed of the forest (same data and seed: same model). @default 1 */
  readonly seed?: number;
}

/** Re-exported for callers that import only the model's contract. */
export type { DailySales, PlannedDay, StoreProfile };
