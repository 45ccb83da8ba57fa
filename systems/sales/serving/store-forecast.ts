import { addDays } from '../../../core/data/calendar-days.js';
import { forecastStore } from '../model/index.js';
import type { ForecastPoint, StoreSeries } from '../model/types.js';
import { plannedDays } from '../records/calendar.js';
import type { StoreChampion } from './champions.js';

/** Longest forecast the service gives: the six weeks the models are backtested on. */
export const MAX_HORIZON = 42;

/**
 * A store's forecast for the `horizon` days after its newest day of data, from its champion: the
 * days the business has planned (opening, promotions, holidays) and the newest days the model
 * has not been refitted on (it takes them into account without refitting).
 */
export function forecastFromChampion(
  champion: StoreChampion,
  series: StoreSeries,
  horizon: number,
): { from: string; points: ForecastPoint[] } {
  const last = series.days.at(-1)?.date ?? champion.model.trainedThrough;
  const from = addDays(last, 1);
  const planned = plannedDays(series.profile, from, horizon);
  return { from, points: forecastStore(champion.model, series, planned) };
}
