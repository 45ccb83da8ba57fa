import { csvCellValue } from '../../../core/data/csv.js';
import type { RecordSpec, Validation } from '../../../core/pipelines/record-spec.js';
import {
  checkBoolean,
  checkFieldSet,
  checkFiniteNumber,
  checkIdentifier,
  describeType,
  escapeControls,
  isCalendarDate,
  isPlainObject,
  parseTimestamp,
} from '../../../core/pipelines/validation-helpers.js';
import type { TableColumnType } from '../../../lib/config/system-definition.js';
import {
  type CallType,
  CHURN,
  type ChurnEvent,
  type ChurnEventKind,
  type Contract,
  type Plan,
} from '../model/types.js';

/**
 * The churn system's record: one call-detail record or account event of one customer. Every kind
 * shares `pipeline`, `eventId`, `customerId`, `time` and `kind`; each kind adds its own fields and
 * may carry no other (a CSV export has the union of all columns, with the others empty).
 */
export const CHURN_PLANS: readonly Plan[] = ['basic', 'standard', 'premium'];
export const CHURN_CONTRACTS: readonly Contract[] = ['monthly', 'annual', 'two-year'];
export const CHURN_CALL_TYPES: readonly CallType[] = ['local', 'national', 'international', 'roaming'];

const COMMON_FIELDS = ['pipeline', 'eventId', 'customerId', 'time', 'kind'] as const;

/** Each kind's own fields, in the order of {@link CHURN_FIELDS}. */
export const CHURN_KIND_FIELDS: Readonly<Record<ChurnEventKind, readonly string[]>> = {
  customer: ['plan', 'contract', 'monthlyCharge', 'signupDate'],
  call: ['callType', 'durationSeconds', 'dropped'],
  sms: ['international'],
  data: ['megabytes'],
  care: ['resolved'],
  payment: ['amount', 'daysLate'],
  churn: [],
};
export const CHURN_KINDS = Object.keys(CHURN_KIND_FIELDS) as ChurnEventKind[];

/** The union of every kind's fields: the CSV header and the schema in the docs. */
export const CHURN_FIELDS: readonly string[] = [
  ...COMMON_FIELDS,
  ...CHURN_KINDS.flatMap((kind) => CHURN_KIND_FIELDS[kind]),
];

/** Non-string fields; `durationSeconds` is a double because a record may carry fractions. */
const RAW_TYPES: Readonly<Record<string, TableColumnType>> = {
  monthlyCharge: 'double',
  durationSeconds: 'double',
  dropped: 'boolean',
  international: 'boolean',
  megabytes: 'double',
  resolved: 'boolean',
  amount: 'double',
  daysLate: 'int',
};

/**
 * Columns of the raw table over ingest's JSON lines: every field of every kind (a line has its
 * kind's, the others read as null). Athena's JSON SerDe matches names case-insensitively.
 */
export const CHURN_RAW_COLUMNS: readonly { readonly name: string; readonly type: TableColumnType }[] =
  CHURN_FIELDS.map((name) => ({ name, type: RAW_TYPES[name] ?? 'string' }));

/** `C` and 6 to 10 digits: the generator's ids, and short enough for partition keys and logs. */
export const CUSTOMER_ID = /^C\d{6,10}$/;

/** Limits past which a value is a broken record rather than an unusual customer. */
export const CHURN_LIMITS = {
  /** A call longer than a day is a switch that never closed the record. */
  maxCallSeconds: 86_400,
  /** 100 GB in one data session. */
  maxMegabytes: 100_000,
  /** A monthly charge or a payment of more than 10,000 (any currency) on one consumer line. */
  maxAmount: 10_000,
  /** A payment more than a year late would have gone to collection, not arrived as a payment. */
  maxDaysLate: 365,
} as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Already what normalising gives (a valid day, checked before): kept as it is, no Date round trip. */
const NORMALISED_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function checkEnum(data: Record<string, unknown>, field: string, allowed: readonly string[]) {
  const value = data[field];
  if (typeof value === 'string' && allowed.includes(value)) return undefined;
  return `${field} must be one of ${allowed.join(', ')}, got ${describeType(value)}`;
}

function checkRange(data: Record<string, unknown>, field: string, max: number, unit: string) {
  const reason = checkFiniteNumber(data, field, { min: 0 });
  if (reason) return reason;
  const value = data[field] as number;
  return value > max ? `${field} must be at most ${max} ${unit}, got ${value}` : undefined;
}

function checkKindFields(data: Record<string, unknown>, kind: ChurnEventKind, eventDay: string) {
  switch (kind) {
    case 'customer': {
      const reason =
        checkEnum(data, 'plan', CHURN_PLANS) ??
        checkEnum(data, 'contract', CHURN_CONTRACTS) ??
        checkRange(data, 'monthlyCharge', CHURN_LIMITS.maxAmount, 'a month');
      if (reason) return reason;
      const signup = data.signupDate;
      if (typeof signup !== 'string' || !DAY.test(signup) || !isCalendarDate(signup))
        return `signupDate must be a day YYYY-MM-DD, got ${describeType(signup)}`;
      // A profile cannot describe a customer who has not signed up yet.
      if (signup > eventDay) return `signupDate ${signup} is after the event's day ${eventDay}`;
      return undefined;
    }
    case 'call':
      return (
        checkEnum(data, 'callType', CHURN_CALL_TYPES) ??
        checkRange(data, 'durationSeconds', CHURN_LIMITS.maxCallSeconds, 'seconds (24 h)') ??
        checkBoolean(data, 'dropped')
      );
    case 'sms':
      return checkBoolean(data, 'international');
    case 'data':
      return checkRange(data, 'megabytes', CHURN_LIMITS.maxMegabytes, 'MB in one session');
    case 'care':
      return checkBoolean(data, 'resolved');
    case 'payment': {
      const reason =
        checkRange(data, 'amount', CHURN_LIMITS.maxAmount, '') ??
        checkRange(data, 'daysLate', CHURN_LIMITS.maxDaysLate, 'days');
      if (reason) return reason;
      return Number.isInteger(data.daysLate)
        ? undefined
        : `daysLate must be a whole number of days, got ${data.daysLate}`;
    }
    case 'churn':
      return undefined;
  }
}

const REQUIRED = Object.fromEntries(
  CHURN_KINDS.map((kind) => [kind, [...COMMON_FIELDS, ...CHURN_KIND_FIELDS[kind]]]),
) as unknown as Record<ChurnEventKind, readonly string[]>;

/** The common case without allocating; checkFieldSet then words the reason for the rare miss. */
function hasExactly(data: Record<string, unknown>, fields: readonly string[]): boolean {
  let count = 0;
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    count++;
  }
  if (count !== fields.length) return false;
  for (const field of fields) if (!Object.hasOwn(data, field)) return false;
  return true;
}

function validateChurnEvent(data: unknown, arrivalMs: number): Validation<ChurnEvent> {
  if (!isPlainObject(data))
    return { ok: false, reason: `a churn event must be a JSON object, got ${describeType(data)}` };
  const kind = data.kind;
  if (typeof kind !== 'string' || !(CHURN_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      reason: `kind must be one of ${CHURN_KINDS.join(', ')}, got ${describeType(kind)}`,
    };
  }
  const required = REQUIRED[kind as ChurnEventKind];
  if (!hasExactly(data, required)) {
    const fieldReason = checkFieldSet(data, required) ?? 'unexpected field set';
    return { ok: false, reason: `${kind} event: ${fieldReason}` };
  }
  if (data.pipeline !== CHURN)
    return { ok: false, reason: `pipeline must be "${CHURN}", got ${describeType(data.pipeline)}` };
  const idReason = checkIdentifier(data, 'eventId') ?? checkIdentifier(data, 'customerId', 32);
  if (idReason) return { ok: false, reason: idReason };
  if (!CUSTOMER_ID.test(data.customerId as string)) {
    return {
      ok: false,
      reason: `customerId "${escapeControls(data.customerId as string)}" must be C followed by 6 to 10 digits (C000123)`,
    };
  }
  const time = parseTimestamp(data.time, 'time', arrivalMs);
  if ('reason' in time) return { ok: false, reason: time.reason };
  // Normalised so a customer's events sort by their text and every copy of an event reads the same.
  const iso = NORMALISED_TIME.test(data.time as string)
    ? (data.time as string)
    : new Date(time.ms).toISOString();
  const kindReason = checkKindFields(data, kind as ChurnEventKind, iso.slice(0, 10));
  if (kindReason) return { ok: false, reason: `${kind} event: ${kindReason}` };
  return { ok: true, value: copyEvent(data, kind as ChurnEventKind, iso) };
}

interface CheckedFields {
  plan: Plan;
  contract: Contract;
  monthlyCharge: number;
  signupDate: string;
  callType: CallType;
  durationSeconds: number;
  dropped: boolean;
  international: boolean;
  megabytes: number;
  resolved: boolean;
  amount: number;
  daysLate: number;
}

/**
 * The validated event as a fresh literal per kind, fields in their order: every event of a kind
 * then shares one shape, which the summaries and JSON writers downstream run faster on.
 */
function copyEvent(data: Record<string, unknown>, kind: ChurnEventKind, time: string): ChurnEvent {
  const eventId = data.eventId as string;
  const customerId = data.customerId as string;
  // Checked above, field by field.
  const d = data as unknown as CheckedFields;
  switch (kind) {
    case 'customer':
      return {
        pipeline: CHURN,
        eventId,
        customerId,
        time,
        kind,
        plan: d.plan,
        contract: d.contract,
        monthlyCharge: d.monthlyCharge,
        signupDate: d.signupDate,
      };
    case 'call':
      return {
        pipeline: CHURN,
        eventId,
        customerId,
        time,
        kind,
        callType: d.callType,
        durationSeconds: d.durationSeconds,
        dropped: d.dropped,
      };
    case 'sms':
      return { pipeline: CHURN, eventId, customerId, time, kind, international: d.international };
    case 'data':
      return { pipeline: CHURN, eventId, customerId, time, kind, megabytes: d.megabytes };
    case 'care':
      return { pipeline: CHURN, eventId, customerId, time, kind, resolved: d.resolved };
    case 'payment':
      return { pipeline: CHURN, eventId, customerId, time, kind, amount: d.amount, daysLate: d.daysLate };
    case 'churn':
      return { pipeline: CHURN, eventId, customerId, time, kind };
  }
}

export const churnRecordSpec: RecordSpec<ChurnEvent> = {
  pipeline: CHURN,
  fields: CHURN_FIELDS,
  validate: validateChurnEvent,
  eventTimeMs: (event) => Date.parse(event.time),
  naturalKey: (event) => event.eventId,
  // One customer's events stay on one shard, in order: a churn event never overtakes their last call.
  partitionKey: (event) => event.customerId,
  // The CSV has every kind's columns; a kind's foreign columns are empty and left out here, so a
  // filled foreign cell is still reported as an unexpected field.
  fromCsvRow: (row) => {
    const record: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(row)) {
      if (cell === undefined || cell.trim() === '') continue;
      record[field] = ['eventId', 'customerId', 'time', 'signupDate', 'pipeline', 'kind'].includes(field)
        ? cell
        : csvCellValue(cell);
    }
    return record;
  },
};
