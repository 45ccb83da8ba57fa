import type { TrainingSummary } from '../lifecycle/outcomes.js';
import type { CandidateKind, ForecastPoint } from '../model/types.js';
import type { MonitoringResult } from '../monitoring/types.js';

/** The sales API's responses: the web page and the tests read these shapes. */
export interface ForecastView {
  readonly store: number;
  /** The first day forecast (the day after the store's newest data) and how many days. */
  readonly from: string;
  readonly horizon: number;
  readonly model: {
    readonly version: string;
    readonly family: CandidateKind;
    readonly trainedThrough: string;
    readonly backtestRmspe: number | null;
    readonly promotedAt: string | null;
  };
  readonly points: readonly ForecastPoint[];
}

export interface HealthView {
  /** `ok`; `degraded` when stores failed training or degraded; `empty` before any champion. */
  readonly status: 'ok' | 'degraded' | 'empty';
  readonly stores: number;
  readonly championsLoaded: number;
  readonly newestData: string | null;
  /** Hours from the end of the newest day of data to now. */
  readonly dataAgeHours: number | null;
  readonly lastTraining: Pick<
    TrainingSummary,
    'runId' | 'finishedAt' | 'trigger' | 'requested' | 'promoted' | 'kept' | 'failed'
  > | null;
  readonly failedStores: TrainingSummary['failedStores'];
  readonly degradedStores: readonly number[];
}

export interface StoreRow {
  readonly store: number;
  readonly storeType: string;
  readonly assortment: string;
  readonly family: CandidateKind | null;
  readonly backtestRmspe: number | null;
  /** The newest monitoring run's observed RMSPE for the store, when it was scored. */
  readonly observedRmspe: number | null;
  readonly degraded: boolean;
  readonly status: 'promoted' | 'kept' | 'failed' | null;
}

export interface StoresView {
  readonly stores: readonly StoreRow[];
  /** The stores with the highest backtest error (or observed, when monitored), worst first. */
  readonly worst: readonly StoreRow[];
  readonly monitoring: Pick<
    MonitoringResult,
    'day' | 'origin' | 'evaluated' | 'degradedShare' | 'distribution'
  > | null;
}

export interface HistoryView {
  readonly store: number;
  readonly days: readonly { date: string; sales: number; open: number; promo: number }[];
}
