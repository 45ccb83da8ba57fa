import { type Chunk, DAY_MS, dayStartMs, expectedReadingsPerDay, missingShare } from './chunks.js';
import { type FeatureColumn, type FeatureRow, featureColumns } from './columns.js';
import { leastSquaresSlope, mean, populationStd, quantileSorted, sortedAscending } from './stats.js';

export interface FeatureOptions {
  /** Channels to aggregate, in column order; each becomes `<channel>_<stat>` columns. */
  channels: readonly string[];
  /** The sensors' nominal sampling interval; it must divide a day (e.g. 600000 for 10 minutes). */
  samplingIntervalMs: number;
}

const HOUR_MS = 3_600_000;

export interface FeatureCreator {
  columns: FeatureColumn[];
  expectedReadings: number;
  /** One feature row of a chunk as `groupIntoChunks` makes it (one UTC day, one reading per instant). */
  rowOf(chunk: Chunk): FeatureRow;
}

/** Checks the options once, so a Map over thousands of chunks does not repeat it per chunk. */
export function featureCreator(options: FeatureOptions): FeatureCreator {
  const columns = featureColumns(options.channels);
  const expectedReadings = expectedReadingsPerDay(options.samplingIntervalMs);
  const channels = [...options.channels];
  return {
    columns,
    expectedReadings,
    rowOf(chunk: Chunk): FeatureRow {
      const start = dayStartMs(chunk.day);
      const n = chunk.readings.length;
      // x in hours since 00:00Z of the chunk's day: the slope then reads as units per hour.
      const hours = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const offset = (chunk.readings[i] as Chunk['readings'][number]).timestampMs - start;
        // A reading outside the day would bend the slope and the missing share without a trace.
        if (offset < 0 || offset >= DAY_MS) {
          throw new Error(`chunk ${chunk.day}/${chunk.key} holds a reading outside its UTC day`);
        }
        hours[i] = offset / HOUR_MS;
      }
      const row: FeatureRow = {
        key: chunk.key,
        day: chunk.day,
        readings: n,
        expected_readings: expectedReadings,
        missing_share: missingShare(n, expectedReadings),
      };
      const values = new Float64Array(n);
      const times = new Float64Array(n);
      for (const channel of channels) {
        let count = 0;
        for (let i = 0; i < n; i++) {
          const value = (chunk.readings[i] as Chunk['readings'][number]).values[channel];
          // null, absent, NaN and ±Infinity are all "no value": they count as missing for this channel.
          if (typeof value === 'number' && Number.isFinite(value)) {
            values[count] = value;
            times[count] = hours[i] as number;
            count++;
          }
        }
        const present = { values: values.subarray(0, count), hours: times.subarray(0, count) };
        Object.assign(row, channelFeatures(channel, present, expectedReadings));
      }
      return row;
    },
  };
}

/** The channel's columns in CHANNEL_STATS order; every statistic is null when no value is present. */
function channelFeatures(
  channel: string,
  { values, hours }: { values: Float64Array; hours: Float64Array },
  expectedReadings: number,
): Record<string, number | null> {
  const m = mean(values);
  const sorted = sortedAscending(values);
  return {
    [`${channel}_count`]: values.length,
    [`${channel}_missing_share`]: missingShare(values.length, expectedReadings),
    [`${channel}_mean`]: m,
    [`${channel}_std`]: m === null ? null : populationStd(values, m),
    [`${channel}_min`]: values.length === 0 ? null : (sorted[0] as number),
    [`${channel}_max`]: values.length === 0 ? null : (sorted[sorted.length - 1] as number),
    [`${channel}_p10`]: quantileSorted(sorted, 0.1),
    [`${channel}_p50`]: quantileSorted(sorted, 0.5),
    [`${channel}_p90`]: quantileSorted(sorted, 0.9),
    [`${channel}_slope_per_hour`]: leastSquaresSlope(hours, values),
  };
}

/** Feature rows of many chunks, in the chunks' order. */
export function featureRows(chunks: Iterable<Chunk>, options: FeatureOptions): FeatureRow[] {
  const creator = featureCreator(options);
  const rows: FeatureRow[] = [];
  for (const chunk of chunks) rows.push(creator.rowOf(chunk));
  return rows;
}

/** One chunk's row; prefer `featureCreator` in a loop. */
export function chunkFeatures(chunk: Chunk, options: FeatureOptions): FeatureRow {
  return featureCreator(options).rowOf(chunk);
}
