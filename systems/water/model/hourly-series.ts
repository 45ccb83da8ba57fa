import { isHoliday } from '../records/generator.js';
import type { WaterReading } from '../records/reading.js';

const HOUR_MS = 3_600_000;

/**
 * The model-ready form of the water stream: one bucket per hour with sums and counts, so new
 * readings merge into it exactly (an hour that gets more readings later is not double counted,
 * and a reading seen twice is counted once). Kept in S3 between runs, trimmed to a trailing
 * window: training never has to re-read the whole archive.
 */
export interface HourlyBuckets {
  format: 'hourly-buckets';
  version: 1;
  /** Natural keys (`meterId|timestamp`) already counted, for the hours kept. */
  seen: string[];
  hours: Record<
    string,
    { consumption: number; readings: number; temperature: number; temperatures: number; holiday: boolean }
  >;
}

export function emptyBuckets(): HourlyBuckets {
  return { format: 'hourly-buckets', version: 1, seen: [], hours: {} };
}

/** Adds readings (deduplicated by meter and hour); returns how many were new. */
export function mergeReadings(buckets: HourlyBuckets, readings: readonly WaterReading[]): number {
  const seen = new Set(buckets.seen);
  let added = 0;
  for (const reading of readings) {
    const key = `${reading.meterId}|${reading.timestamp}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hour = new Date(Math.floor(Date.parse(reading.timestamp) / HOUR_MS) * HOUR_MS).toISOString();
    const bucket = buckets.hours[hour] ?? {
      consumption: 0,
      readings: 0,
      temperature: 0,
      temperatures: 0,
      holiday: false,
    };
    buckets.hours[hour] = bucket;
    bucket.consumption += reading.consumption;
    bucket.readings++;
    if (reading.temperature !== null) {
      bucket.temperature += reading.temperature;
      bucket.temperatures++;
    }
    bucket.holiday ||= reading.holiday;
    added++;
  }
  buckets.seen = [...seen];
  return added;
}

/** Keeps the trailing `maxHours` hours (and their keys), counted back from the newest hour. */
export function trimBuckets(buckets: HourlyBuckets, maxHours: number): void {
  const hours = Object.keys(buckets.hours).sort();
  const last = hours.at(-1);
  if (!last) return;
  const cutoff = new Date(Date.parse(last) - (maxHours - 1) * HOUR_MS).toISOString();
  for (const hour of hours) if (hour < cutoff) delete buckets.hours[hour];
  buckets.seen = buckets.seen.filter((key) => {
    const timestamp = key.slice(key.indexOf('|') + 1);
    return new Date(Math.floor(Date.parse(timestamp) / HOUR_MS) * HOUR_MS).toISOString() >= cutoff;
  });
}

export interface HourlySeries {
  timestamps: string[];
  /** Mean consumption per reporting meter (m³/h): robust to meters that miss an hour. */
  values: number[];
  temperature: number[];
  holiday: number[];
  /** Per hour: true when nobody reported it and its consumption is a linear interpolation. */
  filled: boolean[];
  /** Hours with no reading at all, filled by linear interpolation. */
  filledHours: number;
}

/**
 * A regular hourly series from the buckets: every hour from the first to the last, gaps filled
 * by linear interpolation and marked in `filled` (temperature likewise; a holiday flag from the
 * calendar). Training counts the filled hours of its window (gaps.ts) rather than trust them.
 */
export function toHourlySeries(buckets: HourlyBuckets): HourlySeries {
  const keys = Object.keys(buckets.hours).sort();
  const first = keys[0];
  const last = keys.at(-1);
  if (!first || !last)
    return { timestamps: [], values: [], temperature: [], holiday: [], filled: [], filledHours: 0 };
  const count = (Date.parse(last) - Date.parse(first)) / HOUR_MS + 1;
  const timestamps: string[] = [];
  const values: (number | undefined)[] = [];
  const temperature: (number | undefined)[] = [];
  const holiday: number[] = [];
  const filled: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const hour = new Date(Date.parse(first) + i * HOUR_MS);
    const iso = hour.toISOString();
    const bucket = buckets.hours[iso];
    timestamps.push(iso);
    const value = bucket && bucket.readings > 0 ? bucket.consumption / bucket.readings : undefined;
    filled.push(value === undefined);
    values.push(value);
    temperature.push(
      bucket && bucket.temperatures > 0 ? bucket.temperature / bucket.temperatures : undefined,
    );
    holiday.push((bucket?.holiday ?? isHoliday(hour)) ? 1 : 0);
  }
  return {
    timestamps,
    values: interpolate(values),
    temperature: interpolate(temperature),
    holiday,
    filled,
    filledHours: filled.filter(Boolean).length,
  };
}

/** Linear interpolation of gaps; leading/trailing gaps take the nearest known value. */
export function interpolate(series: readonly (number | undefined)[]): number[] {
  const known = series.flatMap((v, i) => (v === undefined ? [] : [i]));
  if (known.length === 0) return series.map(() => 0);
  return series.map((value, i) => {
    if (value !== undefined) return value;
    const next = known.find((k) => k > i);
    const previous = [...known].reverse().find((k) => k < i);
    if (previous === undefined) return series[next as number] as number;
    if (next === undefined) return series[previous] as number;
    const a = series[previous] as number;
    const b = series[next] as number;
    return a + ((b - a) * (i - previous)) / (next - previous);
  });
}
