/**
 * What the business knows ahead of every day: German public holidays per state, school holidays
 * per state, Rossmann's promotion weeks and Promo2 rounds, and from them whether a store opens.
 * The generator builds every day's open, promo and holiday fields with these functions, and
 * `plannedDays` builds forecast days with the same ones, so history and plans always agree.
 * Pure and deterministic; days are counted as whole days since 1970-01-01 (UTC) inside.
 */
import { seededRandom } from '../../../core/data/seeded-random.js';
import type { PlannedDay, StateHoliday, StoreProfile, StoreType } from './types.js';

const DAY_MS = 86_400_000;

/** The sixteen German states by their usual two-letter codes. */
export const GERMAN_STATES = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HH',
  'HE',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
] as const;
export type GermanState = (typeof GERMAN_STATES)[number];

/** `yyyy-MM-dd` → days since 1970-01-01 (UTC). */
export function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Days since 1970-01-01 → `yyyy-MM-dd`. */
export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday, as Rossmann's DayOfWeek (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** 1 = Monday … 7 = Sunday of a `yyyy-MM-dd`. */
export function dayOfWeekOf(date: string): number {
  return isoWeekday(epochDay(date));
}

function ymd(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The Monday of ISO week `week` of `year` (week 1 holds January 4th). */
export function mondayOfIsoWeek(year: number, week: number): number {
  const jan4 = ymd(year, 1, 4);
  return jan4 - (isoWeekday(jan4) - 1) + (week - 1) * 7;
}

/** Easter Sunday (Gregorian; the anonymous algorithm, also known as Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, dayOfMonth);
}

const inStates = (state: string, states: readonly GermanState[]) =>
  (states as readonly string[]).includes(state);

/** A year's public holidays of a state, coded as Rossmann codes them ('b' Easter, 'c' Christmas). */
function buildPublicHolidays(state: string, year: number): Map<number, StateHoliday> {
  const holidays = new Map<number, StateHoliday>();
  const add = (day: number, code: StateHoliday) => {
    if (!holidays.has(day)) holidays.set(day, code);
  };
  const easter = easterSunday(year);
  add(ymd(year, 1, 1), 'a');
  add(easter - 2, 'b'); // Good Friday
  add(easter + 1, 'b'); // Easter Monday
  add(ymd(year, 5, 1), 'a');
  add(easter + 39, 'a'); // Ascension
  add(easter + 50, 'a'); // Whit Monday
  add(ymd(year, 10, 3), 'a');
  add(ymd(year, 12, 25), 'c');
  add(ymd(year, 12, 26), 'c');
  if (inStates(state, ['BW', 'BY', 'ST'])) add(ymd(year, 1, 6), 'a'); // Epiphany
  if (inStates(state, ['BW', 'BY', 'HE', 'NW', 'RP', 'SL'])) add(easter + 60, 'a'); // Corpus Christi
  if (state === 'SL') add(ymd(year, 8, 15), 'a'); // Assumption
  // Reformation Day: the eastern states always, everyone in 2017 (its 500th year), four northern states since 2018.
  if (
    inStates(state, ['BB', 'MV', 'SN', 'ST', 'TH']) ||
    year === 2017 ||
    (year >= 2018 && inStates(state, ['HB', 'HH', 'NI', 'SH']))
  )
    add(ymd(year, 10, 31), 'a');
  if (inStates(state, ['BW', 'BY', 'NW', 'RP', 'SL'])) add(ymd(year, 11, 1), 'a'); // All Saints
  if (state === 'SN') {
    // Day of Repentance and Prayer: the Wednesday before November 23rd.
    const nov22 = ymd(year, 11, 22);
    add(nov22 - ((isoWeekday(nov22) - 3 + 7) % 7), 'a');
  }
  if (state === 'BE' && year >= 2019) add(ymd(year, 3, 8), 'a'); // International Women's Day
  if (state === 'TH' && year >= 2019) add(ymd(year, 9, 20), 'a'); // World Children's Day
  return holidays;
}

/** Inclusive day ranges of a state's school holidays that start in a year (Christmas runs into the next). */
function buildSchoolHolidays(state: string, year: number): [number, number][] {
  // A state's place in the list staggers its blocks, as the conference of education ministers does.
  const rank = Math.max(0, GERMAN_STATES.indexOf(state as GermanState));
  const easter = easterSunday(year);
  const ranges: [number, number][] = [];
  const block = (from: number, days: number) => ranges.push([from, from + days - 1]);
  if (inStates(state, ['BY', 'BE', 'BB', 'HB', 'MV', 'NI', 'SN', 'ST', 'TH']))
    block(mondayOfIsoWeek(year, 5 + (rank % 4)), 9); // winter break, Monday to the next Tuesday
  block(easter - 6 - 7 * (rank % 2), 14);
  if (inStates(state, ['BY', 'BW'])) block(easter + 50, 12); // Whitsun break
  // Summer: six weeks; Bavaria and Baden-Württemberg always last, the others rotate year by year.
  const summerWeek = state === 'BY' ? 31 : state === 'BW' ? 30 : 26 + ((rank + year) % 5);
  block(mondayOfIsoWeek(year, summerWeek), state === 'BY' ? 47 : 44);
  if (state === 'BY') block(mondayOfIsoWeek(year, 44), 7);
  else block(mondayOfIsoWeek(year, 40 + (rank % 4)), 14);
  ranges.push([ymd(year, 12, 23), ymd(year + 1, 1, 6)]);
  return ranges;
}

/** Years are computed once per state and kept: a store's 942 days touch three of them. */
function memoByStateYear<T>(build: (state: string, year: number) => T): (state: string, year: number) => T {
  const cache = new Map<string, T>();
  return (state, year) => {
    const key = `${state}|${year}`;
    let value = cache.get(key);
    if (value === undefined) {
      value = build(state, year);
      cache.set(key, value);
    }
    return value;
  };
}
const publicHolidays = memoByStateYear(buildPublicHolidays);
const schoolHolidays = memoByStateYear(buildSchoolHolidays);

/** '0' on an ordinary day, else the public holiday's code in that state. */
export function stateHolidayOn(state: string, day: number): StateHoliday {
  return publicHolidays(state, yearOf(day)).get(day) ?? '0';
}

export function schoolHolidayOn(state: string, day: number): 0 | 1 {
  const year = yearOf(day);
  // January's days belong to the previous year's Christmas block.
  for (const y of [year, year - 1]) {
    for (const [from, to] of schoolHolidays(state, y)) if (day >= from && day <= to) return 1;
  }
  return 0;
}

/** A Monday of a promotion week: Rossmann's Promo runs Monday to Friday every other week, in every store. */
const PROMO_ANCHOR = ymd(2015, 7, 27);

export function promoOn(day: number): 0 | 1 {
  const week = Math.floor((day - PROMO_ANCHOR) / 7);
  return week % 2 === 0 && isoWeekday(day) <= 5 ? 1 : 0;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Month numbers (1–12) of a Promo2 interval (`Jan,Apr,Jul,Oct`; Rossmann writes September `Sept`),
 * or undefined when a part is not a month's abbreviation.
 */
export function promoIntervalMonths(interval: string): number[] | undefined {
  const months: number[] = [];
  for (const part of interval.split(',')) {
    const name = part.trim();
    const index = MONTH_NAMES.indexOf(name === 'Sept' ? 'Sep' : name);
    if (index < 0 || months.includes(index + 1)) return undefined;
    months.push(index + 1);
  }
  return months;
}

/**
 * A store's Promo2 rounds as a test on days: the store takes part, has started, and the day's month
 * is one of its interval. Built once per store (a generator asks it a thousand times).
 */
export function promo2Schedule(
  profile: Pick<StoreProfile, 'promo2' | 'promo2Since' | 'promoInterval'>,
): (day: number) => boolean {
  if (!profile.promo2 || profile.promo2Since === null || profile.promoInterval === null) return () => false;
  const since = epochDay(profile.promo2Since);
  const months = new Set(promoIntervalMonths(profile.promoInterval) ?? []);
  return (day) => day >= since && months.has(new Date(day * DAY_MS).getUTCMonth() + 1);
}

/**
 * Type b stores (Rossmann's few large stores, at stations and airports) open every day but Easter
 * and Christmas holidays; the others close on Sundays and on every public holiday.
 */
export function opensOnSundays(storeType: StoreType): boolean {
  return storeType === 'b';
}

export function plannedOpen(storeType: StoreType, dayOfWeek: number, stateHoliday: StateHoliday): 0 | 1 {
  if (opensOnSundays(storeType)) return stateHoliday === 'b' || stateHoliday === 'c' ? 0 : 1;
  return dayOfWeek === 7 || stateHoliday !== '0' ? 0 : 1;
}

/** One day of a store as planned ahead. */
export function plannedDay(
  profile: Pick<StoreProfile, 'storeType' | 'state'>,
  day: number,
  date = dateOfEpochDay(day),
): PlannedDay {
  const dayOfWeek = isoWeekday(day);
  const stateHoliday = stateHolidayOn(profile.state, day);
  return {
    date,
    dayOfWeek,
    open: plannedOpen(profile.storeType, dayOfWeek, stateHoliday),
    promo: promoOn(day),
    stateHoliday,
    schoolHoliday: schoolHolidayOn(profile.state, day),
  };
}

/** `count` days of a store from `fromDate` (`yyyy-MM-dd`), as the business plans them (Rossmann's test.csv). */
export function plannedDays(
  profile: Pick<StoreProfile, 'storeType' | 'state'>,
  fromDate: string,
  count: number,
): PlannedDay[] {
  const first = epochDay(fromDate);
  if (Number.isNaN(first))
    throw new Error(`fromDate must be a day yyyy-MM-dd, got ${JSON.stringify(fromDate)}`);
  return Array.from({ length: count }, (_, i) => plannedDay(profile, first + i));
}

/**
 * Rossmann's store shares by state (the competition's store_states data, rounded); it has no state
 * column in store.csv, so a store number maps to a state by a fixed hash of the number.
 */
const STATE_SHARES: readonly [GermanState, number][] = [
  ['NW', 0.23],
  ['BY', 0.16],
  ['SH', 0.1],
  ['HE', 0.1],
  ['BE', 0.08],
  ['SN', 0.07],
  ['BW', 0.06],
  ['NI', 0.06],
  ['ST', 0.05],
  ['RP', 0.03],
  ['TH', 0.03],
  ['HH', 0.03],
];

/** The state a store number stands in: the same for every seed, and for a Rossmann CSV. */
export function stateOfStore(store: number): GermanState {
  let draw = seededRandom(Math.imul(store, 0x9e3779b1) ^ 0x5a1e5)();
  for (const [state, share] of STATE_SHARES) {
    draw -= share;
    if (draw < 0) return state;
  }
  return 'NW';
}
