import type { DailySales, PlannedDay, StateHoliday } from '../records/types.js';
import { dateOf, dayNumber, weekdayOf } from './dates.js';
import type { StoreSeries } from './types.js';

/**
 * One store's days as an unbroken calendar: history first (refurbishment gaps filled as closed
 * days, so every model sees one row per day), then the planned days. Both families and the
 * baselines read this one shape, so a day means the same thing to all of them.
 */
export interface TimelineDay {
  readonly day: number;
  readonly date: string;
  readonly dayOfWeek: number;
  readonly open: 0 | 1;
  readonly promo: 0 | 1;
  readonly stateHoliday: StateHoliday;
  readonly schoolHoliday: 0 | 1;
  /** Sales on history days (0 when closed or missing); NaN on planned days. */
  readonly sales: number;
  /** False for gap days filled in and for planned days filled in between. */
  readonly recorded: boolean;
}

export interface Timeline {
  readonly days: readonly TimelineDay[];
  /** Index of the last history day: days after it are planned. */
  readonly lastHistory: number;
  /** Day number of days[0]. */
  readonly first: number;
}

/** The history alone, gaps filled as closed. Throws on days out of order or repeated. */
export function historyTimeline(series: StoreSeries): Timeline {
  const rows = series.days;
  const first = rows[0];
  if (!first) throw new Error(`store ${series.profile.store} has no days`);
  const start = dayNumber(first.date);
  const days: TimelineDay[] = [];
  let previous = start - 1;
  for (const row of rows) {
    const day = dayNumber(row.date);
    if (day <= previous)
      throw new Error(
        `store ${series.profile.store}: days must be in date order without repeats, ${row.date} follows ${dateOf(previous)}`,
      );
    for (let gap = previous + 1; gap < day; gap++) days.push(filledDay(gap));
    days.push(historyDay(day, row));
    previous = day;
  }
  return { days, lastHistory: days.length - 1, first: start };
}

/** History followed by the planned days (strictly after the last history day, in order). */
export function withPlanned(history: Timeline, planned: readonly PlannedDay[]): Timeline {
  const days = history.days.slice(0, history.lastHistory + 1);
  let previous = history.first + history.lastHistory;
  for (const plan of planned) {
    const day = dayNumber(plan.date);
    if (day <= previous)
      throw new Error(
        `planned days must follow the history's last day ${dateOf(history.first + history.lastHistory)} in date order; got ${plan.date} after ${dateOf(previous)}`,
      );
    // A planned list that skips days (late data): the skipped days are assumed to open as the
    // store usually does on that weekday, without promotion; they are forecast but not returned.
    for (let gap = previous + 1; gap < day; gap++) days.push(assumedDay(gap, days));
    days.push({ day, ...plan, dayOfWeek: weekdayOf(day), sales: Number.NaN, recorded: true });
    previous = day;
  }
  return { days, lastHistory: history.lastHistory, first: history.first };
}

/** The history up to and including `day` (a backtest origin). */
export function historyThrough(history: Timeline, day: number): Timeline {
  const last = Math.min(history.lastHistory, day - history.first);
  return { days: history.days.slice(0, last + 1), lastHistory: last, first: history.first };
}

/** The history days after `origin`, as the business would have planned them (sales hidden). */
export function plannedFrom(history: Timeline, origin: number, horizon: number): PlannedDay[] {
  const from = origin - history.first + 1;
  return history.days.slice(from, from + horizon).map((d) => ({
    date: d.date,
    dayOfWeek: d.dayOfWeek,
    open: d.open,
    promo: d.promo,
    stateHoliday: d.stateHoliday,
    schoolHoliday: d.schoolHoliday,
  }));
}

function historyDay(day: number, row: DailySales): TimelineDay {
  // An open day without sales (a dirty row) counts as closed: the metric ignores it, and a zero
  // on the log scale would be a huge outlier for both families.
  const open = row.open === 1 && Number.isFinite(row.sales) && row.sales > 0 ? 1 : 0;
  return {
    day,
    date: row.date,
    dayOfWeek: weekdayOf(day),
    open,
    promo: row.promo === 1 ? 1 : 0,
    stateHoliday: row.stateHoliday,
    schoolHoliday: row.schoolHoliday === 1 ? 1 : 0,
    sales: open ? row.sales : 0,
    recorded: true,
  };
}

function filledDay(day: number): TimelineDay {
  return {
    day,
    date: dateOf(day),
    dayOfWeek: weekdayOf(day),
    open: 0,
    promo: 0,
    stateHoliday: '0',
    schoolHoliday: 0,
    sales: 0,
    recorded: false,
  };
}

function assumedDay(day: number, before: readonly TimelineDay[]): TimelineDay {
  const weekday = weekdayOf(day);
  const recent = before.slice(-56).filter((d) => d.dayOfWeek === weekday);
  const opened = recent.filter((d) => d.open === 1).length;
  return {
    ...filledDay(day),
    open: opened * 2 > recent.length ? 1 : 0,
    sales: Number.NaN,
  };
}
