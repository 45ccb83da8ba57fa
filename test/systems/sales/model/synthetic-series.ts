import { gaussian, seededRandom } from '../../../../core/data/seeded-random.js';
import type { PlannedDay, StoreSeries } from '../../../../systems/sales/model/types.js';
import type { DailySales, StoreProfile } from '../../../../systems/sales/records/types.js';

/**
 * A small Rossmann-like store for the model tests (the real generator lives in
 * systems/sales/records): a weekly pattern, promotions every other week, closed on Sundays and on
 * a few holidays, a yearly swing with a December peak, and multiplicative noise. Seeded.
 */
export interface SyntheticOptions {
  days?: number;
  start?: string;
  seed?: number;
  /** Multiplicative noise on the log scale (standard deviation). @default 0.06 */
  noise?: number;
  /** Multiplies sales from this day index on (a level shift). */
  shiftFrom?: number;
  shiftFactor?: number;
  store?: number;
}

export const SYNTHETIC_PROFILE: StoreProfile = {
  kind: 'store',
  store: 7,
  date: '2013-01-01',
  storeType: 'a',
  assortment: 'a',
  state: 'NW',
  competitionDistance: 1200,
  competitionOpenSince: '2012-05',
  promo2: false,
  promo2Since: null,
  promoInterval: null,
};

const WEEKDAY_FACTOR = [1.15, 0.95, 0.92, 0.97, 1.05, 1.2, 1]; // Mon..Sun (Sun closed)
const HOLIDAYS = new Set(['01-01', '05-01', '10-03', '12-25', '12-26']);

export function syntheticSeries(options: SyntheticOptions = {}): StoreSeries {
  const days = options.days ?? 900;
  const start = Date.parse(`${options.start ?? '2013-01-01'}T00:00:00Z`);
  const random = seededRandom(options.seed ?? 1);
  const noise = options.noise ?? 0.06;
  const store = options.store ?? SYNTHETIC_PROFILE.store;
  const rows: DailySales[] = [];
  for (let i = 0; i < days; i++) {
    const day = plannedDay(start, i);
    const base = 6000 * (WEEKDAY_FACTOR[day.dayOfWeek - 1] as number);
    const month = Number(day.date.slice(5, 7));
    const season = 1 + 0.08 * Math.sin((2 * Math.PI * (i % 365)) / 365) + (month === 12 ? 0.25 : 0);
    const shift = options.shiftFrom !== undefined && i >= options.shiftFrom ? (options.shiftFactor ?? 1) : 1;
    const mean = base * season * (day.promo ? 1.35 : 1) * (day.schoolHoliday ? 1.05 : 1) * shift;
    const sales = day.open ? Math.round(mean * Math.exp(noise * gaussian(random))) : 0;
    rows.push({ kind: 'sales', store, ...day, sales, customers: Math.round(sales / 9) });
  }
  return { profile: { ...SYNTHETIC_PROFILE, store }, days: rows };
}

/** Day `i` after `start` as planned: open except Sundays and holidays, promo every other week. */
export function plannedDay(startMs: number, i: number): PlannedDay {
  const date = new Date(startMs + i * 86_400_000).toISOString().slice(0, 10);
  const dayOfWeek = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const holiday = HOLIDAYS.has(date.slice(5));
  const week = Math.floor(i / 7);
  const month = Number(date.slice(5, 7));
  return {
    date,
    dayOfWeek,
    open: dayOfWeek === 7 || holiday ? 0 : 1,
    promo: week % 2 === 0 && dayOfWeek <= 5 ? 1 : 0,
    stateHoliday: holiday ? (date.endsWith('12-25') || date.endsWith('12-26') ? 'c' : 'a') : '0',
    schoolHoliday: month === 7 || month === 8 ? 1 : 0,
  };
}

/** The planned days that follow a series' last day. */
export function plannedAfter(series: StoreSeries, horizon: number): PlannedDay[] {
  const last = series.days.at(-1)?.date ?? '2013-01-01';
  const from = Date.parse(`${last}T00:00:00Z`) + 86_400_000;
  const first = Date.parse(`${series.days[0]?.date ?? last}T00:00:00Z`);
  const offset = Math.round((from - first) / 86_400_000);
  return Array.from({ length: horizon }, (_, h) => plannedDay(first, offset + h));
}
