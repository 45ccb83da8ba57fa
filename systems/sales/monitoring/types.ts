/** One store's forecast error once the forecast days' actuals arrived. */
export interface StoreError {
  readonly store: number;
  /** The forecast's origin (the newest day it saw) and the days scored after it. */
  readonly origin: string;
  readonly days: number;
  readonly rmspe: number;
  /** The error its champion's backtest led to expect. */
  readonly expected: number | null;
  readonly degraded: boolean;
  readonly modelVersion: string;
}

/** What a monitoring run found: the error distribution across stores and the degraded stores. */
export interface MonitoringResult {
  readonly runId: string;
  /** The newest day with actuals. */
  readonly day: string;
  /** The forecast scored (made on this day's data), or null when none was old enough. */
  readonly origin: string | null;
  readonly evaluated: number;
  readonly degraded: readonly StoreError[];
  readonly distribution: {
    readonly p50: number | null;
    readonly p90: number | null;
    readonly max: number | null;
    readonly mean: number | null;
  };
  /** Share of evaluated stores that degraded (0..1). */
  readonly degradedShare: number;
  readonly rule: string;
  /** Degraded stores whose retraining was asked for (an event), and the ones skipped with why. */
  readonly retrain: { readonly requested: readonly number[]; readonly skipped: string | null };
}
