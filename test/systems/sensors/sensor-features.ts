import { featureCreator } from '../../../core/features/chunk-features.js';
import { groupIntoChunks } from '../../../core/features/chunks.js';
import type { FeatureRow } from '../../../core/features/columns.js';
import {
  type SensorBehaviour,
  type SensorGeneration,
  sensorDayKey,
} from '../../../systems/sensors/records/generator.js';
import { SENSOR_SAMPLING_MS, toKeyedReading } from '../../../systems/sensors/records/keyed.js';
import {
  SENSOR_CHANNELS,
  type SensorReading,
  sensorRecordSpec,
} from '../../../systems/sensors/records/reading.js';

/** Judges generated 2024 readings as if they reached the stream on 2025-01-01. */
export const ARRIVAL_MS = Date.UTC(2025, 0, 1);

export const FEATURE_NAMES = SENSOR_CHANNELS.flatMap((channel) => [`${channel}Mean`, `${channel}Std`]);

/**
 * Aggregates each sensor-day's valid readings into mean and std per channel (nulls skipped),
 * the simple features the clustering tests use. Returns rows in a stable order with their truth.
 */
export function sensorDayFeatures(generation: SensorGeneration): {
  keys: string[];
  features: number[][];
  truth: SensorBehaviour[];
} {
  const groups = new Map<string, SensorReading[]>();
  for (const row of generation.rows) {
    const checked = sensorRecordSpec.validate(row.data, ARRIVAL_MS);
    if (!checked.ok) continue;
    const key = sensorDayKey(checked.value.sensorId, checked.value.timestamp);
    const group = groups.get(key) ?? [];
    group.push(checked.value);
    groups.set(key, group);
  }
  const keys = [...groups.keys()].sort();
  const features = keys.map((key) => {
    const readings = groups.get(key) ?? [];
    return SENSOR_CHANNELS.flatMap((channel) => {
      const values = readings.map((r) => r[channel]).filter((v): v is number => v !== null);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      return [mean, Math.sqrt(variance)];
    });
  });
  const truth = keys.map((key) => {
    const behaviour = generation.truth.get(key);
    if (!behaviour) throw new Error(`no truth for ${key}`);
    return behaviour;
  });
  return { keys, features, truth };
}

/**
 * The feature rows the sensors system computes (one per sensor-day, as in features.parquet) from
 * generated readings, in (day, sensor) order: what the cluster step reads from S3.
 */
export function featureRowsOf(generation: SensorGeneration): FeatureRow[] {
  const readings = generation.rows.flatMap((row) => {
    const checked = sensorRecordSpec.validate(row.data, ARRIVAL_MS);
    return checked.ok ? [toKeyedReading(checked.value)] : [];
  });
  const creator = featureCreator({ channels: SENSOR_CHANNELS, samplingIntervalMs: SENSOR_SAMPLING_MS });
  return groupIntoChunks(readings)
    .chunks.sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key))
    .map((chunk) => creator.rowOf(chunk));
}
