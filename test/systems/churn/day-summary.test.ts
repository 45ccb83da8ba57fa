import { describe, expect, it } from 'vitest';
import { writeFeatureParquet } from '../../../core/features/parquet.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import {
  CUSTOMER_COLUMNS,
  SUMMARY_COLUMNS,
  summarizeDay,
} from '../../../systems/churn/model/daily-summary.js';
import { eventDay, groupByEventDay, mergeDayEvents } from '../../../systems/churn/model/day-events.js';
import type { ChurnEvent } from '../../../systems/churn/model/types.js';

let seq = 0;
/** A valid event of customer `id` at `time` (hh:mm on 2024-03-01 unless a full time is given). */
type OwnFields<E> = E extends ChurnEvent ? Omit<E, 'pipeline' | 'eventId' | 'customerId' | 'time'> : never;
function ev(id: string, time: string, fields: OwnFields<ChurnEvent>): ChurnEvent {
  return {
    pipeline: 'churn',
    eventId: `${id}-${++seq}`,
    customerId: id,
    time: time.length === 5 ? `2024-03-01T${time}:00.000Z` : time,
    ...fields,
  } as ChurnEvent;
}

const A = 'C000001';
const B = 'C000002';
const C = 'C000003';

/** One hand-made day: B calls and pays late, A texts and uses data, C joins, A's neighbour churns. */
const DAY: ChurnEvent[] = [
  ev(B, '08:00', { kind: 'call', callType: 'local', durationSeconds: 120, dropped: false }),
  ev(B, '09:00', { kind: 'call', callType: 'international', durationSeconds: 600, dropped: true }),
  ev(B, '09:30', { kind: 'call', callType: 'roaming', durationSeconds: 30, dropped: false }),
  ev(B, '10:00', { kind: 'payment', amount: 44.9, daysLate: 6 }),
  ev(B, '11:00', { kind: 'care', resolved: false }),
  ev(B, '12:00', { kind: 'care', resolved: true }),
  ev(A, '07:00', { kind: 'sms', international: false }),
  ev(A, '07:05', { kind: 'sms', international: true }),
  ev(A, '13:00', { kind: 'data', megabytes: 100.5 }),
  ev(A, '14:00', { kind: 'data', megabytes: 20.25 }),
  ev(A, '15:00', { kind: 'payment', amount: 25, daysLate: 0 }),
  ev(C, '09:00', {
    kind: 'customer',
    plan: 'premium',
    contract: 'two-year',
    monthlyCharge: 79.5,
    signupDate: '2024-03-01',
  }),
  ev('C000004', '23:00', { kind: 'churn' }),
];

describe('day events', () => {
  it('groups events by the UTC day of their time, days in order', () => {
    // Prepare
    const late = ev(A, '2024-03-02T00:30:00.000Z', { kind: 'sms', international: false });
    const early = ev(A, '2024-02-29T23:59:59.000Z', { kind: 'sms', international: false });

    // Act
    const groups = groupByEventDay([late, ...DAY.slice(0, 2), early]);

    // Assess
    expect([...groups.keys()]).toEqual(['2024-02-29', '2024-03-01', '2024-03-02']);
    expect(groups.get('2024-03-01')).toEqual(DAY.slice(0, 2));
    expect(eventDay({ time: '2024-03-02T00:30:00+02:00' })).toBe('2024-03-01');
  });

  it('merges a day: one copy per eventId, ordered by time then id, counting what was new', () => {
    // Prepare
    const existing = DAY.slice(0, 6);
    const incoming = [DAY[2] as ChurnEvent, ...DAY.slice(6), DAY[7] as ChurnEvent];

    // Act
    const { merged, added, duplicates } = mergeDayEvents(existing, incoming);

    // Assess
    expect(added).toBe(DAY.length - 6);
    expect(duplicates).toBe(2);
    expect(merged).toHaveLength(DAY.length);
    expect(merged.map((e) => e.time)).toEqual([...DAY.map((e) => e.time)].sort());
  });

  it('changes nothing when the same input is merged again', () => {
    // Prepare
    const once = mergeDayEvents([], [...DAY].reverse());

    // Act
    const twice = mergeDayEvents(once.merged, [...DAY].reverse());

    // Assess
    expect(twice.merged).toEqual(once.merged);
    expect(twice).toMatchObject({ added: 0, duplicates: DAY.length });
  });
});

describe('summarizeDay', () => {
  it('counts each active customer’s day by call type, drops, texts, data, care and payments', () => {
    // Prepare / Act
    const { summaries } = summarizeDay('2024-03-01', DAY);

    // Assess
    expect(summaries.map((row) => row.customer_id)).toEqual([A, B]);
    expect(summaries[0]).toMatchObject({
      day: '2024-03-01',
      calls: 0,
      sms: 2,
      sms_international: 1,
      data_sessions: 2,
      data_mb: 120.75,
      payments: 1,
      payment_amount: 25,
      late_payments: 0,
      max_days_late: 0,
    });
    expect(summaries[1]).toMatchObject({
      calls: 3,
      minutes: 12.5,
      calls_local: 1,
      minutes_local: 2,
      calls_international: 1,
      minutes_international: 10,
      calls_roaming: 1,
      minutes_roaming: 0.5,
      calls_national: 0,
      dropped_calls: 1,
      care_calls: 2,
      care_unresolved: 1,
      payments: 1,
      late_payments: 1,
      max_days_late: 6,
    });
  });

  it('writes one customers row per profile or churn, nulls where a churn has no profile', () => {
    // Prepare / Act
    const { customers } = summarizeDay('2024-03-01', DAY);

    // Assess
    expect(customers).toEqual([
      {
        day: '2024-03-01',
        time: '2024-03-01T09:00:00.000Z',
        customer_id: C,
        event: 'customer',
        plan: 'premium',
        contract: 'two-year',
        monthly_charge: 79.5,
        signup_date: '2024-03-01',
      },
      {
        day: '2024-03-01',
        time: '2024-03-01T23:00:00.000Z',
        customer_id: 'C000004',
        event: 'churn',
        plan: null,
        contract: null,
        monthly_charge: null,
        signup_date: null,
      },
    ]);
  });

  it('refuses an event of another day rather than summarise it into the wrong partition', () => {
    // Prepare
    const stray = ev(A, '2024-03-02T00:00:00.000Z', { kind: 'sms', international: false });

    // Act / Assess
    expect(() => summarizeDay('2024-03-01', [...DAY, stray])).toThrow(
      /of 2024-03-02, not of the summarised day 2024-03-01/,
    );
  });

  it('gives rows the Parquet writer takes as typed, and table columns without the partition key', async () => {
    // Prepare
    const { summaries, customers } = summarizeDay('2024-03-01', DAY);

    // Act
    const summaryFile = await readParquet(writeFeatureParquet(summaries as never, SUMMARY_COLUMNS));
    const customerFile = await readParquet(writeFeatureParquet(customers as never, CUSTOMER_COLUMNS));

    // Assess
    expect(summaryFile.rows).toHaveLength(2);
    expect(customerFile.rows).toHaveLength(2);
    expect(summaryFile.rows[0]?.data_mb).toEqual(expect.any(Number));
  });
});
