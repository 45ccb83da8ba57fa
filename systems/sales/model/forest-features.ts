import { type StoreCalendar, storeCalendar } from './store-calendar.js';
import type { Timeline } from './timeline.js';
import type { StoreProfile } from './types.js';

/**
 * The forest's features for one day. Everything is known when the forecast is made, for every
 * horizon up to `lag` days: the calendar, the plan (opening, promotions, holidays), the profile,
 * and sales only from days at least `lag` days before the target day. So one feature function
 * serves training rows, backtest folds and forecasts alike, and no fold can see its future.
 *
 * The target is log(sales) minus `level` (the store's recent mean log sales, `lag` days back): a
 * tree cannot extrapolate, but a deviation from a recent level can be added back to any level, so
 * a store whose sales shifted gets forecasts that shift with it.
 */
export const FOREST_FEATURES = [
  'dayOfWeek',
  'dayOfMonth',
  'month',
  'dayOfYear',
  'promo',
  'promo2Month',
  'promo2Started',
  'stateHoliday',
  'schoolHoliday',
  'daysToClosed',
  'daysFromClosed',
  'daysToHoliday',
  'daysFromHoliday',
  'daysToChristmas',
  'competitionOpen',
  'competitionMonths',
  'weekdayDeviation',
  'lastYearDeviation',
  'lastYearWeekDeviation',
] as const;

/** Open days averaged into a level: about four weeks of a store closed on Sundays. */
const LEVEL_OPEN_DAYS = 24;
/** Fewer open days than this within `LEVEL_REACH` days back: no level (the row is not used). */
const LEVEL_MIN_OPEN_DAYS = 6;
/**
 * How far back a level may reach: past a refurbishment (about 180 closed days in Rossmann's data,
 * 184 in the generator's), so the first weeks after a store reopens still have the level it had
 * before it closed; without it a backtest fold in or just after the closure could not forecast.
 */
const LEVEL_REACH = 400;
const WEEKDAY_WEEKS = 8;
const CLOSED_CAP = 7;
const HOLIDAY_CAP = 14;
const HOLIDAY_CODES = { '0': 0, a: 1, b: 2, c: 3 } as const;

/**
 * Precomputed lookups over a timeline: log sales of open recorded history days and their prefix
 * sums, so a level is a binary search and a subtraction instead of a scan.
 */
export interface FeatureContext {
  readonly timeline: Timeline;
  readonly calendar: StoreCalendar;
  readonly lag: number;
  /** Indices (into the timeline) of open history days with sales, ascending. */
  readonly openIndex: Int32Array;
  /** prefix[k] = sum of log sales of openIndex[0..k). */
  readonly prefix: Float64Array;
  /** log(sales) per timeline index, NaN when closed, missing or planned. */
  readonly logSales: Float64Array;
  readonly nextClosed: Int32Array;
  readonly previousClosed: Int32Array;
  readonly nextHoliday: Int32Array;
  readonly previousHoliday: Int32Array;
}

export function featureContext(profile: StoreProfile, timeline: Timeline, lag: number): FeatureContext {
  const { days, lastHistory } = timeline;
  const n = days.length;
  const logSales = new Float64Array(n).fill(Number.NaN);
  const open: number[] = [];
  for (let i = 0; i <= lastHistory; i++) {
    const d = days[i];
    if (d && d.open === 1 && d.recorded && d.sales > 0) {
      logSales[i] = Math.log(d.sales);
      open.push(i);
    }
  }
  const prefix = new Float64Array(open.length + 1);
  open.forEach((i, k) => {
    prefix[k + 1] = (prefix[k] as number) + (logSales[i] as number);
  });
  const closed = (i: number) => days[i]?.open === 0;
  const holiday = (i: number) => days[i]?.stateHoliday !== '0';
  return {
    timeline,
    calendar: storeCalendar(profile),
    lag,
    openIndex: Int32Array.from(open),
    prefix,
    logSales,
    nextClosed: nearest(n, closed, 1),
    previousClosed: nearest(n, closed, -1),
    nextHoliday: nearest(n, holiday, 1),
    previousHoliday: nearest(n, holiday, -1),
  };
}

/**
 * Mean log sales of the last `LEVEL_OPEN_DAYS` open days at or before index `end` (NaN when
 * fewer than `LEVEL_MIN_OPEN_DAYS` open days lie within `LEVEL_REACH` days).
 */
export function levelAt(context: FeatureContext, end: number): number {
  const upto = countAtOrBefore(context.openIndex, end);
  const from = Math.max(0, upto - LEVEL_OPEN_DAYS);
  let count = upto - from;
  let start = from;
  while (count > 0 && (context.openIndex[start] as number) < end - LEVEL_REACH) {
    start++;
    count--;
  }
  if (count < LEVEL_MIN_OPEN_DAYS) return Number.NaN;
  return ((context.prefix[upto] as number) - (context.prefix[start] as number)) / count;
}

/** The last index whose sales a forecast of index `i` may use. */
export function lagEnd(context: FeatureContext, i: number): number {
  return Math.min(i - context.lag, context.timeline.lastHistory);
}

/** One feature row for timeline index `i`, and the level its target is measured from. */
export function featureRow(context: FeatureContext, i: number): { row: number[]; level: number } {
  const { timeline, calendar, logSales } = context;
  const d = timeline.days[i];
  if (!d) throw new Error(`no day at index ${i}`);
  const end = lagEnd(context, i);
  const level = levelAt(context, end);
  const date = d.date;
  const month = Number(date.slice(5, 7));
  const dayOfMonth = Number(date.slice(8, 10));
  const yearStart = Date.UTC(Number(date.slice(0, 4)), 0, 1) / 86_400_000;

  let weekdaySum = 0;
  let weekdayCount = 0;
  for (let k = 0; k < WEEKDAY_WEEKS * 7; k++) {
    const j = end - k;
    if (j < 0) break;
    if (timeline.days[j]?.dayOfWeek !== d.dayOfWeek) continue;
    const value = logSales[j] as number;
    if (!Number.isNaN(value)) {
      weekdaySum += value;
      weekdayCount++;
    }
  }

  // Last year: the same weekday 52 weeks back, and the week around it, each measured from the
  // level that day had (so last year's seasonal swing, not last year's level, is the feature).
  const yearAgo = i - 364;
  const yearAgoLevel = yearAgo >= 0 ? levelAt(context, lagEnd(context, yearAgo)) : Number.NaN;
  const yearAgoValue =
    yearAgo >= 0 && yearAgo <= timeline.lastHistory ? (logSales[yearAgo] as number) : Number.NaN;
  let weekSum = 0;
  let weekCount = 0;
  for (let j = yearAgo - 3; j <= yearAgo + 3; j++) {
    if (j < 0 || j > timeline.lastHistory) continue;
    const value = logSales[j] as number;
    if (!Number.isNaN(value)) {
      weekSum += value;
      weekCount++;
    }
  }

  const row = [
    d.dayOfWeek,
    dayOfMonth,
    month,
    d.day - yearStart + 1,
    d.promo,
    calendar.promo2Month(d.day),
    calendar.promo2Started(d.day),
    HOLIDAY_CODES[d.stateHoliday] ?? 0,
    d.schoolHoliday,
    distance(context.nextClosed[i] as number, i, CLOSED_CAP),
    distance(context.previousClosed[i] as number, i, CLOSED_CAP),
    distance(context.nextHoliday[i] as number, i, HOLIDAY_CAP),
    distance(context.previousHoliday[i] as number, i, HOLIDAY_CAP),
    month === 12 && dayOfMonth <= 25 ? 25 - dayOfMonth : 30,
    calendar.competitionOpen(d.day),
    calendar.competitionMonths(d.day),
    weekdayCount > 0 ? weekdaySum / weekdayCount - level : Number.NaN,
    yearAgoValue - yearAgoLevel,
    weekCount > 0 ? weekSum / weekCount - yearAgoLevel : Number.NaN,
  ];
  return { row, level };
}

/** For every index, the nearest index (itself included) in `direction` where `hit`; -1 if none. */
function nearest(n: number, hit: (i: number) => boolean, direction: 1 | -1): Int32Array {
  const out = new Int32Array(n).fill(-1);
  let last = -1;
  for (let k = 0; k < n; k++) {
    const i = direction === 1 ? n - 1 - k : k;
    if (hit(i)) last = i;
    out[i] = last;
  }
  return out;
}

function distance(at: number, i: number, cap: number): number {
  return at < 0 ? cap : Math.min(cap, Math.abs(at - i));
}

function countAtOrBefore(sorted: Int32Array, end: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= end) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
