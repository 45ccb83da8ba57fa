import type { FeatureColumn } from '../../../core/features/columns.js';
import { eventDay } from './day-events.js';
import type { CallType, ChurnEvent, Row } from './types.js';

/**
 * The stored procedure of the system this replaces, as pure code: one row per customer and day
 * with what they did, and one row per profile or churn event. Column names are lower snake case
 * because Athena lower-cases them (a camelCase Parquet column would not match its Glue column).
 */
const CALL_TYPES: readonly CallType[] = ['local', 'national', 'international', 'roaming'];

const count = (name: string, description: string): FeatureColumn => ({
  name,
  type: 'int',
  nullable: false,
  description,
});
const amount = (name: string, description: string): FeatureColumn => ({
  name,
  type: 'double',
  nullable: false,
  description,
});

/** One row per customer with at least one activity record that day. */
export const SUMMARY_COLUMNS: readonly FeatureColumn[] = [
  { name: 'day', type: 'string', nullable: false, description: 'UTC day of the events, YYYY-MM-DD' },
  { name: 'customer_id', type: 'string', nullable: false, description: 'customer id (C000123)' },
  count('calls', 'calls of every type, dropped ones included'),
  amount('minutes', 'call minutes of every type'),
  ...CALL_TYPES.flatMap((type) => [
    count(`calls_${type}`, `${type} calls`),
    amount(`minutes_${type}`, `${type} call minutes`),
  ]),
  count('dropped_calls', 'calls the network dropped'),
  count('sms', 'text messages sent'),
  count('sms_international', 'text messages to a foreign number'),
  count('data_sessions', 'mobile data sessions'),
  amount('data_mb', 'megabytes over all data sessions'),
  count('care_calls', 'calls to customer care'),
  count('care_unresolved', 'customer-care calls that did not resolve the problem'),
  count('payments', 'bill payments received'),
  amount('payment_amount', 'sum of the payments received'),
  count('late_payments', 'payments received after their due day'),
  count('max_days_late', 'most days late of the payments that day (0 when none was late)'),
];

/** One row per `customer` (profile) or `churn` event. */
export const CUSTOMER_COLUMNS: readonly FeatureColumn[] = [
  { name: 'day', type: 'string', nullable: false, description: 'UTC day of the event, YYYY-MM-DD' },
  { name: 'time', type: 'string', nullable: false, description: 'event time, ISO 8601 UTC' },
  { name: 'customer_id', type: 'string', nullable: false, description: 'customer id (C000123)' },
  {
    name: 'event',
    type: 'string',
    nullable: false,
    description: "'customer' (joined, or a new profile from now on) or 'churn' (left)",
  },
  { name: 'plan', type: 'string', nullable: true, description: 'basic, standard or premium; null for churn' },
  {
    name: 'contract',
    type: 'string',
    nullable: true,
    description: 'monthly, annual or two-year; null for churn',
  },
  { name: 'monthly_charge', type: 'double', nullable: true, description: 'monthly charge; null for churn' },
  { name: 'signup_date', type: 'string', nullable: true, description: 'YYYY-MM-DD; null for churn' },
];

/** The numeric summary columns, in order: what the EDA and the features read. */
export const SUMMARY_MEASURES: readonly string[] = SUMMARY_COLUMNS.filter((c) => c.type !== 'string').map(
  (c) => c.name,
);

export interface DaySummary {
  /** One row per active customer, by customer_id. */
  summaries: Row[];
  /** One row per profile or churn event, by customer_id then time. */
  customers: Row[];
}

/**
 * Summarises one day's events (deduplicated already: see mergeDayEvents). Events of other days
 * are an error, not silently dropped: they would belong in another partition.
 */
export function summarizeDay(day: string, events: readonly ChurnEvent[]): DaySummary {
  const byCustomer = new Map<string, Row>();
  const customers: Row[] = [];
  for (const event of events) {
    const eventDayText = eventDay(event);
    if (eventDayText !== day)
      throw new Error(`event ${event.eventId} is of ${eventDayText}, not of the summarised day ${day}`);
    if (event.kind === 'customer' || event.kind === 'churn') {
      customers.push({
        day,
        time: event.time,
        customer_id: event.customerId,
        event: event.kind,
        plan: event.kind === 'customer' ? event.plan : null,
        contract: event.kind === 'customer' ? event.contract : null,
        monthly_charge: event.kind === 'customer' ? event.monthlyCharge : null,
        signup_date: event.kind === 'customer' ? event.signupDate : null,
      });
      continue;
    }
    let row = byCustomer.get(event.customerId);
    if (!row) {
      row = emptySummary(day, event.customerId);
      byCustomer.set(event.customerId, row);
    }
    add(row, event);
  }
  for (const row of byCustomer.values()) {
    for (const name of ['minutes', ...CALL_TYPES.map((t) => `minutes_${t}`), 'data_mb', 'payment_amount'])
      row[name] = round4(row[name] as number);
  }
  const byId = (a: Row, b: Row) => compareText(a.customer_id as string, b.customer_id as string);
  return {
    summaries: [...byCustomer.values()].sort(byId),
    customers: customers.sort((a, b) => byId(a, b) || compareText(a.time as string, b.time as string)),
  };
}

/** A literal in column order: one hidden class for every row, which a day of 10,000 rows notices. */
function emptySummary(day: string, customerId: string): Row {
  return {
    day,
    customer_id: customerId,
    calls: 0,
    minutes: 0,
    calls_local: 0,
    minutes_local: 0,
    calls_national: 0,
    minutes_national: 0,
    calls_international: 0,
    minutes_international: 0,
    calls_roaming: 0,
    minutes_roaming: 0,
    dropped_calls: 0,
    sms: 0,
    sms_international: 0,
    data_sessions: 0,
    data_mb: 0,
    care_calls: 0,
    care_unresolved: 0,
    payments: 0,
    payment_amount: 0,
    late_payments: 0,
    max_days_late: 0,
  };
}

const CALL_KEYS = Object.fromEntries(
  CALL_TYPES.map((type) => [type, { calls: `calls_${type}`, minutes: `minutes_${type}` }]),
) as Record<CallType, { calls: string; minutes: string }>;

function inc(row: Row, name: string, by = 1): void {
  row[name] = (row[name] as number) + by;
}

function add(row: Row, event: Exclude<ChurnEvent, { kind: 'customer' | 'churn' }>): void {
  switch (event.kind) {
    case 'call': {
      const minutes = event.durationSeconds / 60;
      inc(row, 'calls');
      inc(row, 'minutes', minutes);
      const keys = CALL_KEYS[event.callType];
      inc(row, keys.calls);
      inc(row, keys.minutes, minutes);
      if (event.dropped) inc(row, 'dropped_calls');
      return;
    }
    case 'sms':
      inc(row, 'sms');
      if (event.international) inc(row, 'sms_international');
      return;
    case 'data':
      inc(row, 'data_sessions');
      inc(row, 'data_mb', event.megabytes);
      return;
    case 'care':
      inc(row, 'care_calls');
      if (!event.resolved) inc(row, 'care_unresolved');
      return;
    case 'payment':
      inc(row, 'payments');
      inc(row, 'payment_amount', event.amount);
      if (event.daysLate > 0) inc(row, 'late_payments');
      row.max_days_late = Math.max(row.max_days_late as number, event.daysLate);
      return;
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Sums of floats rounded so a day summarised twice, in any order, writes the same bytes. */
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
