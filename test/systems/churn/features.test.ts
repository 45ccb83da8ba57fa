import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/data/input-fields.js';
import { writeFeatureParquet } from '../../../core/features/parquet.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import { summarizeDay } from '../../../systems/churn/model/daily-summary.js';
import { groupByEventDay } from '../../../systems/churn/model/day-events.js';
import {
  buildSnapshotFeatures,
  FEATURE_COLUMNS,
  MODEL_FEATURES,
  snapshotDays,
  toFeatureMatrix,
  toLabelledMatrix,
} from '../../../systems/churn/model/features.js';
import type { ChurnEvent, Row } from '../../../systems/churn/model/types.js';
import { churnRecordSpec } from '../../../systems/churn/records/event.js';
import { generateChurnEvents } from '../../../systems/churn/records/generator.js';

const SNAPSHOT = '2024-03-31';

function profile(id: string, day: string, plan: string, signup: string): Row {
  return {
    day,
    time: `${day}T09:00:00.000Z`,
    customer_id: id,
    event: 'customer',
    plan,
    contract: 'monthly',
    monthly_charge: 30,
    signup_date: signup,
  };
}

function churn(id: string, day: string): Row {
  return {
    day,
    time: `${day}T12:00:00.000Z`,
    customer_id: id,
    event: 'churn',
    plan: null,
    contract: null,
    monthly_charge: null,
    signup_date: null,
  };
}

function activity(id: string, day: string, values: Partial<Record<string, number>>): Row {
  return { day, customer_id: id, calls: 0, minutes: 0, dropped_calls: 0, data_mb: 0, ...values };
}

/** A's history around the snapshot: which days fall in the 7- and 30-day windows is the point. */
const SUMMARIES: Row[] = [
  activity('C000001', '2024-03-31', { calls: 2, minutes: 10, dropped_calls: 1, data_mb: 100 }),
  activity('C000001', '2024-03-25', { calls: 4, minutes: 20, data_mb: 50, late_payments: 1 }),
  activity('C000001', '2024-03-24', {
    calls: 10,
    minutes: 30,
    dropped_calls: 1,
    care_calls: 2,
    care_unresolved: 1,
  }),
  activity('C000001', '2024-03-02', { calls: 5, max_days_late: 9 }),
  activity('C000001', '2024-03-01', { calls: 100 }),
  activity('C000001', '2024-04-01', { calls: 1000 }),
  activity('C000006', '2024-03-20', { calls: 1 }),
];

const CUSTOMERS: Row[] = [
  profile('C000001', '2024-01-01', 'standard', '2024-01-01'),
  profile('C000001', '2024-03-15', 'premium', '2024-01-01'),
  profile('C000001', '2024-04-05', 'basic', '2024-01-01'),
  profile('C000002', '2024-03-29', 'basic', '2024-03-29'),
  profile('C000004', '2024-04-02', 'basic', '2024-04-02'),
  profile('C000005', '2024-01-01', 'basic', '2023-06-01'),
  churn('C000005', '2024-03-31'),
  profile('C000006', '2024-01-01', 'basic', '2023-06-01'),
  churn('C000006', '2024-04-30'),
  profile('C000007', '2024-01-01', 'basic', '2023-06-01'),
  churn('C000007', '2024-05-01'),
];

function build(latestDay: string): Map<string, Row> {
  const rows = buildSnapshotFeatures({
    snapshot: SNAPSHOT,
    summaries: SUMMARIES,
    customers: CUSTOMERS,
    latestDay,
  });
  return new Map(rows.map((row) => [row.customer_id as string, row]));
}

describe('buildSnapshotFeatures on a hand-made history', () => {
  it('sums the last 7 and 30 days (snapshot included), nothing older, nothing later', () => {
    // Prepare / Act
    const a = build('2024-05-10').get('C000001');

    // Assess
    expect(a).toMatchObject({
      snapshot: SNAPSHOT,
      calls_7d: 6,
      calls_30d: 21,
      minutes_7d: 30,
      minutes_30d: 60,
      dropped_calls_7d: 1,
      dropped_calls_30d: 2,
      drop_rate_7d: 0.1667,
      drop_rate_30d: 0.0952,
      data_mb_7d: 150,
      care_calls_7d: 0,
      care_calls_30d: 2,
      care_unresolved_30d: 1,
      late_payments_7d: 1,
      max_days_late_30d: 9,
      active_days_30d: 4,
      days_since_last_activity: 0,
    });
  });

  it('takes the profile in force at the snapshot, tenure from signup, and trends per day', () => {
    // Prepare / Act
    const a = build('2024-05-10').get('C000001');

    // Assess: (6/7 + 0.5) / (21/30 + 0.5) for calls; (30/7 + 1) / (60/30 + 1) for minutes.
    expect(a).toMatchObject({ plan_code: 2, contract_code: 0, monthly_charge: 30, tenure_days: 90 });
    expect(a?.trend_calls).toBeCloseTo((6 / 7 + 0.5) / (21 / 30 + 0.5), 4);
    expect(a?.trend_minutes).toBeCloseTo((30 / 7 + 1) / (60 / 30 + 1), 4);
  });

  it('includes a new customer without activity, with windows of the days they existed', () => {
    // Prepare / Act
    const b = build('2024-05-10').get('C000002');

    // Assess
    expect(b).toMatchObject({ tenure_days: 2, calls_30d: 0, trend_calls: 1, days_since_last_activity: 2 });
  });

  it('reads only the 30-day window: passing just those days gives the same rows', () => {
    // Prepare
    const window = SUMMARIES.filter(
      (row) => (row.day as string) >= '2024-03-02' && (row.day as string) <= SNAPSHOT,
    );
    const quietLong = profile('C000008', '2024-01-01', 'basic', '2023-06-01');

    // Act
    const all = buildSnapshotFeatures({
      snapshot: SNAPSHOT,
      summaries: SUMMARIES,
      customers: [...CUSTOMERS, quietLong],
      latestDay: '2024-05-10',
    });
    const windowOnly = buildSnapshotFeatures({
      snapshot: SNAPSHOT,
      summaries: window,
      customers: [...CUSTOMERS, quietLong],
      latestDay: '2024-05-10',
    });

    // Assess
    expect(windowOnly).toEqual(all);
    expect(all.find((row) => row.customer_id === 'C000008')?.days_since_last_activity).toBe(30);
  });

  it('leaves out customers not signed up yet and those who churned on or before the snapshot', () => {
    // Prepare / Act
    const rows = build('2024-05-10');

    // Assess
    expect([...rows.keys()]).toEqual(['C000001', 'C000002', 'C000006', 'C000007']);
  });

  it('labels churn within (snapshot, snapshot + 30 days] as 1, later churn and none as 0', () => {
    // Prepare / Act
    const rows = build('2024-05-10');

    // Assess
    expect(rows.get('C000006')?.label).toBe(1);
    expect(rows.get('C000007')?.label).toBe(0);
    expect(rows.get('C000001')?.label).toBe(0);
  });

  it('leaves the label unknown (null) until the horizon is inside the data', () => {
    // Prepare / Act
    const early = build('2024-04-15');
    const exact = build('2024-04-30');

    // Assess
    expect([...early.values()].map((row) => row.label)).toEqual([null, null, null, null]);
    expect([...exact.values()].map((row) => row.label)).toEqual([0, 0, 1, 0]);
  });

  it('refuses malformed days with the field named', () => {
    // Prepare / Act / Assess
    expect(() =>
      buildSnapshotFeatures({ snapshot: '2024-3-31', summaries: [], customers: [], latestDay: SNAPSHOT }),
    ).toThrow(/snapshot must be a day YYYY-MM-DD, got "2024-3-31"/);
  });
});

describe('buildSnapshotFeatures has no leakage', () => {
  /** Summaries and customer rows of a small generated population. */
  function history(): { summaries: Row[]; customers: Row[] } {
    const { events } = generateChurnEvents({
      seed: 21,
      start: '2024-01-01',
      days: 75,
      customers: 150,
      growthPerDay: 0.005,
      activity: 0.3,
      driftStartDay: 50,
      dirtyRate: 0,
    });
    const valid = events
      .map((e) => churnRecordSpec.validate(e, Date.UTC(2030, 0, 1)))
      .flatMap((r) => (r.ok ? [r.value] : []));
    const summaries: Row[] = [];
    const customers: Row[] = [];
    for (const [day, dayEvents] of groupByEventDay(valid as ChurnEvent[])) {
      const summary = summarizeDay(day, dayEvents);
      summaries.push(...summary.summaries);
      customers.push(...summary.customers);
    }
    return { summaries, customers };
  }

  it('changing every row after the snapshot changes no feature, only labels', () => {
    // Prepare
    const { summaries, customers } = history();
    const snapshot = '2024-02-10';
    const latestDay = '2024-03-15';
    const before = buildSnapshotFeatures({ snapshot, summaries, customers, latestDay });
    const future = (row: Row) => (row.day as string) > snapshot;
    // After the snapshot: every measure scrambled, some days dropped, churn moved onto everyone.
    const scrambledSummaries = summaries
      .filter((row, i) => !future(row) || i % 3 !== 0)
      .map((row) =>
        future(row)
          ? Object.fromEntries(
              Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? v * 7 + 3 : v]),
            )
          : row,
      );
    const ids = [...new Set(customers.map((row) => row.customer_id as string))];
    const scrambledCustomers = [
      ...customers.filter((row) => !future(row)),
      ...ids.map((id) => churn(id, '2024-02-20')),
      ...ids.map((id) => profile(id, '2024-02-11', 'premium', '2024-02-11')),
    ];

    // Act
    const after = buildSnapshotFeatures({
      snapshot,
      summaries: scrambledSummaries,
      customers: scrambledCustomers,
      latestDay,
    });

    // Assess
    const withoutLabel = (rows: Row[]) => rows.map(({ label: _, ...rest }) => rest);
    expect(before.length).toBeGreaterThan(100);
    expect(withoutLabel(after)).toEqual(withoutLabel(before));
    expect(after.every((row) => row.label === 1)).toBe(true);
    expect(before.some((row) => row.label === 0)).toBe(true);
  });
});

describe('matrices', () => {
  it('keeps only rows with a known label for training, in MODEL_FEATURES order', () => {
    // Prepare
    const rows = [...build('2024-05-10').values()];
    rows.push({ ...(rows[0] as Row), customer_id: 'C000099', label: null, monthly_charge: null });

    // Act
    const labelled = toLabelledMatrix(rows);
    const all = toFeatureMatrix(rows);

    // Assess
    expect(labelled.featureNames).toEqual(MODEL_FEATURES);
    expect(labelled.labels).toEqual([0, 0, 1, 0]);
    expect(labelled.customerIds).toEqual(['C000001', 'C000002', 'C000006', 'C000007']);
    expect(labelled.features[0]).toHaveLength(MODEL_FEATURES.length);
    expect(all.customerIds).toHaveLength(5);
    expect(all.features[4]?.[MODEL_FEATURES.indexOf('monthly_charge')]).toBeNaN();
    expect(all.snapshots.every((s) => s === SNAPSHOT)).toBe(true);
  });

  it('refuses to build a training matrix when no label is known yet', () => {
    // Prepare
    const rows = [...build('2024-04-01').values()];

    // Act / Assess
    expect(() => toLabelledMatrix(rows)).toThrow(InputError);
    expect(() => toLabelledMatrix(rows)).toThrow(/none of the 4 feature rows has a known label/);
  });

  it('feature rows go into Parquet as typed', async () => {
    // Prepare
    const rows = [...build('2024-04-15').values()];

    // Act
    const bytes = writeFeatureParquet(rows as never, FEATURE_COLUMNS);

    // Assess
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect((await readParquet(bytes)).rows).toHaveLength(rows.length);
  });
});

describe('snapshotDays', () => {
  it('steps from the first day to the last, both included when the step lands there', () => {
    // Prepare / Act / Assess
    expect(snapshotDays('2024-02-26', '2024-03-11', 7)).toEqual(['2024-02-26', '2024-03-04', '2024-03-11']);
    expect(snapshotDays('2024-02-26', '2024-03-10', 7)).toEqual(['2024-02-26', '2024-03-04']);
    expect(() => snapshotDays('2024-02-26', '2024-03-10', 0)).toThrow(
      /everyDays must be a whole number >= 1/,
    );
  });
});
