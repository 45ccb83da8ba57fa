import { describe, expect, it } from 'vitest';
import { chunkFeatures, featureCreator, featureRows } from '../../../core/features/chunk-features.js';
import { type Chunk, groupIntoChunks } from '../../../core/features/chunks.js';
import { featureColumns } from '../../../core/features/columns.js';
import type { KeyedReading } from '../../../core/features/reading.js';

const SIX_HOURS = 6 * 3_600_000; // 4 readings expected per day
const DAY = Date.UTC(2024, 2, 9);
const reading = (hour: number, values: KeyedReading['values']): KeyedReading => ({
  key: 'pump-7',
  timestampMs: DAY + hour * 3_600_000,
  values,
});

/**
 * 2024-03-09, sampling every 6 h (4 expected), the 18:00 reading missing:
 *   hour:        0    6    12
 *   temperature: 10   12   17
 *   vibration:   1    null 3
 *   pressure:    null null null
 */
const chunk: Chunk = {
  key: 'pump-7',
  day: '2024-03-09',
  readings: [
    reading(0, { temperature: 10, vibration: 1, pressure: null }),
    reading(6, { temperature: 12, vibration: null }),
    reading(12, { temperature: 17, vibration: 3, pressure: Number.NaN }),
  ],
};
const options = { channels: ['temperature', 'vibration', 'pressure'], samplingIntervalMs: SIX_HOURS };

describe('chunk features on a hand-computed example', () => {
  it('computes temperature mean, population std, quantiles and slope as by hand', () => {
    // Act
    const row = chunkFeatures(chunk, options);
    // Assess
    // mean = 39 / 3 = 13; deviations −3, −1, 4 → Σ² = 26 → std = √(26/3) ≈ 2.94392 (ddof 0).
    expect(row.temperature_mean).toBe(13);
    expect(row.temperature_std).toBeCloseTo(Math.sqrt(26 / 3), 12);
    expect(row.temperature_min).toBe(10);
    expect(row.temperature_max).toBe(17);
    // Linear quantiles, h = (n − 1)·q: p10 h = 0.2 → 10 + 0.2·2 = 10.4; p50 h = 1 → 12; p90 h = 1.8 → 12 + 0.8·5 = 16.
    expect(row.temperature_p10).toBeCloseTo(10.4, 12);
    expect(row.temperature_p50).toBe(12);
    expect(row.temperature_p90).toBeCloseTo(16, 12);
    // x = hours 0, 6, 12 (x̄ = 6), ȳ = 13: Σdx·dy = 18 + 0 + 24 = 42, Σdx² = 72 → 42/72 = 0.58333 per hour.
    expect(row.temperature_slope_per_hour).toBeCloseTo(42 / 72, 12);
    expect(row.temperature_count).toBe(3);
    expect(row.temperature_missing_share).toBe(0.25);
  });

  it('leaves nulls out of a channel and counts them as missing for that channel only', () => {
    // Act
    const row = chunkFeatures(chunk, options);
    // Assess: vibration 1 and 3 at hours 0 and 12.
    expect(row).toMatchObject({
      readings: 3,
      expected_readings: 4,
      missing_share: 0.25,
      vibration_count: 2,
      vibration_missing_share: 0.5,
      vibration_mean: 2,
      vibration_std: 1,
      vibration_p50: 2,
    });
    expect(row.vibration_p10).toBeCloseTo(1.2, 12);
    expect(row.vibration_slope_per_hour).toBeCloseTo(2 / 12, 12);
  });

  it('gives null statistics for a channel with no value, and no slope for a single value', () => {
    // Prepare
    const single: Chunk = {
      ...chunk,
      readings: [reading(3, { temperature: 5, vibration: null, pressure: null })],
    };
    // Act
    const empty = chunkFeatures(chunk, options);
    const one = chunkFeatures(single, options);
    // Assess
    expect(empty).toMatchObject({
      pressure_count: 0,
      pressure_missing_share: 1,
      pressure_mean: null,
      pressure_std: null,
      pressure_min: null,
      pressure_p90: null,
      pressure_slope_per_hour: null,
    });
    expect(one).toMatchObject({ temperature_mean: 5, temperature_std: 0, temperature_slope_per_hour: null });
    expect(one.missing_share).toBe(0.75);
  });

  it('emits the columns in the stable declared order', () => {
    // Act
    const row = chunkFeatures(chunk, options);
    // Assess
    const names = featureColumns(options.channels).map((c) => c.name);
    expect(Object.keys(row)).toEqual(names);
    expect(names.slice(0, 8)).toEqual([
      'key',
      'day',
      'readings',
      'expected_readings',
      'missing_share',
      'temperature_count',
      'temperature_missing_share',
      'temperature_mean',
    ]);
    expect(names).toHaveLength(5 + 3 * 10);
  });

  it('refuses a chunk holding a reading from another day, and channel names Athena would mangle', () => {
    // Prepare
    const stray: Chunk = { ...chunk, readings: [...chunk.readings, reading(24, { temperature: 1 })] };
    // Act / Assess
    expect(() => chunkFeatures(stray, options)).toThrow(/outside its UTC day/);
    expect(() => featureCreator({ ...options, channels: ['Temperature'] })).toThrow(/snake case/);
    expect(() => featureCreator({ ...options, channels: ['t', 't'] })).toThrow(/twice/);
  });

  it('makes one row per chunk from grouped readings, in chunk order', () => {
    // Prepare
    const readings = [
      reading(23.5, { temperature: 1 }),
      { ...reading(1, { temperature: 2 }), key: 'fan-1' },
      reading(24, { temperature: 3 }), // 00:00Z of the next day
    ];
    // Act
    const rows = featureRows(groupIntoChunks(readings).chunks, {
      channels: ['temperature'],
      samplingIntervalMs: SIX_HOURS,
    });
    // Assess
    expect(rows.map((r) => [r.day, r.key, r.readings, r.temperature_mean])).toEqual([
      ['2024-03-09', 'fan-1', 1, 2],
      ['2024-03-09', 'pump-7', 1, 1],
      ['2024-03-10', 'pump-7', 1, 3],
    ]);
  });
});
