import { describe, expect, it } from 'vitest';
import {
  emptyBuckets,
  interpolate,
  mergeReadings,
  toHourlySeries,
  trimBuckets,
} from '../../../systems/water/model/hourly-series.js';
import type { WaterReading } from '../../../systems/water/records/reading.js';

const reading = (
  hour: number,
  meterId: string,
  consumption: number,
  temperature: number | null = 10,
): WaterReading => ({
  meterId,
  zone: 'zone-a',
  timestamp: new Date(Date.UTC(2024, 2, 4, hour)).toISOString(),
  consumption,
  temperature,
  holiday: false,
});

describe('hourly buckets of water readings', () => {
  it('averages consumption per reporting meter and temperature per hour', () => {
    // Prepare
    const buckets = emptyBuckets();
    // Act
    mergeReadings(buckets, [reading(0, 'm1', 1), reading(0, 'm2', 3, 12), reading(1, 'm1', 2, null)]);
    const series = toHourlySeries(buckets);
    // Assess
    expect(series.timestamps).toEqual(['2024-03-04T00:00:00.000Z', '2024-03-04T01:00:00.000Z']);
    expect(series.values).toEqual([2, 2]);
    expect(series.temperature).toEqual([11, 11]);
  });

  it('counts a reading seen again (a replayed batch) once, and merges late readings into their hour', () => {
    // Prepare
    const buckets = emptyBuckets();
    mergeReadings(buckets, [reading(0, 'm1', 1)]);
    // Act
    const added = mergeReadings(buckets, [reading(0, 'm1', 1), reading(0, 'm2', 5)]);
    // Assess
    expect(added).toBe(1);
    expect(toHourlySeries(buckets).values).toEqual([3]);
  });

  it('fills hours nobody reported by linear interpolation and says how many', () => {
    // Prepare
    const buckets = emptyBuckets();
    mergeReadings(buckets, [reading(0, 'm1', 1, 0), reading(3, 'm1', 4, 3)]);
    // Act
    const series = toHourlySeries(buckets);
    // Assess
    expect(series.values).toEqual([1, 2, 3, 4]);
    expect(series.temperature).toEqual([0, 1, 2, 3]);
    expect(series.filledHours).toBe(2);
  });

  it('trims to a trailing window counted from the newest hour, forgetting the keys it dropped', () => {
    // Prepare
    const buckets = emptyBuckets();
    mergeReadings(
      buckets,
      [0, 1, 2, 3, 4].map((h) => reading(h, 'm1', h)),
    );
    // Act
    trimBuckets(buckets, 2);
    // Assess
    expect(toHourlySeries(buckets).values).toEqual([3, 4]);
    expect(buckets.seen).toHaveLength(2);
  });

  it('interpolates leading and trailing gaps with the nearest value', () => {
    // Act / Assess
    expect(interpolate([undefined, 2, undefined, 4, undefined])).toEqual([2, 2, 3, 4, 4]);
  });
});
