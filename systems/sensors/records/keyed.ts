import type { KeyedReading } from '../../../core/features/reading.js';
import { SENSOR_CHANNELS, type SensorReading } from './reading.js';

/** 10 minutes: the sensors' nominal sampling interval (the generator's default). */
export const SENSOR_SAMPLING_MS = 600_000;

/** A validated sensor reading in the chunker's generic shape. */
export function toKeyedReading(reading: SensorReading): KeyedReading & { reading: SensorReading } {
  return {
    key: reading.sensorId,
    timestampMs: Date.parse(reading.timestamp),
    values: Object.fromEntries(SENSOR_CHANNELS.map((channel) => [channel, reading[channel]])),
    reading,
  };
}

/** Readings of one chunk merged with more: one per timestamp (the earlier copy wins), in time order. */
export function mergeChunkReadings(
  existing: readonly SensorReading[],
  incoming: readonly SensorReading[],
): SensorReading[] {
  const byTime = new Map<string, SensorReading>();
  for (const reading of [...existing, ...incoming])
    if (!byTime.has(reading.timestamp)) byTime.set(reading.timestamp, reading);
  return [...byTime.values()].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}
