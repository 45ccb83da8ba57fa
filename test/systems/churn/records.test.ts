import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../core/data/csv.js';
import type { ChurnEvent } from '../../../systems/churn/model/types.js';
import { CHURN_FIELDS, CHURN_RAW_COLUMNS, churnRecordSpec } from '../../../systems/churn/records/event.js';

const ARRIVAL_MS = Date.UTC(2024, 2, 10);
const base = {
  pipeline: 'churn',
  eventId: 'C000007-20240301-3',
  customerId: 'C000007',
  time: '2024-03-01T10:20:00.000Z',
} as const;

/** One valid record of every kind. */
const GOOD: Record<ChurnEvent['kind'], ChurnEvent> = {
  customer: {
    ...base,
    kind: 'customer',
    plan: 'standard',
    contract: 'annual',
    monthlyCharge: 44.9,
    signupDate: '2023-11-05',
  },
  call: { ...base, kind: 'call', callType: 'international', durationSeconds: 312, dropped: false },
  sms: { ...base, kind: 'sms', international: true },
  data: { ...base, kind: 'data', megabytes: 81.25 },
  care: { ...base, kind: 'care', resolved: false },
  payment: { ...base, kind: 'payment', amount: 44.9, daysLate: 3 },
  churn: { ...base, kind: 'churn' },
};

function reasonFor(data: unknown): string {
  const result = churnRecordSpec.validate(data, ARRIVAL_MS);
  if (result.ok) throw new Error(`expected a validation failure for ${JSON.stringify(data)}`);
  return result.reason;
}

describe('churnRecordSpec accepts', () => {
  it.each(Object.entries(GOOD))('a complete %s event as it is', (_kind, event) => {
    // Prepare / Act
    const result = churnRecordSpec.validate(event, ARRIVAL_MS);

    // Assess
    expect(result).toEqual({ ok: true, value: event });
  });

  it('a time in another zone, normalised to UTC so copies and order agree', () => {
    // Prepare
    const event = { ...GOOD.call, time: '2024-03-01T11:20:00+01:00' };

    // Act
    const result = churnRecordSpec.validate(event, ARRIVAL_MS);

    // Assess
    expect(result).toEqual({ ok: true, value: GOOD.call });
  });

  it('a CSV export with every kind in one table (foreign columns empty)', () => {
    // Prepare
    const csv = toCsv(CHURN_FIELDS, Object.values(GOOD) as unknown as Record<string, unknown>[]);
    const rows = parseCsv(csv).rows;

    // Act
    const results = rows.map((row) => churnRecordSpec.validate(churnRecordSpec.fromCsvRow(row), ARRIVAL_MS));

    // Assess
    expect(results).toEqual(Object.values(GOOD).map((value) => ({ ok: true, value })));
  });
});

describe('churnRecordSpec names', () => {
  it('the pipeline, keys and event time: a customer stays on one shard, an event is its id', () => {
    // Prepare / Act / Assess
    expect(churnRecordSpec.pipeline).toBe('churn');
    expect(churnRecordSpec.naturalKey(GOOD.call)).toBe('C000007-20240301-3');
    expect(churnRecordSpec.partitionKey(GOOD.call)).toBe('C000007');
    expect(churnRecordSpec.eventTimeMs(GOOD.call)).toBe(Date.UTC(2024, 2, 1, 10, 20));
  });

  it('every field once, common ones first, and raw-table columns typed for Athena', () => {
    // Prepare / Act
    const types = Object.fromEntries(CHURN_RAW_COLUMNS.map((c) => [c.name, c.type]));

    // Assess
    expect(CHURN_FIELDS.slice(0, 5)).toEqual(['pipeline', 'eventId', 'customerId', 'time', 'kind']);
    expect(new Set(CHURN_FIELDS).size).toBe(CHURN_FIELDS.length);
    expect(CHURN_RAW_COLUMNS.map((c) => c.name)).toEqual(CHURN_FIELDS);
    expect(types).toMatchObject({
      dropped: 'boolean',
      durationSeconds: 'double',
      daysLate: 'int',
      time: 'string',
    });
  });
});

describe('churnRecordSpec rejects, naming the field', () => {
  const { customerId: _, ...withoutCustomer } = GOOD.call;
  const { dropped: _d, ...withoutDropped } = GOOD.call as Extract<ChurnEvent, { kind: 'call' }>;
  const cases: [string, unknown, RegExp][] = [
    ['not an object', '{"kind":"call"}', /must be a JSON object/],
    [
      'an unknown kind',
      { ...GOOD.call, kind: 'fax' },
      /kind must be one of customer, call, .*got the string "fax"/,
    ],
    ['a missing field', withoutDropped, /call event: missing field\(s\): dropped/],
    ['a missing customerId', withoutCustomer, /missing field\(s\): customerId/],
    ['a field of another kind', { ...GOOD.sms, megabytes: 3 }, /sms event: unexpected field\(s\): megabytes/],
    ['another pipeline', { ...GOOD.sms, pipeline: 'water' }, /pipeline must be "churn"/],
    [
      'a malformed customerId',
      { ...GOOD.sms, customerId: 'cust-7' },
      /customerId "cust-7" must be C followed by 6 to 10 digits/,
    ],
    ['a control character in eventId', { ...GOOD.sms, eventId: 'a\u0000b' }, /eventId .* control character/],
    [
      'a time without a zone',
      { ...GOOD.sms, time: '2024-03-01 10:20' },
      /time "2024-03-01 10:20" is not ISO-8601/,
    ],
    ['an impossible date', { ...GOOD.sms, time: '2024-02-30T10:00:00Z' }, /time .* is not a valid date/],
    [
      'a time far past arrival',
      { ...GOOD.sms, time: '2024-03-12T00:00:00Z' },
      /more than 24 h after the record reached/,
    ],
    [
      'a negative duration',
      { ...GOOD.call, durationSeconds: -5 },
      /call event: durationSeconds must be >= 0, got -5/,
    ],
    ['a call over 24 h', { ...GOOD.call, durationSeconds: 90_000 }, /durationSeconds must be at most 86400/],
    [
      'a text duration',
      { ...GOOD.call, durationSeconds: 'NaN' },
      /durationSeconds must be a finite number, got "NaN"/,
    ],
    [
      'an unknown call type',
      { ...GOOD.call, callType: 'satellite' },
      /callType must be one of local, national, international, roaming/,
    ],
    ['a non-boolean dropped flag', { ...GOOD.call, dropped: 'yes' }, /dropped must be true or false/],
    [
      'a non-boolean international flag',
      { ...GOOD.sms, international: 1 },
      /international must be true or false, got number 1/,
    ],
    [
      'a non-boolean resolved flag',
      { ...GOOD.care, resolved: null },
      /resolved must be true or false, got null/,
    ],
    ['negative megabytes', { ...GOOD.data, megabytes: -0.5 }, /megabytes must be >= 0/],
    ['absurd megabytes', { ...GOOD.data, megabytes: 1e7 }, /megabytes must be at most 100000/],
    ['a negative payment', { ...GOOD.payment, amount: -44.9 }, /amount must be >= 0/],
    ['fractional days late', { ...GOOD.payment, daysLate: 1.5 }, /daysLate must be a whole number/],
    ['an unknown plan', { ...GOOD.customer, plan: 'gold' }, /plan must be one of basic, standard, premium/],
    [
      'an unknown contract',
      { ...GOOD.customer, contract: 'weekly' },
      /contract must be one of monthly, annual, two-year/,
    ],
    ['a negative monthly charge', { ...GOOD.customer, monthlyCharge: -1 }, /monthlyCharge must be >= 0/],
    [
      'a malformed signup date',
      { ...GOOD.customer, signupDate: '05/11/2023' },
      /signupDate must be a day YYYY-MM-DD/,
    ],
    [
      'a signup after the event',
      { ...GOOD.customer, signupDate: '2024-03-02' },
      /signupDate 2024-03-02 is after the event's day 2024-03-01/,
    ],
  ];

  it.each(cases)('%s', (_name, data, reason) => {
    // Prepare / Act
    const result = reasonFor(data);

    // Assess
    expect(result).toMatch(reason);
  });
});
