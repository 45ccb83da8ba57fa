import type { KeyedReading } from './reading.js';

export const DAY_MS = 86_400_000;

/**
 * One key's readings of one UTC day, sorted by time, one reading per instant.
 *
 * The day rule: days are UTC and half-open, [00:00:00.000Z, next 00:00:00.000Z). A reading at
 * 23:59:59.999Z belongs to that day, one at 00:00:00.000Z to the next. A time written with an
 * offset counts by its UTC instant: 2024-03-10T01:30:00+02:00 is 2024-03-09T23:30Z, so March 9.
 * UTC because it has no daylight-saving days of 23 or 25 hours and every Lambda agrees on it.
 */
export interface Chunk<T extends KeyedReading = KeyedReading> {
  key: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  readings: T[];
}

export interface ChunkingResult<T extends KeyedReading> {
  /** Ordered by day, then key (code-unit order, so the same on every machine). */
  chunks: Chunk<T>[];
  /** Readings dropped because an earlier one had the same key and timestamp. */
  duplicates: number;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(timestampMs: number): string {
  if (!Number.isFinite(timestampMs)) throw new Error(`timestamp ${timestampMs} is not a finite number`);
  return new Date(Math.floor(timestampMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00:00.000Z of a `YYYY-MM-DD` day. */
export function dayStartMs(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day "${day}" is not YYYY-MM-DD`);
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!Number.isFinite(ms) || utcDay(ms) !== day) throw new Error(`day "${day}" is not a calendar day`);
  return ms;
}

/**
 * Splits readings into one chunk per UTC day × key. Within a chunk, readings are sorted by time
 * (stable, so input order breaks no ties) and a repeated (key, timestamp) keeps its first
 * occurrence: a retried upload repeats whole records, so the first is as good as any and keeping
 * it makes the result depend only on the input order the caller chose (e.g. S3 key order).
 */
export function groupIntoChunks<T extends KeyedReading>(readings: Iterable<T>): ChunkingResult<T> {
  const groups = new Map<string, Chunk<T>>();
  // Day strings by day index: formatting a Date per reading would dominate the cost.
  const dayNames = new Map<number, string>();
  for (const reading of readings) {
    if (!Number.isFinite(reading.timestampMs)) {
      throw new Error(`reading of "${reading.key}" has a non-finite timestamp ${reading.timestampMs}`);
    }
    const dayIndex = Math.floor(reading.timestampMs / DAY_MS);
    let day = dayNames.get(dayIndex);
    if (day === undefined) {
      day = utcDay(reading.timestampMs);
      dayNames.set(dayIndex, day);
    }
    const id = `${day}\u0000${reading.key}`;
    let chunk = groups.get(id);
    if (!chunk) {
      chunk = { key: reading.key, day, readings: [] };
      groups.set(id, chunk);
    }
    chunk.readings.push(reading);
  }

  let duplicates = 0;
  const chunks = [...groups.values()].sort((a, b) => compare(a.day, b.day) || compare(a.key, b.key));
  for (const chunk of chunks) {
    chunk.readings.sort((a, b) => a.timestampMs - b.timestampMs);
    const unique: T[] = [];
    for (const reading of chunk.readings) {
      if (unique.length > 0 && (unique[unique.length - 1] as T).timestampMs === reading.timestampMs) {
        duplicates++;
      } else {
        unique.push(reading);
      }
    }
    chunk.readings = unique;
  }
  return { chunks, duplicates };
}

/**
 * Readings a key should deliver in one UTC day at a fixed sampling interval. The interval must
 * divide a day: otherwise the count would differ from day to day with the sampling phase, and the
 * missing share would drift with it for no fault of the sensor.
 */
export function expectedReadingsPerDay(samplingIntervalMs: number): number {
  if (!Number.isInteger(samplingIntervalMs) || samplingIntervalMs <= 0 || DAY_MS % samplingIntervalMs !== 0) {
    throw new Error(
      `sampling interval ${samplingIntervalMs} ms is not a positive divisor of a day (86400000 ms)`,
    );
  }
  return DAY_MS / samplingIntervalMs;
}

/** Share of expected readings that did not arrive, in [0, 1]; extra readings (jitter) do not go below 0. */
export function missingShare(present: number, expected: number): number {
  if (expected <= 0) throw new Error(`expected readings must be positive, got ${expected}`);
  return Math.min(1, Math.max(0, (expected - present) / expected));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
