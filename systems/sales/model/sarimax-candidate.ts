import {
  advanceArtifact,
  fitSarimax,
  forecast,
  type SarimaxArtifact,
  type SarimaxOrder,
  type TrainingSeries,
} from '../../../core/forecasting/index.js';
import { dateOf, STEP_MS, timestampOf } from './dates.js';
import { type StoreCalendar, storeCalendar } from './store-calendar.js';
import type { Timeline, TimelineDay } from './timeline.js';
import type { ForecastPoint, StoreProfile } from './types.js';

/**
 * SARIMAX per store on every calendar day, closed days included (sales 0, log1p 0), with `open`
 * as a regressor and every other regressor multiplied by `open`.
 *
 * Why all days and not the open days only: on open days alone the week is six steps long for a
 * store closed on Sundays but five or four in a week with a holiday, so no seasonal period fits;
 * on all days the week is always seven steps, a holiday closure is just `open = 0` that day, and
 * the forecast of a closed day is exactly 0. The regressors are multiplied by `open` because a
 * closed day's value is fixed at 0 whatever its promotion or school holiday, and because
 * `stateHoliday` alone would be collinear with `open` (holidays are closed).
 * (1,0,1)(0,1,1)7 on log1p(sales): the seasonal difference follows each weekday's own level,
 * which the seasonal MA smooths; one fit of ~900 days takes tens of milliseconds.
 */
export const SARIMAX_ORDER: Readonly<SarimaxOrder> = { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 7 };

/** Longest window fitted: about three years of days; older days add little to a 6-week forecast. */
export const SARIMAX_MAX_POINTS = 1_100;
/** Fewer days than this (or fewer open days than half of it) is too short to fit. */
export const SARIMAX_MIN_DAYS = 120;
/** A fit that runs longer than this failed (a pathological likelihood), not the whole job. */
const FIT_TIME_LIMIT_MS = 20_000;

type Regressor = (day: TimelineDay, calendar: StoreCalendar) => number;

const REGRESSORS: Readonly<Record<string, Regressor>> = {
  open: (d) => d.open,
  promo: (d) => d.open * d.promo,
  stateHoliday: (d) => d.open * (d.stateHoliday === '0' ? 0 : 1),
  schoolHoliday: (d) => d.open * d.schoolHoliday,
  promo2Month: (d, c) => d.open * c.promo2Month(d.day),
  december: (d) => d.open * (d.date.slice(5, 7) === '12' ? 1 : 0),
  competitionOpen: (d, c) => d.open * c.competitionOpen(d.day),
};

/** Tried second when the full set is collinear on a store's window. */
const MINIMAL_REGRESSORS = ['open', 'promo'];

export interface SarimaxConfig {
  readonly order: SarimaxOrder;
  readonly regressors: readonly string[];
  readonly transform: 'log1p';
  readonly maxPoints: number;
}

export interface SarimaxState {
  readonly artifact: SarimaxArtifact;
}

export type FitResult<C, S> = { ok: true; config: C; state: S } | { ok: false; reason: string };

/**
 * What the SARIMAX fit sees for a history: the trailing window of days and the regressors that
 * carry information in it. Exported so a benchmark can hand statsmodels exactly the same problem.
 */
export function sarimaxWindow(
  profile: StoreProfile,
  history: Timeline,
): {
  days: readonly TimelineDay[];
  regressors: string[];
  series: (names: readonly string[]) => TrainingSeries;
} {
  const days = history.days.slice(
    Math.max(0, history.lastHistory + 1 - SARIMAX_MAX_POINTS),
    history.lastHistory + 1,
  );
  const calendar = storeCalendar(profile);
  const regressors = Object.keys(REGRESSORS).filter(
    (name) => name === 'open' || informativeColumn(days, calendar, name),
  );
  return { days, regressors, series: (names) => trainingSeries(days, calendar, names) };
}

/** The regressor rows of days to forecast (planned days), in `names` order. */
export function sarimaxExog(
  profile: StoreProfile,
  days: readonly TimelineDay[],
  names: readonly string[],
): number[][] {
  const calendar = storeCalendar(profile);
  return days.map((d) => names.map((name) => regressor(name)(d, calendar)));
}

export async function fitSarimaxCandidate(
  profile: StoreProfile,
  history: Timeline,
): Promise<FitResult<SarimaxConfig, SarimaxState>> {
  const window = sarimaxWindow(profile, history);
  const openDays = window.days.filter((d) => d.open === 1).length;
  if (window.days.length < SARIMAX_MIN_DAYS || openDays < SARIMAX_MIN_DAYS / 2)
    return {
      ok: false,
      reason: `too short: ${window.days.length} days (${openDays} open), SARIMAX needs at least ${SARIMAX_MIN_DAYS} days, half of them open`,
    };
  let reason = '';
  for (const names of [window.regressors, MINIMAL_REGRESSORS]) {
    const config: SarimaxConfig = {
      order: { ...SARIMAX_ORDER },
      regressors: names,
      transform: 'log1p',
      maxPoints: SARIMAX_MAX_POINTS,
    };
    try {
      const outcome = await fitSarimax(window.series(names), {
        order: config.order,
        timeLimitMs: FIT_TIME_LIMIT_MS,
        logTransform: true,
        maxPoints: SARIMAX_MAX_POINTS,
      });
      if (outcome.ok) return { ok: true, config, state: { artifact: outcome.artifact } };
      reason = outcome.reason;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  return { ok: false, reason: `SARIMAX did not fit: ${reason}` };
}

/**
 * Forecasts the timeline's days after its history. History newer than the model's training is
 * filtered through first (same coefficients, newer state): that is how a kept champion forecasts
 * from the latest data without a refit.
 */
export function forecastSarimaxCandidate(
  profile: StoreProfile,
  config: SarimaxConfig,
  state: SarimaxState,
  timeline: Timeline,
): ForecastPoint[] {
  const { artifact } = state;
  const calendar = storeCalendar(profile);
  const trainedFrom = dayOfTimestamp(artifact.training.start);
  const trainedThrough = dayOfTimestamp(artifact.training.end);
  const lastDay = timeline.first + timeline.lastHistory;
  if (lastDay < trainedThrough)
    throw new Error(
      `the series ends on ${dateOf(lastDay)}, before the model's last training day ${dateOf(trainedThrough)}`,
    );
  const from = Math.max(0, trainedFrom - timeline.first);
  const history = timeline.days.slice(from, timeline.lastHistory + 1);
  const advanced =
    lastDay === trainedThrough
      ? artifact
      : advanceArtifact(artifact, trainingSeries(history, calendar, config.regressors));
  const future = timeline.days.slice(timeline.lastHistory + 1);
  if (future.length === 0) return [];
  const exog = sarimaxExog(profile, future, config.regressors);
  const predicted = forecast(advanced, future.length, exog);
  return future.map((d, i) => {
    if (d.open === 0) return closedPoint(d.date);
    const at = (values: number[]) => Math.max(0, values[i] as number);
    return {
      date: d.date,
      open: 1,
      mean: at(predicted.mean),
      lo80: at(predicted.lower80),
      hi80: at(predicted.upper80),
      lo95: at(predicted.lower95),
      hi95: at(predicted.upper95),
    };
  });
}

export function closedPoint(date: string): ForecastPoint {
  return { date, open: 0, mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 };
}

function trainingSeries(
  days: readonly TimelineDay[],
  calendar: StoreCalendar,
  names: readonly string[],
): TrainingSeries {
  const columns = names.map(regressor);
  return {
    timestamps: days.map((d) => timestampOf(d.day)),
    values: days.map((d) => d.sales),
    exog: days.map((d) => columns.map((column) => column(d, calendar))),
    exogNames: [...names],
    stepMs: STEP_MS,
  };
}

function regressor(name: string): Regressor {
  const column = REGRESSORS[name];
  if (!column)
    throw new Error(
      `unknown SARIMAX regressor ${JSON.stringify(name)}; known: ${Object.keys(REGRESSORS).join(', ')}`,
    );
  return column;
}

/** Not all zero and not a copy of `open` over the window (either would make the fit collinear). */
function informativeColumn(days: readonly TimelineDay[], calendar: StoreCalendar, name: string): boolean {
  const column = regressor(name);
  let nonZero = false;
  let differsFromOpen = false;
  for (const d of days) {
    const value = column(d, calendar);
    if (value !== 0) nonZero = true;
    if (value !== d.open) differsFromOpen = true;
    if (nonZero && differsFromOpen) return true;
  }
  return false;
}

function dayOfTimestamp(timestamp: string): number {
  return Math.round(Date.parse(timestamp) / STEP_MS);
}
