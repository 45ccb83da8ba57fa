import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import {
  dateOfEpochDay,
  epochDay,
  isoWeekday,
  plannedOpen,
  promo2Schedule,
  promoOn,
  schoolHolidayOn,
  stateHolidayOn,
  stateOfStore,
} from './calendar.js';
import { MAX_STORES } from './record-spec.js';
import type { Assortment, DailySales, StateHoliday, StoreProfile, StoreType } from './types.js';

/**
 * Deterministic synthetic store sales shaped like Rossmann's (docs: systems/sales/docs/data.md):
 * every store's profile, then day by day every store's row. Open, promotion and holiday fields come
 * from the calendar (calendar.ts), the same functions `plannedDays` uses; sales and customers from
 * a store's hidden level, weekday and yearly pattern, promotions, holidays, competition, trend and
 * noise. Each store draws from its own seeded stream, so store 7's history is the same whether 10
 * or 1,115 stores are generated.
 */
export interface SalesGeneratorOptions {
  seed: number;
  /** Stores 1..`stores` (at most 1,115). */
  stores: number;
  /** First day, `yyyy-MM-dd`. */
  start: string;
  days: number;
  /** Share of daily rows sent broken (or twice). */
  dirtyRate: number;
  /** Day offset (0 = `start`) from which the shifted stores sell less; −1: no shift. */
  shiftDay: number;
  /** Share of stores that shift (at least one when a shift is asked for). */
  shiftStoreShare: number;
  /** Their sales from `shiftDay` on, as a multiple of before (0.7: a 30 % drop, a competitor opens). */
  shiftFactor: number;
}

/** Rossmann's span, 2013-01-01 to 2015-07-31. */
const PROFILE_SPAN_DAYS = 942;

export const defaultSalesGeneratorOptions: SalesGeneratorOptions = {
  seed: 42,
  stores: MAX_STORES,
  start: '2013-01-01',
  // To 2015-07-31, as Rossmann's train.csv.
  days: PROFILE_SPAN_DAYS,
  dirtyRate: 0.0005,
  shiftDay: -1,
  shiftStoreShare: 0.05,
  shiftFactor: 0.7,
};

export type SalesDefect =
  | 'negative-sales'
  | 'wrong-weekday'
  | 'sales-when-closed'
  | 'missing-field'
  | 'misspelled-field'
  | 'store-out-of-range'
  | 'bad-date'
  | 'wrong-type'
  | 'duplicate';
export const SALES_DEFECTS: readonly SalesDefect[] = [
  'negative-sales',
  'wrong-weekday',
  'sales-when-closed',
  'missing-field',
  'misspelled-field',
  'store-out-of-range',
  'bad-date',
  'wrong-type',
  'duplicate',
];

/** What a test or a benchmark may know about a store and the records never say. */
export interface StoreTruth {
  store: number;
  /** Sales of an ordinary open day (no promotion, no season, no trend), the median over noise. */
  level: number;
  /** Sales per customer. */
  basket: number;
  /** Sales on a Promo day as a multiple of an ordinary one. */
  promoLift: number;
  /** Change of log sales per year. */
  trendPerYear: number;
  /** The day the competitor opened when inside the data (sales × (1 − `competitionCut`) from then), else null. */
  competitionOpens: string | null;
  competitionCut: number;
  /** Closed for refurbishment (no rows) over {@link SalesTruth.refurbishment}. */
  refurbished: boolean;
  /** Sells `shiftFactor` times as much from {@link SalesTruth.shiftDate}. */
  shifted: boolean;
}

export interface SalesTruth {
  stores: StoreTruth[];
  /** The first shifted day; null without a shift. */
  shiftDate: string | null;
  /** The refurbished stores' missing days (inclusive); null when the data ends before them. */
  refurbishment: { from: string; to: string } | null;
  /** Daily rows made dirty, by defect. */
  defects: Record<SalesDefect, number>;
}

export interface SalesGeneration {
  /** In arrival order: profiles, then day by day; mostly {@link SalesRecord}s, a few broken. */
  records: unknown[];
  truth: SalesTruth;
}

/** Rossmann's store-type shares (a 54 %, b 1.5 %, c 13 %, d 31 %). */
const TYPES: readonly StoreType[] = ['a', 'b', 'c', 'd'];
const TYPE_SHARES = [0.54, 0.015, 0.13, 0.315];
const ASSORTMENTS: readonly Assortment[] = ['a', 'b', 'c'];
/** Assortment b ("extra") only in type b stores, as in Rossmann. */
const ASSORTMENT_SHARES: Record<'b' | 'other', number[]> = { b: [0.25, 0.5, 0.25], other: [0.53, 0, 0.47] };
const INTERVALS = ['Jan,Apr,Jul,Oct', 'Feb,May,Aug,Nov', 'Mar,Jun,Sept,Dec'];
const INTERVAL_SHARES = [0.6, 0.25, 0.15];
/** Rossmann: 180 of 1,115 stores have no rows from July to December 2014. */
const REFURBISHED_SHARE = 180 / 1115;
const GAP_FIRST_OFFSET = 546;
const GAP_LAST_OFFSET = 729;

/** Monday high, Saturday low; Sunday for the stores that open then. */
const WEEKDAY = [0, 1.12, 1, 0.95, 0.95, 1, 0.92, 1];
const NOISE_SD = 0.1;
const CUSTOMER_NOISE_SD = 0.05;
/** Customers spend more per visit in a promotion week. */
const PROMO_BASKET = 1.1;
const PROMO2_LIFT = 1.03;
const SCHOOL_HOLIDAY_LIFT = 1.03;
/** Shoppers stock up before a holiday closure and restock after it. */
const BEFORE_CLOSURE_LIFT = 0.15;
const AFTER_CLOSURE_LIFT = 0.1;
const REOPENING_LIFT = 0.3;

const SALT = { store: 0x51a7e5, shift: 0x5b1f7, dirty: 0xd1e7 } as const;

function streamSeed(seed: number, salt: number, store: number): number {
  return (Math.imul(seed ^ salt, 0x85ebca6b) + Math.imul(store, 0xc2b2ae35)) >>> 0;
}

function pick<T>(random: () => number, values: readonly T[], shares: readonly number[]): T {
  let draw = random();
  for (let i = 0; i < values.length; i++) {
    draw -= shares[i] as number;
    if (draw < 0) return values[i] as T;
  }
  return values[values.length - 1] as T;
}

function validateOptions(o: SalesGeneratorOptions): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start) || Number.isNaN(epochDay(o.start)))
    throw new Error(`start must be a day yyyy-MM-dd, got ${JSON.stringify(o.start)}`);
  if (!(Number.isInteger(o.stores) && o.stores >= 1 && o.stores <= MAX_STORES))
    throw new Error(`stores must be a whole number from 1 to ${MAX_STORES}, got ${o.stores}`);
  if (!(Number.isInteger(o.days) && o.days >= 1))
    throw new Error(`days must be a whole number >= 1, got ${o.days}`);
  if (!(Number.isInteger(o.shiftDay) && o.shiftDay >= -1))
    throw new Error(`shiftDay must be a whole number >= -1, got ${o.shiftDay}`);
  if (!(o.dirtyRate >= 0 && o.dirtyRate < 1))
    throw new Error(`dirtyRate must be in [0, 1), got ${o.dirtyRate}`);
  if (!(o.shiftStoreShare >= 0 && o.shiftStoreShare <= 1))
    throw new Error(`shiftStoreShare must be in [0, 1], got ${o.shiftStoreShare}`);
  if (!(o.shiftFactor > 0)) throw new Error(`shiftFactor must be > 0, got ${o.shiftFactor}`);
}

interface Store {
  profile: StoreProfile;
  truth: StoreTruth;
  random: () => number;
  /** Day offsets (0 = start) from which the competitor and the shift act; Infinity: never. */
  competitionFrom: number;
  shiftFrom: number;
}

/** A store's profile and hidden parameters, from its own stream (which then draws its days). */
function drawStore(seed: number, store: number, firstDay: number, lastDay: number): Store {
  const random = seededRandom(streamSeed(seed, SALT.store, store));
  const storeType = pick(random, TYPES, TYPE_SHARES);
  const assortment = pick(random, ASSORTMENTS, ASSORTMENT_SHARES[storeType === 'b' ? 'b' : 'other']);
  // Distances: median about 2.3 km, a long tail to tens of km; a few unknown.
  const distanceDraw = Math.exp(Math.log(2300) + 1.1 * gaussian(random));
  const distanceKnown = random() >= 0.003;
  const competitionDistance = distanceKnown
    ? Math.min(80_000, Math.max(20, Math.round(distanceDraw / 10) * 10))
    : null;
  // Openings: a third unknown; the rest months before the data's end, a few inside the data.
  const last = new Date(lastDay * 86_400_000);
  const lastMonth = (last.getUTCFullYear() - 1970) * 12 + last.getUTCMonth();
  const openingKnown = random() >= 0.32 && distanceKnown;
  const monthsBefore = Math.floor(-Math.log(Math.max(random(), 1e-12)) * 90);
  const openMonthDay = epochDay(monthStart(Math.max(0, lastMonth - monthsBefore)));
  const competitionOpenSince = openingKnown
    ? dateOfEpochDay(Math.max(openMonthDay, epochDay('1990-01-01'))).slice(0, 7)
    : null;
  const competitionCut = 0.05 + 0.1 * random();
  const competitionOpensInside = competitionOpenSince !== null && openMonthDay > firstDay;
  // Promo2: about half the stores, started on a Monday from four years before the data to its last quarter.
  const promo2 = random() < 0.51;
  const sinceDraw = firstDay - 4 * 365 + Math.floor(random() * (lastDay - 90 - (firstDay - 4 * 365)));
  const interval = pick(random, INTERVALS, INTERVAL_SHARES);
  const level =
    5800 *
    Math.exp(0.33 * gaussian(random)) *
    (storeType === 'b' ? 1.7 : 1) *
    (assortment === 'c' ? 1.05 : 1);
  const basket =
    9 * Math.exp(0.12 * gaussian(random)) * (storeType === 'b' ? 0.6 : storeType === 'd' ? 1.2 : 1);
  const promoLift = 1.2 + 0.2 * random();
  const trendPerYear = 0.05 * gaussian(random);
  const refurbished = random() < REFURBISHED_SHARE;
  const profile: StoreProfile = {
    kind: 'store',
    store,
    date: dateOfEpochDay(firstDay),
    storeType,
    assortment,
    state: stateOfStore(store),
    competitionDistance,
    competitionOpenSince,
    promo2,
    promo2Since: promo2 ? dateOfEpochDay(sinceDraw - (isoWeekday(sinceDraw) - 1)) : null,
    promoInterval: promo2 ? interval : null,
  };
  return {
    profile,
    truth: {
      store,
      level: Math.round(level),
      basket,
      promoLift,
      trendPerYear,
      competitionOpens: competitionOpensInside ? dateOfEpochDay(openMonthDay) : null,
      competitionCut: competitionOpensInside ? competitionCut : 0,
      refurbished,
      shifted: false,
    },
    random,
    competitionFrom: competitionOpensInside ? openMonthDay - firstDay : Number.POSITIVE_INFINITY,
    shiftFrom: Number.POSITIVE_INFINITY,
  };
}

/** `yyyy-MM-01` of a month counted from January 1970. */
function monthStart(monthIndex: number): string {
  const year = 1970 + Math.floor(monthIndex / 12);
  return `${year}-${String((monthIndex % 12) + 1).padStart(2, '0')}-01`;
}

function drawStores(options: SalesGeneratorOptions): Store[] {
  const firstDay = epochDay(options.start);
  // Profiles are placed against Rossmann's span whatever `days` is: a short demo has the same stores.
  const lastDay = firstDay + PROFILE_SPAN_DAYS - 1;
  const stores: Store[] = [];
  for (let store = 1; store <= options.stores; store++)
    stores.push(drawStore(options.seed, store, firstDay, lastDay));
  if (options.shiftDay >= 0 && options.shiftDay < options.days && options.shiftStoreShare > 0) {
    // Its own stream per store: which stores shift never changes their other draws.
    const draws = stores.map((s) => seededRandom(streamSeed(options.seed, SALT.shift, s.profile.store))());
    let chosen = stores.filter((_, i) => (draws[i] as number) < options.shiftStoreShare);
    if (chosen.length === 0) chosen = [stores[draws.indexOf(Math.min(...draws))] as Store];
    for (const s of chosen) {
      s.truth.shifted = true;
      s.shiftFrom = options.shiftDay;
    }
  }
  return stores;
}

/** The stores' profiles and truths alone, without their days (cheap: for tests, benches and demos). */
export function salesStores(options: SalesGeneratorOptions = defaultSalesGeneratorOptions): {
  profiles: StoreProfile[];
  truth: StoreTruth[];
} {
  validateOptions(options);
  const stores = drawStores(options);
  return { profiles: stores.map((s) => s.profile), truth: stores.map((s) => s.truth) };
}

/** Yearly pattern: a slight summer high, a quiet early January, December climbing to Christmas Eve. */
function seasonFactor(day: number): number {
  const date = new Date(day * 86_400_000);
  const month = date.getUTCMonth() + 1;
  const dom = date.getUTCDate();
  const dayOfYear = (day - epochDay(`${date.getUTCFullYear()}-01-01`)) % 365;
  let factor = 1 + 0.03 * Math.cos((2 * Math.PI * (dayOfYear - 196)) / 365);
  if (month === 12) factor *= dom <= 24 ? 1.08 + (0.3 * dom) / 24 : 1.02;
  else if (month === 1 && dom <= 10) factor *= 0.92;
  return factor;
}

/** One store type in one state: planned opening and the lift around holiday closures, per day offset. */
interface DayTable {
  open: Uint8Array;
  nearClosure: Float64Array;
}

/** Holiday codes and school holidays of a state, per day offset, with `margin` days on each side. */
interface StateDays {
  holiday: StateHoliday[];
  school: Uint8Array;
}

const MARGIN = 3;

function stateDays(state: string, firstDay: number, days: number): StateDays {
  const holiday: StateHoliday[] = [];
  const school = new Uint8Array(days + 2 * MARGIN);
  for (let i = 0; i < days + 2 * MARGIN; i++) {
    const day = firstDay - MARGIN + i;
    holiday.push(stateHolidayOn(state, day));
    school[i] = schoolHolidayOn(state, day);
  }
  return { holiday, school };
}

function dayTable(storeType: StoreType, calendar: StateDays, firstDay: number, days: number): DayTable {
  const span = days + 2 * MARGIN;
  const open = new Uint8Array(span);
  const holidayClosed = new Uint8Array(span);
  for (let i = 0; i < span; i++) {
    const holiday = calendar.holiday[i] as StateHoliday;
    open[i] = plannedOpen(storeType, isoWeekday(firstDay - MARGIN + i), holiday);
    holidayClosed[i] = open[i] === 0 && holiday !== '0' ? 1 : 0;
  }
  const nearClosure = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const i = d + MARGIN;
    let lift = 1;
    // The nearest closure run ahead (or behind) within the margin holds a holiday.
    for (const [step, extra] of [
      [1, BEFORE_CLOSURE_LIFT],
      [-1, AFTER_CLOSURE_LIFT],
    ] as const) {
      for (let k = 1; k <= MARGIN && open[i + step * k] === 0; k++) {
        if (holidayClosed[i + step * k]) {
          lift += extra;
          break;
        }
      }
    }
    nearClosure[d] = lift;
  }
  return { open: open.subarray(MARGIN, MARGIN + days), nearClosure };
}

/** One day of the run: its records in arrival order (the first day's begin with every profile). */
export interface SalesDayBatch {
  date: string;
  records: unknown[];
  /** The same object every day; `defects` counts so far. */
  truth: SalesTruth;
}

/**
 * The run one day at a time, so a consumer need not hold a million rows at once. Only the day's
 * rows and per-store and per-state tables are kept.
 */
export function* salesDays(
  options: SalesGeneratorOptions = defaultSalesGeneratorOptions,
): Generator<SalesDayBatch> {
  validateOptions(options);
  const firstDay = epochDay(options.start);
  const stores = drawStores(options);
  const defects = Object.fromEntries(SALES_DEFECTS.map((d) => [d, 0])) as Record<SalesDefect, number>;
  const gapInside = options.days > GAP_FIRST_OFFSET;
  const truth: SalesTruth = {
    stores: stores.map((s) => s.truth),
    shiftDate: stores.some((s) => s.truth.shifted) ? dateOfEpochDay(firstDay + options.shiftDay) : null,
    refurbishment: gapInside
      ? {
          from: dateOfEpochDay(firstDay + GAP_FIRST_OFFSET),
          to: dateOfEpochDay(firstDay + Math.min(GAP_LAST_OFFSET, options.days - 1)),
        }
      : null,
    defects,
  };

  const states = new Map<string, StateDays>();
  const tables = new Map<string, DayTable>();
  const storeTables = stores.map((s) => {
    const { state, storeType } = s.profile;
    let calendar = states.get(state);
    if (!calendar) {
      calendar = stateDays(state, firstDay, options.days);
      states.set(state, calendar);
    }
    const key = `${storeType}|${state}`;
    let table = tables.get(key);
    if (!table) {
      table = dayTable(storeType, calendar, firstDay, options.days);
      tables.set(key, table);
    }
    return { calendar, table, promo2: promo2Schedule(s.profile) };
  });
  const dirtyRandom = seededRandom(streamSeed(options.seed, SALT.dirty, 0));

  for (let d = 0; d < options.days; d++) {
    const day = firstDay + d;
    const date = dateOfEpochDay(day);
    const dayOfWeek = isoWeekday(day);
    const promo = promoOn(day);
    const season = seasonFactor(day) * (WEEKDAY[dayOfWeek] as number);
    const records: unknown[] = d === 0 ? stores.map((s) => s.profile) : [];
    const inGap = d >= GAP_FIRST_OFFSET && d <= GAP_LAST_OFFSET;
    for (let i = 0; i < stores.length; i++) {
      const s = stores[i] as Store;
      const t = s.truth;
      if (inGap && t.refurbished) continue;
      const { calendar, table, promo2 } = storeTables[i] as (typeof storeTables)[number];
      const open = table.open[d] as 0 | 1;
      const schoolHoliday = calendar.school[d + MARGIN] as 0 | 1;
      let sales = 0;
      let customers = 0;
      if (open === 1) {
        let mean = t.level * season * (table.nearClosure[d] as number);
        if (promo) mean *= t.promoLift;
        if (promo2(day)) mean *= PROMO2_LIFT;
        if (schoolHoliday) mean *= SCHOOL_HOLIDAY_LIFT;
        if (d >= s.competitionFrom) mean *= 1 - t.competitionCut;
        if (d >= s.shiftFrom) mean *= options.shiftFactor;
        if (t.refurbished && d > GAP_LAST_OFFSET)
          mean *= 1 + REOPENING_LIFT * Math.exp(-(d - GAP_LAST_OFFSET - 1) / 10);
        mean *= Math.exp((t.trendPerYear * d) / 365);
        sales = Math.round(mean * Math.exp(NOISE_SD * gaussian(s.random)));
        customers = Math.round(
          (sales / (t.basket * (promo ? PROMO_BASKET : 1))) *
            Math.exp(CUSTOMER_NOISE_SD * gaussian(s.random)),
        );
      }
      const row: DailySales = {
        kind: 'sales',
        store: t.store,
        date,
        dayOfWeek,
        sales,
        customers,
        open,
        promo,
        stateHoliday: calendar.holiday[d + MARGIN] as StateHoliday,
        schoolHoliday,
      };
      if (options.dirtyRate > 0 && dirtyRandom() < options.dirtyRate)
        pushDirty(records, row, dirtyRandom, defects);
      else records.push(row);
    }
    yield { date, records, truth };
  }
}

/** The row broken in one of the ways a feed breaks (or sent twice), counted by defect. */
function pushDirty(
  records: unknown[],
  row: DailySales,
  random: () => number,
  defects: Record<SalesDefect, number>,
): void {
  const defect = SALES_DEFECTS[Math.floor(random() * SALES_DEFECTS.length)] as SalesDefect;
  defects[defect]++;
  switch (defect) {
    case 'negative-sales':
      records.push({ ...row, sales: -1 - Math.floor(random() * 500) });
      return;
    case 'wrong-weekday':
      records.push({ ...row, dayOfWeek: (row.dayOfWeek % 7) + 1 });
      return;
    case 'sales-when-closed':
      records.push(row.sales > 0 ? { ...row, open: 0 } : { ...row, open: 0, sales: 1234, customers: 150 });
      return;
    case 'missing-field': {
      const { customers: _, ...rest } = row;
      records.push(rest);
      return;
    }
    case 'misspelled-field': {
      const { customers, ...rest } = row;
      records.push({ ...rest, custmers: customers });
      return;
    }
    case 'store-out-of-range':
      records.push({ ...row, store: MAX_STORES + row.store });
      return;
    case 'bad-date':
      // A 30th of February: well formed, no such day.
      records.push({ ...row, date: `${row.date.slice(0, 4)}-02-30` });
      return;
    case 'wrong-type':
      records.push({ ...row, sales: String(row.sales) });
      return;
    case 'duplicate':
      records.push(row, { ...row });
      return;
  }
}

/** Every record of the run in arrival order, with the truth behind it. */
export function generateSales(
  options: SalesGeneratorOptions = defaultSalesGeneratorOptions,
): SalesGeneration {
  const records: unknown[] = [];
  let truth: SalesTruth | undefined;
  for (const batch of salesDays(options)) {
    for (const record of batch.records) records.push(record);
    truth = batch.truth;
  }
  return { records, truth: truth as SalesTruth };
}
