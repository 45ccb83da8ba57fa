import { describe, expect, it } from 'vitest';
import { type SensorReading, sensorRecordSpec } from '../../../systems/sensors/records/reading.js';

const ARRIVAL_MS = Date.UTC(2025, 0, 1);

const good: SensorReading = {
  sensorId: 'sensor-001',
  timestamp: '2024-03-01T10:20:00.000Z',
  temperature: 57.3,
  vibration: 2.1,
  pressure: 6.02,
  rpm: 1455,
  current: 22.4,
};

function reasonFor(data: unknown): string {
  const result = sensorRecordSpec.validate(data, ARRIVAL_MS);
  if (result.ok) throw new Error('expected a validation failure');
  return result.reason;
}

describe('sensorRecordSpec', () => {
  it('accepts a complete reading and normalises the timestamp to UTC', () => {
    // Prepare
    const data = { ...good, timestamp: '2024-03-01T11:20:00+01:00' };

    // Act
    const result = sensorRecordSpec.validate(data, ARRIVAL_MS);

    // Assess
    expect(result).toEqual({ ok: true, value: good });
  });

  it('accepts null channels as long as one measurement remains', () => {
    // Prepare / Act
    const result = sensorRecordSpec.validate(
      { ...good, temperature: null, vibration: null, pressure: null, rpm: null },
      ARRIVAL_MS,
    );

    // Assess
    expect(result.ok).toBe(true);
  });

  it("accepts readings every 10 minutes: the start-of-hour rule is water's alone", () => {
    // Prepare
    const times = ['2024-03-01T10:10:00Z', '2024-03-01T10:50:00Z', '2024-03-01T10:20:30.500Z'];

    // Act
    const results = times.map((timestamp) => sensorRecordSpec.validate({ ...good, timestamp }, ARRIVAL_MS));

    // Assess
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
  });

  it('names the pipeline, keys and event time', () => {
    // Prepare / Act / Assess
    expect(sensorRecordSpec.pipeline).toBe('sensors');
    expect(sensorRecordSpec.partitionKey(good)).toBe('sensor-001');
    expect(sensorRecordSpec.naturalKey(good)).toBe('sensor-001|2024-03-01T10:20:00.000Z');
    expect(sensorRecordSpec.eventTimeMs(good)).toBe(Date.UTC(2024, 2, 1, 10, 20));
    expect(sensorRecordSpec.fields).toEqual([
      'sensorId',
      'timestamp',
      'temperature',
      'vibration',
      'pressure',
      'rpm',
      'current',
    ]);
  });

  it.each([
    ['not an object', [1, 2], 'a sensor reading must be a JSON object, got an array'],
    ['a missing field', (({ rpm: _rpm, ...rest }) => rest)(good), 'missing field(s): rpm'],
    ['an extra field', { ...good, site: 'x' }, 'unexpected field(s): site'],
    ['an empty sensor id', { ...good, sensorId: '' }, 'sensorId must be 1-128 characters, got 0'],
    [
      'a sensor id with a control character',
      { ...good, sensorId: 'sensor\u0000-001' },
      'sensorId "sensor\\u0000-001" contains the control character \\u0000 at index 6',
    ],
    [
      'a sensor id with a C1 control character',
      { ...good, sensorId: 'sensor-001\u009b' },
      'contains the control character \\u009b at index 10',
    ],
    ['a NaN string', { ...good, temperature: 'NaN' }, 'temperature must be a finite number, got "NaN"'],
    ['a text rpm', { ...good, rpm: '1450 rpm' }, 'rpm must be a number or null, got the string "1450 rpm"'],
    ['negative vibration', { ...good, vibration: -0.5 }, 'vibration must be in [0, 100] mm/s, got -0.5'],
    ['negative pressure', { ...good, pressure: -1 }, 'pressure must be in [0, 100] bar, got -1'],
    [
      'an impossible temperature',
      { ...good, temperature: 900 },
      'temperature must be in [-50, 200] °C, got 900',
    ],
    ['too fast', { ...good, rpm: 40_000 }, 'rpm must be in [0, 30000] rpm, got 40000'],
    ['negative current', { ...good, current: -2 }, 'current must be in [0, 1000] A, got -2'],
    [
      'no measurement at all',
      { ...good, temperature: null, vibration: null, pressure: null, rpm: null, current: null },
      'a sensor reading needs at least one of temperature, vibration, pressure, rpm, current',
    ],
    [
      'a timestamp without zone',
      { ...good, timestamp: '2024-03-01 10:20' },
      'timestamp "2024-03-01 10:20" is not ISO-8601 with a zone (e.g. 2024-03-01T13:00:00Z)',
    ],
    [
      'a timestamp far in the future',
      { ...good, timestamp: '2025-03-01T00:00:00Z' },
      'timestamp 2025-03-01T00:00:00Z is more than 24 h after the record reached the stream',
    ],
  ])('rejects %s with a clear reason', (_name, data, expected) => {
    // Prepare / Act
    const reason = reasonFor(data);

    // Assess
    expect(reason).toContain(expected);
  });

  it('parses CSV rows: numbers, empty cells as null, odd text kept for validation to name', () => {
    // Prepare
    const row = {
      sensorId: 'sensor-002',
      timestamp: '2024-03-01T00:00:00Z',
      temperature: '55.5',
      vibration: '',
      pressure: 'null',
      rpm: 'inf',
      current: '20',
    };

    // Act
    const parsed = sensorRecordSpec.fromCsvRow(row);

    // Assess
    expect(parsed).toEqual({
      sensorId: 'sensor-002',
      timestamp: '2024-03-01T00:00:00Z',
      temperature: 55.5,
      vibration: null,
      pressure: null,
      rpm: 'inf',
      current: 20,
    });
    expect(reasonFor(parsed)).toBe('rpm must be a finite number, got "inf"');
  });
});
