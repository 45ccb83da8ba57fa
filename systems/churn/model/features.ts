import { InputError } from '../../../core/data/input-fields.js';
import type { FeatureColumn } from '../../../core/features/columns.js';
import { isCalendarDate } from '../../../core/pipelines/validation-helpers.js';
import type { LabelledMatrix, Row } from './types.js';

/**
 * Features per customer as of a snapshot day, and the label "churned within the next
 * `horizonDays`". Features read only rows of days ≤ snapshot; the label reads only churn days after
 * it. That split is the whole defence against leakage, and a test changes everything after the
 * snapshot to prove the features do not move.
 */
export const DEFAULT_HORIZON_DAYS = 30;

const DAY_MS = 86_400_000;

/** Codes the forest can split on; the order is the plans' and contracts' natural order. */
export const PLAN_CODES: Readonly<Record<string, number>> = { basic: 0, standard: 1, premium: 2 };
export const CONTRACT_CODES: Readonly<Record<string, number>> = { monthly: 0, annual: 1, 'two-year': 2 };

/** Summary columns summed over the last 7 and 30 days (the snapshot day included). */
const WINDOW_SUMS: readonly { feature: string; column: string; description: string }[] = [
  { feature: 'calls', column: 'calls', description: 'calls' },
  { feature: 'minutes', column: 'minutes', description: 'call minutes' },
  { feature: 'dropped_calls', column: 'dropped_calls', description: 'dropped calls' },
  { feature: 'international_minutes', column: 'minutes_international', description: 'international minutes' },
  { feature: 'roaming_minutes', column: 'minutes_roaming', description: 'roaming minutes' },
  { feature: 'sms', column: 'sms', description: 'text messages' },
  { feature: 'data_mb', column: 'data_mb', description: 'data megabytes' },
  { feature: 'care_calls', column: 'care_calls', description: 'customer-care calls' },
  { feature: 'late_payments', column: 'late_payments', description: 'late payments' },
];

/** Beyond the 30-day window nothing is read: "30" means "30 or more". */
const MAX_DAYS_SINCE_ACTIVITY = 30;

const WINDOW_INDEX = new Map(WINDOW_SUMS.map((w, k) => [w.feature, k]));

const numeric = (name: string, type: 'int' | 'double', description: string): FeatureColumn => ({
  name,
  type,
  nullable: false,
  description,
});

const MODEL_COLUMNS: readonly FeatureColumn[] = [
  numeric('plan_code', 'int', 'plan: 0 basic, 1 standard, 2 premium'),
  numeric('contract_code', 'int', 'contract: 0 monthly, 1 annual, 2 two-year'),
  numeric('monthly_charge', 'double', 'monthly charge of the profile in force at the snapshot'),
  numeric('tenure_days', 'int', 'days from signup to the snapshot'),
  ...WINDOW_SUMS.flatMap(({ feature, description }) => [
    numeric(
      `${feature}_7d`,
      feature.endsWith('minutes') || feature === 'data_mb' ? 'double' : 'int',
      `${description}, last 7 days`,
    ),
    numeric(
      `${feature}_30d`,
      feature.endsWith('minutes') || feature === 'data_mb' ? 'double' : 'int',
      `${description}, last 30 days`,
    ),
  ]),
  numeric('drop_rate_7d', 'double', 'dropped / calls, last 7 days (0 without calls)'),
  numeric('drop_rate_30d', 'double', 'dropped / calls, last 30 days (0 without calls)'),
  numeric('care_unresolved_30d', 'int', 'customer-care calls that left the problem open, last 30 days'),
  numeric('max_days_late_30d', 'int', 'most days a payment came late, last 30 days'),
  numeric('active_days_30d', 'int', 'days with any activity, last 30 days'),
  numeric('trend_calls', 'double', 'calls per day, last 7 days ÷ last 30 days (smoothed; < 1: falling)'),
  numeric('trend_minutes', 'double', 'minutes per day, last 7 days ÷ last 30 days (smoothed)'),
  numeric('trend_data_mb', 'double', 'data MB per day, last 7 days ÷ last 30 days (smoothed)'),
  numeric(
    'days_since_last_activity',
    'int',
    'days from the last active day (or signup) to the snapshot, at most 30',
  ),
];

/** The numeric columns the model reads, in order. */
export const MODEL_FEATURES: readonly string[] = MODEL_COLUMNS.map((c) => c.name);

/** The feature table: one row per customer active at the snapshot. */
export const FEATURE_COLUMNS: readonly FeatureColumn[] = [
  { name: 'snapshot', type: 'string', nullable: false, description: 'snapshot day, YYYY-MM-DD' },
  { name: 'customer_id', type: 'string', nullable: false, description: 'customer id' },
  ...MODEL_COLUMNS,
  {
    name: 'label',
    type: 'int',
    nullable: true,
    description: '1: churned within the horizon after the snapshot; 0: did not; null: not known yet',
  },
];

/** Glue columns of a feature table partitioned by `snapshot`. */

/** Smoothing of the trend ratios, per day: keeps a quiet customer's 0 ÷ 0 at 1 and 1 ÷ 0 finite. */
const TREND_SMOOTHING: Readonly<Record<string, number>> = { calls: 0.5, minutes: 1, data_mb: 5 };

export interface SnapshotInput {
  readonly snapshot: string;
  /**
   * Daily summary rows (SUMMARY_COLUMNS). Only days snapshot − 29 … snapshot are read; passing just
   * those is enough and saves the scan.
   */
  readonly summaries: readonly Row[];
  /** Customer rows (CUSTOMER_COLUMNS): profiles and churn events. */
  readonly customers: readonly Row[];
  /** The last day whose data is complete: a label is known once snapshot + horizon ≤ latestDay. */
  readonly latestDay: string;
  readonly horizonDays?: number;
}

const dayCache = new Map<string, number>();
/** `YYYY-MM-DD` → days since 1970-01-01 (cached: the same few hundred days, millions of times). */
function dayNum(day: string): number {
  let n = dayCache.get(day);
  if (n === undefined) {
    n = Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
    if (Number.isNaN(n)) throw new InputError(`"${day}" is not a day YYYY-MM-DD`);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(day, n);
  }
  return n;
}

function checkDay(value: string, field: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isCalendarDate(value))
    throw new InputError(`${field} must be a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

interface Profile {
  time: string;
  plan: string;
  contract: string;
  monthlyCharge: number;
  signupDay: number;
}

interface Sums {
  s7: Float64Array;
  s30: Float64Array;
  active30: number;
  lastActive: number;
}

export function buildSnapshotFeatures(input: SnapshotInput): Row[] {
  const horizon = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  checkDay(input.snapshot, 'snapshot');
  checkDay(input.latestDay, 'latestDay');
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw new InputError(`horizonDays must be a whole number >= 1, got ${horizon}`);
  const snap = dayNum(input.snapshot);
  const latest = dayNum(input.latestDay);

  // Profiles and churn known at the snapshot; churn after it is only for the label.
  const profiles = new Map<string, Profile>();
  const churnedBy = new Set<string>();
  const churnAfter = new Map<string, number>();
  for (const row of input.customers) {
    const id = row.customer_id as string;
    const day = dayNum(row.day as string);
    if (row.event === 'churn') {
      if (day <= snap) churnedBy.add(id);
      else {
        const first = churnAfter.get(id);
        if (first === undefined || day < first) churnAfter.set(id, day);
      }
      continue;
    }
    if (day > snap) continue;
    const known = profiles.get(id);
    if (known && known.time > (row.time as string)) continue;
    profiles.set(id, {
      time: row.time as string,
      plan: row.plan as string,
      contract: row.contract as string,
      monthlyCharge: row.monthly_charge as number,
      signupDay: dayNum(row.signup_date as string),
    });
  }

  const sums = new Map<string, Sums>();
  for (const row of input.summaries) {
    const id = row.customer_id as string;
    if (!profiles.has(id) || churnedBy.has(id)) continue;
    const age = snap - dayNum(row.day as string);
    // Only the 30-day window counts, so a step that reads just those days computes the same row.
    if (age < 0 || age >= 30) continue;
    let s = sums.get(id);
    if (!s) {
      s = {
        s7: new Float64Array(WINDOW_SUMS.length + 2),
        s30: new Float64Array(WINDOW_SUMS.length + 2),
        active30: 0,
        lastActive: -Infinity,
      };
      sums.set(id, s);
    }
    const day = snap - age;
    if (day > s.lastActive) s.lastActive = day;
    s.active30++;
    for (let k = 0; k < WINDOW_SUMS.length; k++) {
      const value = Number(row[(WINDOW_SUMS[k] as { column: string }).column] ?? 0);
      s.s30[k] = (s.s30[k] as number) + value;
      if (age < 7) s.s7[k] = (s.s7[k] as number) + value;
    }
    const extra = WINDOW_SUMS.length;
    s.s30[extra] = (s.s30[extra] as number) + Number(row.care_unresolved ?? 0);
    s.s30[extra + 1] = Math.max(s.s30[extra + 1] as number, Number(row.max_days_late ?? 0));
  }

  const rows: Row[] = [];
  const ids = [...profiles.keys()].filter((id) => !churnedBy.has(id)).sort();
  for (const id of ids) {
    const profile = profiles.get(id) as Profile;
    const s = sums.get(id);
    const tenure = Math.max(0, snap - profile.signupDay);
    const row: Row = {
      snapshot: input.snapshot,
      customer_id: id,
      plan_code: PLAN_CODES[profile.plan] ?? null,
      contract_code: CONTRACT_CODES[profile.contract] ?? null,
      monthly_charge: profile.monthlyCharge,
      tenure_days: tenure,
    };
    const sum = (window: 7 | 30, feature: string) =>
      s ? ((window === 7 ? s.s7 : s.s30)[WINDOW_INDEX.get(feature) as number] as number) : 0;
    for (const { feature } of WINDOW_SUMS) {
      row[`${feature}_7d`] = round4(sum(7, feature));
      row[`${feature}_30d`] = round4(sum(30, feature));
    }
    row.drop_rate_7d = rate(sum(7, 'dropped_calls'), sum(7, 'calls'));
    row.drop_rate_30d = rate(sum(30, 'dropped_calls'), sum(30, 'calls'));
    row.care_unresolved_30d = s ? (s.s30[WINDOW_SUMS.length] as number) : 0;
    row.max_days_late_30d = s ? (s.s30[WINDOW_SUMS.length + 1] as number) : 0;
    row.active_days_30d = s?.active30 ?? 0;
    // Per-day means over the days the customer existed: a new customer's month is not 30 days.
    const days7 = Math.min(7, tenure + 1);
    const days30 = Math.min(30, tenure + 1);
    for (const feature of ['calls', 'minutes', 'data_mb']) {
      const eps = TREND_SMOOTHING[feature] as number;
      row[`trend_${feature}`] = round4((sum(7, feature) / days7 + eps) / (sum(30, feature) / days30 + eps));
    }
    row.days_since_last_activity = Math.min(
      MAX_DAYS_SINCE_ACTIVITY,
      snap - Math.max(s?.lastActive ?? Number.NEGATIVE_INFINITY, profile.signupDay),
    );
    row.label = label(churnAfter.get(id), snap, latest, horizon);
    rows.push(row);
  }
  return rows;
}

/** 1 if the churn falls in (snapshot, snapshot + horizon] and within the data; 0 once that is all known. */
function label(churnDay: number | undefined, snap: number, latest: number, horizon: number): number | null {
  if (churnDay !== undefined && churnDay <= snap + horizon && churnDay <= latest) return 1;
  return snap + horizon <= latest ? 0 : null;
}

const rate = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0);
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

function matrixOf(rows: readonly Row[]): number[][] {
  return rows.map((row) =>
    MODEL_FEATURES.map((name) => {
      const value = row[name];
      return typeof value === 'number' ? value : Number.NaN;
    }),
  );
}

/** Rows with a known label, as the forest takes them. */
export function toLabelledMatrix(rows: readonly Row[]): LabelledMatrix {
  const known = rows.filter((row) => row.label === 0 || row.label === 1);
  if (known.length === 0)
    throw new InputError(
      `none of the ${rows.length} feature rows has a known label (labels arrive ${DEFAULT_HORIZON_DAYS} days after the snapshot)`,
    );
  return {
    featureNames: MODEL_FEATURES,
    features: matrixOf(known),
    labels: known.map((row) => row.label as number),
    snapshots: known.map((row) => row.snapshot as string),
    customerIds: known.map((row) => row.customer_id as string),
  };
}

/** Every row, labelled or not: what the model scores. */
export function toFeatureMatrix(rows: readonly Row[]): {
  featureNames: readonly string[];
  features: number[][];
  customerIds: string[];
  snapshots: string[];
} {
  return {
    featureNames: MODEL_FEATURES,
    features: matrixOf(rows),
    customerIds: rows.map((row) => row.customer_id as string),
    snapshots: rows.map((row) => row.snapshot as string),
  };
}

/**
 * Snapshot days from `firstDay` to `lastDay` (both included when the step lands on it), every
 * `everyDays`. Start 29 days after the first day of data, or the 30-day windows of the first
 * snapshots are short for everyone.
 */
export function snapshotDays(firstDay: string, lastDay: string, everyDays: number): string[] {
  checkDay(firstDay, 'firstDay');
  checkDay(lastDay, 'lastDay');
  if (!(Number.isInteger(everyDays) && everyDays >= 1))
    throw new InputError(`everyDays must be a whole number >= 1, got ${everyDays}`);
  const days: string[] = [];
  for (let d = dayNum(firstDay); d <= dayNum(lastDay); d += everyDays)
    days.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
  return days;
}
