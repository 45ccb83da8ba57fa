import { csvCellValue } from '../../../core/data/csv.js';
import type { RecordSpec, Validation } from '../../../core/pipelines/record-spec.js';
import {
  checkBoolean,
  checkFieldSet,
  checkFiniteNumber,
  checkIdentifier,
  describeType,
  isPlainObject,
  parseTimestamp,
} from '../../../core/pipelines/validation-helpers.js';
import { PIPELINE } from '../names.js';

const HOUR_MS = 3_600_000;

/** One hourly reading of a water meter. */
export interface WaterReading {
  /** Meter identifier, e.g. `zone-a-meter-01`. */
  meterId: string;
  /** Supply zone the meter belongs to. */
  zone: string;
  /** Start of the hour, ISO-8601 UTC. */
  timestamp: string;
  /** Cubic metres consumed during the hour. */
  consumption: number;
  /** Air temperature in °C (an exogenous regressor); null when the weather feed had a gap. */
  temperature: number | null;
  /** Public holiday at the meter's location. */
  holiday: boolean;
}

export const WATER_FIELDS = [
  'meterId',
  'zone',
  'timestamp',
  'consumption',
  'temperature',
  'holiday',
] as const;

function validateWaterReading(data: unknown, arrivalMs: number): Validation<WaterReading> {
  if (!isPlainObject(data))
    return { ok: false, reason: `a water reading must be a JSON object, got ${describeType(data)}` };
  const reason =
    checkFieldSet(data, WATER_FIELDS) ??
    checkIdentifier(data, 'meterId') ??
    checkIdentifier(data, 'zone') ??
    checkFiniteNumber(data, 'consumption') ??
    checkFiniteNumber(data, 'temperature', { nullable: true }) ??
    checkBoolean(data, 'holiday');
  if (reason) return { ok: false, reason };
  if ((data.consumption as number) < 0)
    return { ok: false, reason: `consumption must be >= 0 m³, got ${data.consumption}` };
  const time = parseTimestamp(data.timestamp, 'timestamp', arrivalMs);
  if ('reason' in time) return { ok: false, reason: time.reason };
  // The series is keyed by the start of each hour: a reading at 12:30 names no hour of it.
  if (time.ms % HOUR_MS !== 0) {
    const hourStart = new Date(time.ms - (time.ms % HOUR_MS)).toISOString().replace('.000Z', 'Z');
    return {
      ok: false,
      reason: `timestamp ${data.timestamp} is not the start of an hour (UTC); a water reading covers one hour and is stamped with its start, e.g. ${hourStart}`,
    };
  }
  return {
    ok: true,
    value: {
      meterId: data.meterId as string,
      zone: data.zone as string,
      // Normalised so the natural key and the partition agree however the zone was written.
      timestamp: new Date(time.ms).toISOString(),
      consumption: data.consumption as number,
      temperature: data.temperature as number | null,
      holiday: data.holiday as boolean,
    },
  };
}

export const waterRecordSpec: RecordSpec<WaterReading> = {
  pipeline: PIPELINE,
  fields: WATER_FIELDS,
  validate: validateWaterReading,
  eventTimeMs: (reading) => Date.parse(reading.timestamp),
  naturalKey: (reading) => `${reading.meterId}|${reading.timestamp}`,
  partitionKey: (reading) => reading.meterId,
  fromCsvRow: (row) => ({
    meterId: row.meterId,
    zone: row.zone,
    timestamp: row.timestamp,
    consumption: csvCellValue(row.consumption),
    temperature: csvCellValue(row.temperature),
    holiday: csvCellValue(row.holiday),
  }),
};
