/**
 * The shape the chunker and the feature creator work on, whatever the sensor record looks like:
 * one source (`key`, e.g. a sensor id), one instant and named numeric channels. A channel that is
 * null, absent or not a finite number counts as missing for that channel only.
 */
export interface KeyedReading {
  key: string;
  /** Milliseconds since the Unix epoch (UTC). */
  timestampMs: number;
  values: Readonly<Record<string, number | null | undefined>>;
}

/** Where the key, the time and the channels sit in a plain record (e.g. a parsed NDJSON line). */
export interface ReadingFields {
  key: string;
  timestamp: string;
  channels: readonly string[];
}

/**
 * An ISO 8601 date-time with an explicit zone (`Z` or `±HH:MM`) → epoch ms. A time without a zone
 * is rejected: `Date.parse` would read it in the host's local zone, so the same record would land
 * on different days on a laptop and in Lambda.
 */
export function parseUtcTimestamp(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(iso)) {
    throw new Error(`timestamp "${iso}" is not ISO 8601 with a zone (Z or ±HH:MM)`);
  }
  const ms = Date.parse(iso);
  // V8 rolls 2024-02-30 over to March 1 instead of failing; a sensor that sends it is broken.
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!Number.isFinite(ms) || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new Error(`timestamp "${iso}" is not a valid date`);
  }
  return ms;
}

/** A finite number stays; anything else (null, absent, NaN, a string) is a missing value. */
export function channelValue(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Adapts any plain record to a KeyedReading, so the sensor type can change without touching the
 * chunker: `keyedReadingFrom(r, { key: 'sensorId', timestamp: 'timestamp', channels: ['temperature'] })`.
 * A numeric timestamp is taken as epoch ms; a string must carry its zone.
 */
export function keyedReadingFrom(reading: object, fields: ReadingFields): KeyedReading {
  // `object`, not Record<string, unknown>: an interface such as SensorReading has no index signature.
  const record = reading as Readonly<Record<string, unknown>>;
  const key = record[fields.key];
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error(`field "${fields.key}" is not a non-empty string`);
  }
  const time = record[fields.timestamp];
  let timestampMs: number;
  if (typeof time === 'string') timestampMs = parseUtcTimestamp(time);
  else if (typeof time === 'number' && Number.isFinite(time)) timestampMs = time;
  else throw new Error(`field "${fields.timestamp}" is neither an ISO string nor epoch ms`);
  const values: Record<string, number | null> = {};
  for (const channel of fields.channels) values[channel] = channelValue(record[channel]);
  return { key, timestampMs, values };
}
