import type { Timeline } from './timeline.js';
import type { BaselineKind } from './types.js';

/**
 * The two simple forecasts every candidate must beat, made from the history up to `origin`
 * (a timeline index) for the `horizon` days after it. Closed days forecast 0.
 */
export const BASELINE_KINDS: readonly BaselineKind[] = ['last-year-weekday', 'recent-weekday-mean'];

export function baselineForecast(
  kind: BaselineKind,
  history: Timeline,
  origin: number,
  horizon: number,
): number[] {
  const predict = kind === 'last-year-weekday' ? lastYearWeekday : recentWeekdayMean;
  return Array.from({ length: horizon }, (_, h) => {
    const i = origin + 1 + h;
    return history.days[i]?.open === 1 ? predict(history, origin, i) : 0;
  });
}

/** Sales of the open, recorded day at index `i` (NaN otherwise). */
function salesAt(history: Timeline, i: number): number {
  const d = history.days[i];
  return d && i >= 0 && d.open === 1 && d.recorded && d.sales > 0 ? d.sales : Number.NaN;
}

/**
 * The same weekday 52 weeks (364 days) back; when that day was closed or missing, the mean of
 * the same weekday a week either side of it; when those are missing too (less than a year of
 * history), the recent weekday mean.
 */
function lastYearWeekday(history: Timeline, origin: number, i: number): number {
  const exact = salesAt(history, i - 364);
  if (!Number.isNaN(exact)) return exact;
  const near = [salesAt(history, i - 371), salesAt(history, i - 357)].filter((v) => !Number.isNaN(v));
  if (near.length > 0) return near.reduce((a, b) => a + b, 0) / near.length;
  return recentWeekdayMean(history, origin, i);
}

/**
 * The mean of the same weekday's open days in the four weeks up to the origin; without any, the
 * mean of the open days in those weeks, then in the year before the origin; 0 with no sales at all.
 */
function recentWeekdayMean(history: Timeline, origin: number, i: number): number {
  const weekday = history.days[i]?.dayOfWeek;
  for (const [days, sameWeekday] of [
    [28, true],
    [28, false],
    [365, false],
  ] as const) {
    let sum = 0;
    let count = 0;
    for (let j = origin; j > origin - days && j >= 0; j--) {
      if (sameWeekday && history.days[j]?.dayOfWeek !== weekday) continue;
      const value = salesAt(history, j);
      if (Number.isNaN(value)) continue;
      sum += value;
      count++;
    }
    if (count > 0) return sum / count;
  }
  return 0;
}
