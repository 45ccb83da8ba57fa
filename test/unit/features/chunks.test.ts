import { describe, expect, it } from 'vitest';
import {
  dayStartMs,
  expectedReadingsPerDay,
  groupIntoChunks,
  missingShare,
  utcDay,
} from '../../../core/features/chunks.js';
import { type KeyedReading, keyedReadingFrom, parseUtcTimestamp } from '../../../core/features/reading.js';

// All times here are UTC unless a test states an offset; days are [00:00:00.000Z, next 00:00:00.000Z).
const at = (iso: string, key = 's1', temperature: number | null = 20): KeyedReading => ({
  key,
  timestampMs: parseUtcTimestamp(iso),
  values: { temperature },
});

describe('UTC day rule', () => {
  it('puts 23:59:59.999Z on its own day and 00:00:00.000Z on the next', () => {
    // Act
    const lastMoment = utcDay(parseUtcTimestamp('2024-03-09T23:59:59.999Z'));
    const midnight = utcDay(parseUtcTimestamp('2024-03-10T00:00:00.000Z'));
    // Assess
    expect(lastMoment).toBe('2024-03-09');
    expect(midnight).toBe('2024-03-10');
  });

  it('counts a time with an offset by its UTC instant', () => {
    // Act: 01:30 at +02:00 is 23:30Z the day before; 23:30 at -05:00 is 04:30Z the day after.
    const east = utcDay(parseUtcTimestamp('2024-03-10T01:30:00+02:00'));
    const west = utcDay(parseUtcTimestamp('2024-03-09T23:30:00-05:00'));
    // Assess
    expect(east).toBe('2024-03-09');
    expect(west).toBe('2024-03-10');
  });

  it('rejects a time without a zone, which the host would read as local time', () => {
    // Act / Assess
    expect(() => parseUtcTimestamp('2024-03-10T01:30:00')).toThrow(/with a zone/);
    expect(() => parseUtcTimestamp('2024-02-30T01:30:00Z')).toThrow(/not a valid date|with a zone/);
  });

  it('gives the start of a day and refuses days that do not exist', () => {
    // Act / Assess
    expect(dayStartMs('2024-03-10')).toBe(Date.UTC(2024, 2, 10));
    expect(() => dayStartMs('2023-02-29')).toThrow(/not a calendar day/);
    expect(() => dayStartMs('2024-3-1')).toThrow(/YYYY-MM-DD/);
  });
});

describe('groupIntoChunks', () => {
  it('splits at UTC midnight and per key, ordered by day then key', () => {
    // Prepare
    const readings = [
      at('2024-03-10T00:00:00.000Z', 's2'),
      at('2024-03-09T23:59:59.999Z', 's1'),
      at('2024-03-10T00:00:00.000Z', 's1'),
      at('2024-03-10T01:30:00+02:00', 's2'), // 2024-03-09T23:30Z
    ];
    // Act
    const { chunks, duplicates } = groupIntoChunks(readings);
    // Assess
    expect(chunks.map((c) => `${c.day}/${c.key}/${c.readings.length}`)).toEqual([
      '2024-03-09/s1/1',
      '2024-03-09/s2/1',
      '2024-03-10/s1/1',
      '2024-03-10/s2/1',
    ]);
    expect(duplicates).toBe(0);
  });

  it('sorts by time and keeps the first of readings with the same key and timestamp', () => {
    // Prepare
    const readings = [
      at('2024-03-09T12:00:00Z', 's1', 3),
      at('2024-03-09T06:00:00Z', 's1', 1),
      at('2024-03-09T12:00:00.000+00:00', 's1', 99), // same instant as the first: a duplicate
      at('2024-03-09T09:00:00Z', 's1', 2),
      at('2024-03-09T12:00:00Z', 's2', 7), // same instant, other key: not a duplicate
    ];
    // Act
    const { chunks, duplicates } = groupIntoChunks(readings);
    // Assess
    expect(duplicates).toBe(1);
    expect(chunks[0]?.readings.map((r) => r.values.temperature)).toEqual([1, 2, 3]);
    expect(chunks[1]?.readings.map((r) => r.values.temperature)).toEqual([7]);
  });

  it('gives no chunks for no readings and refuses a non-finite timestamp', () => {
    // Act / Assess
    expect(groupIntoChunks([])).toEqual({ chunks: [], duplicates: 0 });
    expect(() => groupIntoChunks([{ key: 's1', timestampMs: Number.NaN, values: {} }])).toThrow(/non-finite/);
  });
});

describe('expected readings and missing share', () => {
  it('expects 144 readings a day at 10 minutes and refuses intervals that do not divide a day', () => {
    // Act / Assess
    expect(expectedReadingsPerDay(600_000)).toBe(144);
    expect(expectedReadingsPerDay(1_000)).toBe(86_400);
    expect(() => expectedReadingsPerDay(7 * 60_000)).toThrow(/divisor of a day/);
    expect(() => expectedReadingsPerDay(0)).toThrow(/divisor/);
  });

  it('is (expected − present) / expected, clamped to [0, 1]', () => {
    // Act / Assess
    expect(missingShare(108, 144)).toBe(0.25);
    expect(missingShare(0, 144)).toBe(1);
    expect(missingShare(150, 144)).toBe(0); // jitter can add readings; none are missing then
  });
});

describe('keyedReadingFrom', () => {
  it('adapts any record given its field names, treating non-numbers as missing', () => {
    // Prepare
    const record = {
      sensorId: 'pump-7',
      timestamp: '2024-03-10T01:30:00+02:00',
      temperature: 21.5,
      vibration: null,
      pressure: 'n/a',
    };
    // Act
    const reading = keyedReadingFrom(record, {
      key: 'sensorId',
      timestamp: 'timestamp',
      channels: ['temperature', 'vibration', 'pressure', 'humidity'],
    });
    // Assess
    expect(reading).toEqual({
      key: 'pump-7',
      timestampMs: Date.UTC(2024, 2, 9, 23, 30),
      values: { temperature: 21.5, vibration: null, pressure: null, humidity: null },
    });
  });

  it('refuses a record without a key or a usable time', () => {
    // Prepare
    const fields = { key: 'sensorId', timestamp: 'timestamp', channels: ['temperature'] };
    // Act / Assess
    expect(() => keyedReadingFrom({ sensorId: '', timestamp: 0 }, fields)).toThrow(/sensorId/);
    expect(() => keyedReadingFrom({ sensorId: 'a', timestamp: true }, fields)).toThrow(/timestamp/);
  });
});

describe('keyedReadingFrom with the sensor type', () => {
  it('takes an interface-typed record without a cast', () => {
    // Prepare
    interface Typed {
      sensorId: string;
      timestamp: string;
      temperature: number | null;
    }
    const typed: Typed = { sensorId: 's1', timestamp: '2024-03-09T23:59:59.999Z', temperature: null };
    // Act
    const reading = keyedReadingFrom(typed, {
      key: 'sensorId',
      timestamp: 'timestamp',
      channels: ['temperature'],
    });
    // Assess
    expect(utcDay(reading.timestampMs)).toBe('2024-03-09');
    expect(reading.values).toEqual({ temperature: null });
  });
});
