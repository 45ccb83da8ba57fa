/**
 * Shared types of the forecasting core (SARIMAX by exact maximum likelihood, with our own
 * self-contained model artifact). Pure: no AWS SDK.
 */

import type { SeriesCalendar } from '../data/calendar.js';

/**
 * What the model is fitted on: the values (`none`), log1p(values) or log(values). Forecasts map
 * back with the inverse (expm1, exp), so they come out on the original scale.
 */
export type ValueTransform = 'none' | 'log1p' | 'log';

/** (p, d, q) × (P, D, Q)s. */
export interface SarimaxOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Seasonal period in steps (24 for daily seasonality of hourly data); 0 without seasonal terms. */
  s: number;
}

/** A regular series (one value per step, no gaps) with its exogenous regressors. */
export interface TrainingSeries {
  /** ISO-8601 UTC time of each step, equally spaced. */
  timestamps: string[];
  values: number[];
  /** One row per step, columns named by `exogNames`. */
  exog: number[][];
  exogNames: string[];
  /** Step length in milliseconds (3,600,000 for hourly); the nominal length for calendar steps. */
  stepMs: number;
  /**
   * The calendar step and the style the times were written in, when known (core/data/calendar.ts).
   * With a month, quarter or year step the timestamps follow the calendar, so they are not equally
   * many milliseconds apart.
   */
  calendar?: SeriesCalendar;
}

export interface OrderSearch {
  /** Largest p and q tried (0..max). */
  maxP: number;
  maxQ: number;
  /** Largest seasonal P and Q tried. */
  maxSeasonalP: number;
  maxSeasonalQ: number;
  d: number;
  D: number;
  s: number;
  /** The search stops trying new orders after this long; the best fit so far wins. */
  budgetMs: number;
}

export interface FitOptions {
  /** A fixed order, or a bounded search by AIC. */
  order: SarimaxOrder | OrderSearch;
  /** Hard limit for one fit: a fit that runs longer is abandoned (worker terminated) and counts as failed. */
  timeLimitMs: number;
  /** Fit log1p(values) and forecast back with expm1 (consumption is positive and skewed). */
  logTransform: boolean;
  /** Longest series fitted; longer inputs use their trailing window. */
  maxPoints: number;
  /** Iterations of the optimiser's first start at most. @default 200 */
  maxIterations?: number;
}

/** What a fit attempt of one order gave. */
export interface FitAttempt {
  order: SarimaxOrder;
  ok: boolean;
  aic?: number;
  /** Why it failed: time limit, collinear regressors, no variance. */
  reason?: string;
  /** Which start's optimum the fit kept. */
  path?: 'css' | 'zero';
  /** Set when a second start found a clearly better optimum: the fit must not decide a promotion. */
  doubt?: string;
  seconds: number;
}

/** The self-contained model: forecasts without the library and without refitting. */
export interface SarimaxArtifact {
  format: 'sarimax-model';
  version: 1;
  order: SarimaxOrder;
  exogNames: string[];
  transform: ValueTransform;
  /** Coefficients as the library reports them (MA signs follow Box–Jenkins). */
  coefficients: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; exog: number[]; mean: number };
  sigma2: number;
  aic: number;
  logLikelihood: number;
  /** Everything forecasting needs beyond the coefficients (e.g. final filter state). */
  state: Record<string, unknown>;
  training: {
    start: string;
    end: string;
    points: number;
    stepMs: number;
    /**
     * Set by fits that know their calendar: forecasts step by it (months, not 30-day blocks) and
     * are written in its style. Without it (older models) forecasts step by `stepMs`.
     */
    calendar?: SeriesCalendar;
  };
}

export interface Forecast {
  timestamps: string[];
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

export interface HoldoutMetrics {
  mae: number;
  rmse: number;
  /** Mean absolute percentage error in percent; steps with a zero actual are left out. */
  mape: number;
  points: number;
}

export type FitOutcome =
  | { ok: true; artifact: SarimaxArtifact; attempts: FitAttempt[]; seconds: number }
  | { ok: false; reason: string; attempts: FitAttempt[]; seconds: number };
