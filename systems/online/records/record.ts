import { csvCellValue } from '../../../core/data/csv.js';
import type { RecordSpec, Validation } from '../../../core/pipelines/record-spec.js';
import {
  checkFieldSet,
  checkFiniteNumber,
  describeType,
  escapeControls,
  isPlainObject,
  parseTimestamp,
} from '../../../core/pipelines/validation-helpers.js';

/**
 * One record of the online-learning source: numeric features, a class label for the classifier
 * and a real target for the regressor, numbered by its position in the source. The tick is its
 * identity: the learner learns each tick once and drops ticks it has already learned.
 */
export interface OnlineRecord {
  /** Position in the source: an integer ≥ 0, strictly increasing. */
  tick: number;
  /** When the source produced it, ISO-8601 UTC. */
  time: string;
  features: Record<string, number>;
  label: 0 | 1;
  target: number;
}

export const ONLINE_SYSTEM = 'online';
/** One partition key: one shard keeps the records in order, so one learner sees them in order. */
export const ONLINE_PARTITION_KEY = 'online';

export const ONLINE_FIELDS = ['tick', 'time', 'features', 'label', 'target'] as const;

/** Enough for any sensible feature set, few enough that a record stays small and a Parquet row narrow. */
export const MAX_FEATURES = 64;
/** Feature names become Parquet columns and dashboard labels: plain identifiers only. */
const FEATURE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function checkFeatures(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `features must be an object of name → number, got ${describeType(value)}`;
  const names = Object.keys(value);
  if (names.length === 0) return 'features must have at least one feature';
  if (names.length > MAX_FEATURES)
    return `features may have at most ${MAX_FEATURES} entries, got ${names.length}`;
  for (const name of names) {
    if (!FEATURE_NAME.test(name))
      return `feature name "${escapeControls(name.slice(0, 40))}" must start with a letter or _ and hold only letters, digits, _, . or - (at most 64 characters)`;
    const reason = checkFiniteNumber(value, name);
    if (reason) return `feature ${reason}`;
  }
  return undefined;
}

function validateOnlineRecord(data: unknown, arrivalMs: number): Validation<OnlineRecord> {
  if (!isPlainObject(data))
    return { ok: false, reason: `an online record must be a JSON object, got ${describeType(data)}` };
  const fieldReason = checkFieldSet(data, ONLINE_FIELDS);
  if (fieldReason) return { ok: false, reason: fieldReason };
  const { tick, label } = data;
  if (typeof tick !== 'number' || !Number.isSafeInteger(tick) || tick < 0)
    return { ok: false, reason: `tick must be a whole number >= 0, got ${describeType(tick)}` };
  const time = parseTimestamp(data.time, 'time', arrivalMs);
  if ('reason' in time) return { ok: false, reason: time.reason };
  const featureReason = checkFeatures(data.features);
  if (featureReason) return { ok: false, reason: featureReason };
  if (label !== 0 && label !== 1)
    return { ok: false, reason: `label must be 0 or 1, got ${describeType(label)}` };
  const targetReason = checkFiniteNumber(data, 'target');
  if (targetReason) return { ok: false, reason: targetReason };
  return {
    ok: true,
    value: {
      tick,
      // Normalised so every copy of a record reads the same whatever zone it was written in.
      time: new Date(time.ms).toISOString(),
      features: { ...(data.features as Record<string, number>) },
      label,
      target: data.target as number,
    },
  };
}

export const onlineRecordSpec: RecordSpec<OnlineRecord> = {
  pipeline: ONLINE_SYSTEM,
  fields: ONLINE_FIELDS,
  validate: validateOnlineRecord,
  eventTimeMs: (record) => Date.parse(record.time),
  naturalKey: (record) => String(record.tick),
  partitionKey: () => ONLINE_PARTITION_KEY,
  // A flat CSV row: tick, time, label, target, and every other column is a feature.
  fromCsvRow: (row) => {
    const { tick, time, label, target, ...rest } = row;
    return {
      tick: csvCellValue(tick),
      time,
      features: Object.fromEntries(Object.entries(rest).map(([name, cell]) => [name, csvCellValue(cell)])),
      label: csvCellValue(label),
      target: csvCellValue(target),
    };
  },
};
