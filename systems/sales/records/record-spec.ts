import { csvCellValue } from '../../../core/data/csv.js';
import type { RecordSpec, Validation } from '../../../core/pipelines/record-spec.js';
import {
  describeType,
  isCalendarDate,
  isPlainObject,
  MAX_FUTURE_SKEW_MS,
} from '../../../core/pipelines/validation-helpers.js';
import {
  dateOfEpochDay,
  dayOfWeekOf,
  GERMAN_STATES,
  mondayOfIsoWeek,
  promoIntervalMonths,
  stateOfStore,
} from './calendar.js';
import type { Assortment, DailySales, SalesRecord, StateHoliday, StoreProfile, StoreType } from './types.js';

/**
 * The sales system's record spec: store profiles (Rossmann's store.csv) and daily sales
 * (train.csv) on one pipeline, told apart by `kind`. Refusals read `<field>: expected …, got …`.
 */
export const SALES = 'sales';
/** Rossmann's store count: store numbers run from 1 to this. */
export const MAX_STORES = 1115;
/** A day's takings or customers beyond this are a broken feed, not a busy day (Rossmann's best day: 41,551). */
export const MAX_DAILY_COUNT = 1_000_000;
const FIRST_DAY = '2000-01-01';

export const STORE_TYPES: readonly StoreType[] = ['a', 'b', 'c', 'd'];
export const ASSORTMENTS: readonly Assortment[] = ['a', 'b', 'c'];
export const STATE_HOLIDAYS: readonly StateHoliday[] = ['0', 'a', 'b', 'c'];

const COMMON_FIELDS = ['kind', 'store', 'date'] as const;
export const SALES_KIND_FIELDS = {
  sales: ['dayOfWeek', 'sales', 'customers', 'open', 'promo', 'stateHoliday', 'schoolHoliday'],
  store: [
    'storeType',
    'assortment',
    'state',
    'competitionDistance',
    'competitionOpenSince',
    'promo2',
    'promo2Since',
    'promoInterval',
  ],
} as const satisfies Record<SalesRecord['kind'], readonly string[]>;

/** Every field of both kinds, in a fixed order: the CSV header of an export and the docs' schema. */
export const SALES_FIELDS: readonly string[] = [
  ...COMMON_FIELDS,
  ...SALES_KIND_FIELDS.sales,
  ...SALES_KIND_FIELDS.store,
];

const REQUIRED: Record<SalesRecord['kind'], readonly string[]> = {
  sales: [...COMMON_FIELDS, ...SALES_KIND_FIELDS.sales],
  store: [...COMMON_FIELDS, ...SALES_KIND_FIELDS.store],
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Data = Record<string, unknown>;

const expected = (field: string, what: string, value: unknown) =>
  `${field}: expected ${what}, got ${describeType(value)}`;

function checkStore(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_STORES
    ? undefined
    : expected('store', `a whole number from 1 to ${MAX_STORES}`, value);
}

/** A real day from 2000 on, not after the day the record reached the stream (plus clock skew). */
function checkDate(value: unknown, arrivalMs: number): string | undefined {
  if (typeof value !== 'string' || !DAY.test(value) || !isCalendarDate(value))
    return expected('date', 'a real day yyyy-MM-dd', value);
  if (value < FIRST_DAY) return `date: expected ${FIRST_DAY} or later, got ${value}`;
  if (Date.parse(value) > arrivalMs + MAX_FUTURE_SKEW_MS)
    return `date: expected a day that has begun when the record reached the stream (${new Date(arrivalMs).toISOString()}), got ${value}`;
  return undefined;
}

function checkCount(data: Data, field: string): string | undefined {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    return expected(field, 'a whole number ≥ 0', value);
  if (value > MAX_DAILY_COUNT) return `${field}: expected at most ${MAX_DAILY_COUNT} in a day, got ${value}`;
  return undefined;
}

function checkFlag(data: Data, field: string): string | undefined {
  const value = data[field];
  return value === 0 || value === 1 ? undefined : expected(field, '0 or 1', value);
}

function checkOneOf(data: Data, field: string, allowed: readonly string[]): string | undefined {
  const value = data[field];
  return typeof value === 'string' && allowed.includes(value)
    ? undefined
    : expected(field, `one of ${allowed.map((v) => `"${v}"`).join(', ')}`, value);
}

function checkDailySales(data: Data): string | undefined {
  const reason =
    checkCount(data, 'sales') ??
    checkCount(data, 'customers') ??
    checkFlag(data, 'open') ??
    checkFlag(data, 'promo') ??
    checkOneOf(data, 'stateHoliday', STATE_HOLIDAYS) ??
    checkFlag(data, 'schoolHoliday');
  if (reason) return reason;
  const date = data.date as string;
  const weekday = dayOfWeekOf(date);
  if (data.dayOfWeek !== weekday) {
    return expected('dayOfWeek', `${weekday} (${WEEKDAYS[weekday - 1]}) for ${date}`, data.dayOfWeek);
  }
  // A closed store sells nothing: takings on a closed day are a mislabelled day.
  if (data.open === 0) {
    for (const field of ['sales', 'customers'])
      if (data[field] !== 0) return `${field}: expected 0 on a closed day (open 0), got ${data[field]}`;
  }
  return undefined;
}

function checkProfile(data: Data): string | undefined {
  const reason =
    checkOneOf(data, 'storeType', STORE_TYPES) ??
    checkOneOf(data, 'assortment', ASSORTMENTS) ??
    checkOneOf(data, 'state', GERMAN_STATES);
  if (reason) return reason;
  const distance = data.competitionDistance;
  if (distance !== null && !(typeof distance === 'number' && Number.isFinite(distance) && distance >= 0))
    return expected('competitionDistance', 'metres ≥ 0 or null', distance);
  const since = data.competitionOpenSince;
  if (since !== null) {
    const match = typeof since === 'string' ? MONTH.exec(since) : null;
    const month = Number(match?.[2]);
    if (!match || Number(match[1]) < 1900 || month < 1 || month > 12)
      return expected('competitionOpenSince', 'a month yyyy-MM from 1900 on, or null', since);
  }
  if (typeof data.promo2 !== 'boolean') return expected('promo2', 'true or false', data.promo2);
  return data.promo2 ? checkPromo2(data) : checkNoPromo2(data);
}

function checkPromo2(data: Data): string | undefined {
  const since = data.promo2Since;
  if (typeof since !== 'string' || !DAY.test(since) || !isCalendarDate(since))
    return expected('promo2Since', 'a real day yyyy-MM-dd when promo2 is true', since);
  if (dayOfWeekOf(since) !== 1)
    return `promo2Since: expected a Monday (Promo2 starts with a week), got ${since}, a ${WEEKDAYS[dayOfWeekOf(since) - 1]}`;
  const interval = data.promoInterval;
  if (typeof interval !== 'string' || !promoIntervalMonths(interval))
    return expected('promoInterval', 'months like "Jan,Apr,Jul,Oct" when promo2 is true', interval);
  return undefined;
}

function checkNoPromo2(data: Data): string | undefined {
  for (const field of ['promo2Since', 'promoInterval'])
    if (data[field] !== null) return expected(field, 'null when promo2 is false', data[field]);
  return undefined;
}

/**
 * The field set must match exactly. The common case is checked without allocating; a miss names
 * both what is missing and what is extra, so a misspelt field reads as one.
 */
function fieldSetReason(data: Data, required: readonly string[]): string | undefined {
  let complete = Object.keys(data).length === required.length;
  for (let i = 0; complete && i < required.length; i++) complete = Object.hasOwn(data, required[i] as string);
  if (complete) return undefined;
  const missing = required.filter((field) => !Object.hasOwn(data, field));
  const extra = Object.keys(data).filter((field) => !required.includes(field));
  return [
    missing.length > 0 ? `missing field(s): ${missing.join(', ')}` : '',
    extra.length > 0 ? `unexpected field(s): ${extra.join(', ')} (expected: ${required.join(', ')})` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function validateSalesRecord(data: unknown, arrivalMs: number): Validation<SalesRecord> {
  if (!isPlainObject(data))
    return { ok: false, reason: `a sales record must be a JSON object, got ${describeType(data)}` };
  const kind = data.kind;
  if (kind !== 'sales' && kind !== 'store')
    return { ok: false, reason: expected('kind', '"sales" or "store"', kind) };
  const setReason = fieldSetReason(data, REQUIRED[kind]);
  if (setReason) return { ok: false, reason: `${kind} record: ${setReason}` };
  const reason =
    checkStore(data.store) ??
    checkDate(data.date, arrivalMs) ??
    (kind === 'sales' ? checkDailySales(data) : checkProfile(data));
  if (reason) return { ok: false, reason: `${kind} record: ${reason}` };
  return { ok: true, value: kind === 'sales' ? copySales(data) : copyProfile(data) };
}

/** A fresh literal in field order: every record of a kind then shares one shape downstream. */
function copySales(data: Data): DailySales {
  const d = data as unknown as DailySales;
  return {
    kind: 'sales',
    store: d.store,
    date: d.date,
    dayOfWeek: d.dayOfWeek,
    sales: d.sales,
    customers: d.customers,
    open: d.open,
    promo: d.promo,
    stateHoliday: d.stateHoliday,
    schoolHoliday: d.schoolHoliday,
  };
}

function copyProfile(data: Data): StoreProfile {
  const d = data as unknown as StoreProfile;
  return {
    kind: 'store',
    store: d.store,
    date: d.date,
    storeType: d.storeType,
    assortment: d.assortment,
    state: d.state,
    competitionDistance: d.competitionDistance,
    competitionOpenSince: d.competitionOpenSince,
    promo2: d.promo2,
    promo2Since: d.promo2Since,
    promoInterval: d.promoInterval,
  };
}

/** Cells read as numbers when they look like numbers; text otherwise, so validation names it. */
const cellNumber = (cell: string | undefined) => csvCellValue(cell ?? '');
const text = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? null : cell.trim());

/**
 * Rossmann's store.csv row. It gives the competitor's opening as month and year and Promo2's start
 * as ISO week and year; it has neither a date (the profile's event time: the first day of the
 * data, `2013-01-01`) nor a state (derived from the store number, see `stateOfStore`).
 */
function fromRossmannStore(row: Record<string, string>): Data {
  const store = cellNumber(row.Store);
  const month = text(row.CompetitionOpenSinceMonth);
  const year = text(row.CompetitionOpenSinceYear);
  const week = text(row.Promo2SinceWeek);
  const promoYear = text(row.Promo2SinceYear);
  return {
    kind: 'store',
    store,
    date: ROSSMANN_FIRST_DAY,
    storeType: text(row.StoreType),
    assortment: text(row.Assortment),
    state: typeof store === 'number' ? stateOfStore(store) : null,
    competitionDistance: cellNumber(row.CompetitionDistance),
    // Both or neither in Rossmann's file; one alone stays visible as a malformed month.
    competitionOpenSince:
      month === null && year === null ? null : `${year ?? '?'}-${(month ?? '?').padStart(2, '0')}`,
    promo2: row.Promo2?.trim() === '1' ? true : row.Promo2?.trim() === '0' ? false : text(row.Promo2),
    promo2Since:
      week === null || promoYear === null
        ? null
        : dateOfEpochDay(mondayOfIsoWeek(Number(promoYear), Number(week))),
    promoInterval: text(row.PromoInterval),
  };
}

/** Rossmann's train.csv row: StateHoliday stays text (its file mixes `0` and `"0"`). */
function fromRossmannDay(row: Record<string, string>): Data {
  return {
    kind: 'sales',
    store: cellNumber(row.Store),
    date: text(row.Date),
    dayOfWeek: cellNumber(row.DayOfWeek),
    sales: cellNumber(row.Sales),
    customers: cellNumber(row.Customers),
    open: cellNumber(row.Open),
    promo: cellNumber(row.Promo),
    stateHoliday: text(row.StateHoliday),
    schoolHoliday: cellNumber(row.SchoolHoliday),
  };
}

const ROSSMANN_FIRST_DAY = '2013-01-01';
const TEXT_FIELDS = new Set(['kind', 'date', 'stateHoliday', 'storeType', 'assortment', 'state']);
const NULLABLE_TEXT = new Set(['competitionOpenSince', 'promo2Since', 'promoInterval']);

/**
 * An export of this system's own records (header {@link SALES_FIELDS}): a row has its kind's cells;
 * the other kind's are empty and left out, so a filled foreign cell is still an unexpected field.
 */
function fromExport(row: Record<string, string>): Data {
  const kind = text(row.kind);
  const own: readonly string[] = kind === 'store' || kind === 'sales' ? REQUIRED[kind] : COMMON_FIELDS;
  const record: Data = {};
  for (const [field, cell] of Object.entries(row)) {
    const empty = cell === undefined || cell.trim() === '';
    if (empty && !own.includes(field)) continue;
    if (TEXT_FIELDS.has(field) || NULLABLE_TEXT.has(field)) record[field] = text(cell);
    else record[field] = cellNumber(cell);
  }
  return record;
}

export const salesRecordSpec: RecordSpec<SalesRecord> = {
  pipeline: SALES,
  fields: SALES_FIELDS,
  validate: validateSalesRecord,
  eventTimeMs: (record) => Date.parse(`${record.date}T00:00:00Z`),
  // One row per store and day; a store's profile is one record whatever day it is sent.
  naturalKey: (record) =>
    record.kind === 'sales' ? `${record.store}/${record.date}` : `${record.store}/profile`,
  // A store's profile and days stay on one shard, in order: the profile before its first day.
  partitionKey: (record) => String(record.store),
  fromCsvRow: (row) => {
    if ('kind' in row) return fromExport(row);
    return 'StoreType' in row ? fromRossmannStore(row) : fromRossmannDay(row);
  },
};
