import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../../core/data/csv.js';
import { stateOfStore } from '../../../../systems/sales/records/calendar.js';
import { MAX_STORES, SALES_FIELDS, salesRecordSpec } from '../../../../systems/sales/records/record-spec.js';
import type { DailySales, StoreProfile } from '../../../../systems/sales/records/types.js';

const ARRIVAL_MS = Date.UTC(2015, 7, 1);

const DAY: DailySales = {
  kind: 'sales',
  store: 1,
  date: '2015-07-31',
  dayOfWeek: 5,
  sales: 5263,
  customers: 555,
  open: 1,
  promo: 1,
  stateHoliday: '0',
  schoolHoliday: 1,
};
const CLOSED: DailySales = {
  ...DAY,
  date: '2015-07-26',
  dayOfWeek: 7,
  sales: 0,
  customers: 0,
  open: 0,
  promo: 0,
};
const PROFILE: StoreProfile = {
  kind: 'store',
  store: 2,
  date: '2013-01-01',
  storeType: 'a',
  assortment: 'a',
  state: 'NW',
  competitionDistance: 570,
  competitionOpenSince: '2007-11',
  promo2: true,
  promo2Since: '2010-03-29',
  promoInterval: 'Jan,Apr,Jul,Oct',
};
const PLAIN_PROFILE: StoreProfile = {
  ...PROFILE,
  store: 1,
  storeType: 'c',
  competitionDistance: null,
  competitionOpenSince: null,
  promo2: false,
  promo2Since: null,
  promoInterval: null,
};

function reasonFor(data: unknown): string {
  const result = salesRecordSpec.validate(data, ARRIVAL_MS);
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(data)}`);
  return result.reason;
}

describe('salesRecordSpec accepts', () => {
  it.each([
    ['an open day', DAY],
    ['a closed Sunday', CLOSED],
    ['a profile with Promo2 and a competitor', PROFILE],
    ['a profile with nothing known', PLAIN_PROFILE],
  ])('%s as it is', (_name, record) => {
    // Prepare / Act
    const result = salesRecordSpec.validate(record, ARRIVAL_MS);

    // Assess
    expect(result).toEqual({ ok: true, value: record });
  });
});

describe('salesRecordSpec names', () => {
  it('the pipeline, keys and event time: a store stays on one shard, a day is store and date', () => {
    // Prepare / Act / Assess
    expect(salesRecordSpec.pipeline).toBe('sales');
    expect(salesRecordSpec.naturalKey(DAY)).toBe('1/2015-07-31');
    expect(salesRecordSpec.naturalKey(PROFILE)).toBe('2/profile');
    expect(salesRecordSpec.partitionKey(DAY)).toBe('1');
    expect(salesRecordSpec.partitionKey(PROFILE)).toBe('2');
    expect(salesRecordSpec.eventTimeMs(DAY)).toBe(Date.UTC(2015, 6, 31));
  });

  it('every field of both kinds once, the common ones first', () => {
    // Prepare / Act / Assess
    expect(SALES_FIELDS.slice(0, 3)).toEqual(['kind', 'store', 'date']);
    expect(new Set(SALES_FIELDS).size).toBe(SALES_FIELDS.length);
    expect([...SALES_FIELDS].sort()).toEqual(
      [...new Set([...Object.keys(DAY), ...Object.keys(PROFILE)])].sort(),
    );
  });
});

describe('salesRecordSpec refuses, naming the field and what was expected', () => {
  const { customers: _, ...withoutCustomers } = DAY;
  const cases: [string, unknown, string | RegExp][] = [
    ['not an object', '{"kind":"sales"}', /a sales record must be a JSON object, got the string/],
    [
      'an unknown kind',
      { ...DAY, kind: 'refund' },
      'kind: expected "sales" or "store", got the string "refund"',
    ],
    ['a missing field', withoutCustomers, 'sales record: missing field(s): customers'],
    [
      'a misspelt field',
      { ...withoutCustomers, custmers: 555 },
      /^sales record: missing field\(s\): customers; unexpected field\(s\): custmers/,
    ],
    [
      'a field of the other kind',
      { ...DAY, storeType: 'a' },
      /sales record: unexpected field\(s\): storeType/,
    ],
    [
      'negative sales',
      { ...DAY, sales: -5 },
      'sales record: sales: expected a whole number ≥ 0, got number -5',
    ],
    ['sales as text', { ...DAY, sales: '5263' }, 'sales: expected a whole number ≥ 0, got the string "5263"'],
    [
      'fractional customers',
      { ...DAY, customers: 5.5 },
      'customers: expected a whole number ≥ 0, got number 5.5',
    ],
    ['absurd sales', { ...DAY, sales: 5_000_000 }, 'sales: expected at most 1000000 in a day, got 5000000'],
    ['sales on a closed day', { ...DAY, open: 0 }, 'sales: expected 0 on a closed day (open 0), got 5263'],
    [
      'customers on a closed day',
      { ...CLOSED, customers: 3 },
      'customers: expected 0 on a closed day (open 0), got 3',
    ],
    [
      'a dayOfWeek that is not the date’s',
      { ...DAY, dayOfWeek: 4 },
      'dayOfWeek: expected 5 (Friday) for 2015-07-31, got number 4',
    ],
    ['a flag that is not 0 or 1', { ...DAY, promo: true }, 'promo: expected 0 or 1, got boolean true'],
    ['open as text', { ...DAY, open: '1' }, 'open: expected 0 or 1, got the string "1"'],
    ['schoolHoliday 2', { ...DAY, schoolHoliday: 2 }, 'schoolHoliday: expected 0 or 1, got number 2'],
    [
      'a stateHoliday written as a number',
      { ...DAY, stateHoliday: 0 },
      'stateHoliday: expected one of "0", "a", "b", "c", got number 0',
    ],
    [
      'store 0',
      { ...DAY, store: 0 },
      `sales record: store: expected a whole number from 1 to ${MAX_STORES}, got number 0`,
    ],
    [
      'a store past the last',
      { ...DAY, store: MAX_STORES + 1 },
      /store: expected a whole number from 1 to 1115, got number 1116/,
    ],
    [
      'a day that does not exist',
      { ...DAY, date: '2015-02-30' },
      'date: expected a real day yyyy-MM-dd, got the string "2015-02-30"',
    ],
    ['a date with a time', { ...DAY, date: '2015-07-31T00:00:00Z' }, /date: expected a real day yyyy-MM-dd/],
    [
      'a date before 2000',
      { ...DAY, date: '1999-12-31', dayOfWeek: 5 },
      'date: expected 2000-01-01 or later, got 1999-12-31',
    ],
    [
      'a day that has not begun when it arrived',
      { ...DAY, date: '2015-08-03', dayOfWeek: 1 },
      /date: expected a day that has begun when the record reached the stream \(2015-08-01T00:00:00.000Z\), got 2015-08-03/,
    ],
    [
      'an unknown store type',
      { ...PROFILE, storeType: 'e' },
      'store record: storeType: expected one of "a", "b", "c", "d", got the string "e"',
    ],
    [
      'an unknown assortment',
      { ...PROFILE, assortment: 'd' },
      /assortment: expected one of "a", "b", "c", got the string "d"/,
    ],
    [
      'a state that is not German',
      { ...PROFILE, state: 'XX' },
      /state: expected one of "BW", "BY", .*got the string "XX"/,
    ],
    [
      'a negative distance',
      { ...PROFILE, competitionDistance: -1 },
      'competitionDistance: expected metres ≥ 0 or null, got number -1',
    ],
    [
      'a month 13',
      { ...PROFILE, competitionOpenSince: '2007-13' },
      /competitionOpenSince: expected a month yyyy-MM from 1900 on, or null/,
    ],
    ['promo2 as 1', { ...PROFILE, promo2: 1 }, 'promo2: expected true or false, got number 1'],
    [
      'Promo2 without a start',
      { ...PROFILE, promo2Since: null },
      /promo2Since: expected a real day yyyy-MM-dd when promo2 is true, got null/,
    ],
    [
      'Promo2 starting on a Tuesday',
      { ...PROFILE, promo2Since: '2010-03-30' },
      'store record: promo2Since: expected a Monday (Promo2 starts with a week), got 2010-03-30, a Tuesday',
    ],
    [
      'a made-up interval',
      { ...PROFILE, promoInterval: 'Jan,Foo' },
      /promoInterval: expected months like "Jan,Apr,Jul,Oct" when promo2 is true, got the string "Jan,Foo"/,
    ],
    [
      'a start without Promo2',
      { ...PLAIN_PROFILE, promo2Since: '2010-03-29' },
      /promo2Since: expected null when promo2 is false/,
    ],
  ];

  it.each(cases)('%s', (_name, record, reason) => {
    // Prepare / Act
    const got = reasonFor(record);

    // Assess
    if (typeof reason === 'string') expect(got).toContain(reason);
    else expect(got).toMatch(reason);
  });
});

describe('salesRecordSpec reads CSV rows', () => {
  it("Rossmann's train.csv: the row as the competition published it", () => {
    // Prepare
    const csv =
      'Store,DayOfWeek,Date,Sales,Customers,Open,Promo,StateHoliday,SchoolHoliday\n1,5,2015-07-31,5263,555,1,1,0,1\n';

    // Act
    const [row] = parseCsv(csv).rows;
    const result = salesRecordSpec.validate(
      salesRecordSpec.fromCsvRow(row as Record<string, string>),
      ARRIVAL_MS,
    );

    // Assess
    expect(result).toEqual({ ok: true, value: DAY });
  });

  it("Rossmann's store.csv: months and ISO weeks become dates, the state comes from the store number", () => {
    // Prepare
    const csv = [
      'Store,StoreType,Assortment,CompetitionDistance,CompetitionOpenSinceMonth,CompetitionOpenSinceYear,Promo2,Promo2SinceWeek,Promo2SinceYear,PromoInterval',
      '1,c,a,,,,0,,,',
      '2,a,a,570,11,2007,1,13,2010,"Jan,Apr,Jul,Oct"',
    ].join('\n');

    // Act
    const results = parseCsv(csv).rows.map((row) =>
      salesRecordSpec.validate(salesRecordSpec.fromCsvRow(row), ARRIVAL_MS),
    );

    // Assess
    expect(results).toEqual([
      { ok: true, value: { ...PLAIN_PROFILE, state: stateOfStore(1) } },
      { ok: true, value: { ...PROFILE, state: stateOfStore(2) } },
    ]);
  });

  it('an export of both kinds in one table (the other kind’s cells empty)', () => {
    // Prepare
    const records = [PROFILE, PLAIN_PROFILE, DAY, CLOSED];
    const rows = parseCsv(toCsv(SALES_FIELDS, records as unknown as Record<string, unknown>[])).rows;

    // Act
    const results = rows.map((row) => salesRecordSpec.validate(salesRecordSpec.fromCsvRow(row), ARRIVAL_MS));

    // Assess
    expect(results).toEqual(records.map((value) => ({ ok: true, value })));
  });

  it('a filled cell of the other kind stays visible as an unexpected field', () => {
    // Prepare
    const rows = parseCsv(toCsv(SALES_FIELDS, [{ ...DAY, storeType: 'a' }])).rows;

    // Act
    const reason = reasonFor(salesRecordSpec.fromCsvRow(rows[0] as Record<string, string>));

    // Assess
    expect(reason).toMatch(/unexpected field\(s\): storeType/);
  });
});
