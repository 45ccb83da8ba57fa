import { csvCellValue } from '../../../core/data/csv.js';
import type { RecordSpec, Validation } from '../../../core/pipelines/record-spec.js';
import {
  checkFieldSet,
  checkFiniteNumber,
  checkIdentifier,
  describeType,
  isPlainObject,
  parseTimestamp,
} from '../../../core/pipelines/validation-helpers.js';

/**
 * One reading of a machine sensor (a pump or motor). Every measurement channel is nullable: a
 * sensor can miss a channel now and then, but a reading must carry at least one measurement.
 */
export interface SensorReading {
  /** Sensor identifier, e.g. `sensor-007`. */
  sensorId: string;
  /** When the reading was taken, ISO-8601 UTC. */
  timestamp: string;
  /** Casing temperature in °C, [-50, 200]. */
  temperature: number | null;
  /** Vibration velocity (RMS) in mm/s, [0, 100]. */
  vibration: number | null;
  /** Discharge pressure in bar, [0, 100]. */
  pressure: number | null;
  /** Shaft speed in revolutions per minute, [0, 30000]. */
  rpm: number | null;
  /** Motor current in amperes, [0, 1000]. */
  current: number | null;
}

export const SENSOR_FIELDS = [
  'sensorId',
  'timestamp',
  'temperature',
  'vibration',
  'pressure',
  'rpm',
  'current',
] as const;

/** The measurement channels, in field order. */
export const SENSOR_CHANNELS = ['temperature', 'vibration', 'pressure', 'rpm', 'current'] as const;
export type SensorChannel = (typeof SENSOR_CHANNELS)[number];

/** Physically plausible range of each channel (inclusive), with its unit for messages. */
export const SENSOR_RANGES: Readonly<Record<SensorChannel, { min: number; max: number; unit: string }>> = {
  temperature: { min: -50, max: 200, unit: '°C' },
  vibration: { min: 0, max: 100, unit: 'mm/s' },
  pressure: { min: 0, max: 100, unit: 'bar' },
  rpm: { min: 0, max: 30_000, unit: 'rpm' },
  current: { min: 0, max: 1000, unit: 'A' },
};

function validateSensorReading(data: unknown, arrivalMs: number): Validation<SensorReading> {
  if (!isPlainObject(data))
    return { ok: false, reason: `a sensor reading must be a JSON object, got ${describeType(data)}` };
  const typeReason =
    checkFieldSet(data, SENSOR_FIELDS) ??
    checkIdentifier(data, 'sensorId') ??
    SENSOR_CHANNELS.reduce<string | undefined>(
      (reason, channel) => reason ?? checkFiniteNumber(data, channel, { nullable: true }),
      undefined,
    );
  if (typeReason) return { ok: false, reason: typeReason };
  for (const channel of SENSOR_CHANNELS) {
    const value = data[channel] as number | null;
    if (value === null) continue;
    const { min, max, unit } = SENSOR_RANGES[channel];
    if (value < min || value > max)
      return { ok: false, reason: `${channel} must be in [${min}, ${max}] ${unit}, got ${value}` };
  }
  if (SENSOR_CHANNELS.every((channel) => data[channel] === null))
    return { ok: false, reason: `a sensor reading needs at least one of ${SENSOR_CHANNELS.join(', ')}` };
  const time = parseTimestamp(data.timestamp, 'timestamp', arrivalMs);
  if ('reason' in time) return { ok: false, reason: time.reason };
  return {
    ok: true,
    value: {
      sensorId: data.sensorId as string,
      // Normalised so the natural key and the partition agree however the zone was written.
      timestamp: new Date(time.ms).toISOString(),
      temperature: data.temperature as number | null,
      vibration: data.vibration as number | null,
      pressure: data.pressure as number | null,
      rpm: data.rpm as number | null,
      current: data.current as number | null,
    },
  };
}

export const sensorRecordSpec: RecordSpec<SensorReading> = {
  pipeline: 'sensors',
  fields: SENSOR_FIELDS,
  validate: validateSensorReading,
  eventTimeMs: (reading) => Date.parse(reading.timestamp),
  naturalKey: (reading) => `${reading.sensorId}|${reading.timestamp}`,
  partitionKey: (reading) => reading.sensorId,
  fromCsvRow: (row) => ({
    sensorId: row.sensorId,
    timestamp: row.timestamp,
    temperature: csvCellValue(row.temperature),
    vibration: csvCellValue(row.vibration),
    pressure: csvCellValue(row.pressure),
    rpm: csvCellValue(row.rpm),
    current: csvCellValue(row.current),
  }),
};
