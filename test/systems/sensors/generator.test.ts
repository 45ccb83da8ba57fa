import { describe, expect, it } from 'vitest';
import {
  defaultSensorGeneratorOptions,
  generateSensorReadings,
  SENSOR_DEFECTS,
  type SensorBehaviour,
  type SensorDefect,
  type SensorGeneratorOptions,
  sensorDayKey,
} from '../../../systems/sensors/records/generator.js';
import { type SensorReading, sensorRecordSpec } from '../../../systems/sensors/records/reading.js';

const ARRIVAL_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;
const START_MS = Date.parse(defaultSensorGeneratorOptions.start);

function generate(overrides: Partial<SensorGeneratorOptions> = {}) {
  return generateSensorReadings({ ...defaultSensorGeneratorOptions, ...overrides });
}

function mean(values: readonly number[]): number {
  expect(values.length).toBeGreaterThan(0);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

describe('generateSensorReadings is deterministic', () => {
  it('produces identical rows and truth for the same seed', () => {
    // Prepare / Act
    const first = generate({ seed: 5, days: 3, sensors: 4 });
    const second = generate({ seed: 5, days: 3, sensors: 4 });

    // Assess
    expect(second.rows).toEqual(first.rows);
    expect([...second.truth]).toEqual([...first.truth]);
  });

  it('produces different readings for a different seed', () => {
    // Prepare / Act
    const first = generate({ seed: 5, days: 2, sensors: 2, malformedRate: 0 });
    const second = generate({ seed: 6, days: 2, sensors: 2, malformedRate: 0 });

    // Assess
    const temps = (rows: { data: unknown }[]) => rows.map((r) => (r.data as SensorReading).temperature);
    expect(temps(second.rows)).not.toEqual(temps(first.rows));
  });
});

describe('generateSensorReadings shape and truth', () => {
  it('emits one reading per sensor and slot when nothing is missing, in time order', () => {
    // Prepare / Act
    const { rows, sensorIds } = generate({
      days: 2,
      sensors: 3,
      readingsPerHour: 4,
      missingRate: 0,
      outageRate: 0,
      malformedRate: 0,
    });

    // Assess
    expect(sensorIds).toEqual(['sensor-001', 'sensor-002', 'sensor-003']);
    expect(rows).toHaveLength(2 * 24 * 4 * 3);
    const times = rows.map((r) => Date.parse((r.data as SensorReading).timestamp));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] ?? 0);
    expect((rows[3] as { data: SensorReading }).data.timestamp).toBe('2024-03-01T00:15:00.000Z');
  });

  it('gives every sensor one behaviour per day and every behaviour appears', () => {
    // Prepare / Act
    const { truth } = generate({ days: 30, sensors: 10 });

    // Assess
    expect(truth.size).toBe(300);
    expect(truth.get('sensor-010|2024-03-30')).toBeDefined();
    expect(new Set(truth.values())).toEqual(new Set(['normal', 'degrading', 'faulty', 'idle']));
  });

  it('follows the behaviour mix: a zero weight excludes a behaviour', () => {
    // Prepare / Act
    const { truth } = generate({
      days: 20,
      sensors: 5,
      behaviourMix: { normal: 1, degrading: 0, faulty: 0, idle: 1 },
    });

    // Assess
    expect(new Set(truth.values())).toEqual(new Set(['normal', 'idle']));
  });

  it('rejects bad options with a reason', () => {
    // Prepare / Act / Assess
    expect(() => generate({ start: '2024-03-01T05:00:00Z' })).toThrow('must be midnight UTC');
    expect(() => generate({ readingsPerHour: 7 })).toThrow('readingsPerHour must divide 60');
    expect(() => generate({ sensors: 0 })).toThrow('sensors must be a whole number >= 1');
    expect(() => generate({ malformedRate: 1 })).toThrow('malformedRate must be in [0, 1)');
    expect(() => generate({ behaviourMix: { normal: 0, degrading: 0, faulty: 0, idle: 0 } })).toThrow(
      'behaviourMix needs',
    );
  });
});

describe('generateSensorReadings behaviours are distinguishable', () => {
  const generation = generate({ days: 30, sensors: 10, malformedRate: 0 });
  const byBehaviour = new Map<SensorBehaviour, SensorReading[]>();
  const bySensorDay = new Map<string, SensorReading[]>();
  for (const row of generation.rows) {
    const reading = row.data as SensorReading;
    const key = sensorDayKey(reading.sensorId, reading.timestamp);
    const behaviour = generation.truth.get(key);
    if (!behaviour) throw new Error('reading without truth');
    const group = byBehaviour.get(behaviour) ?? [];
    group.push(reading);
    byBehaviour.set(behaviour, group);
    const day = bySensorDay.get(key) ?? [];
    day.push(reading);
    bySensorDay.set(key, day);
  }
  const channel = (behaviour: SensorBehaviour, name: 'temperature' | 'vibration' | 'rpm' | 'current') =>
    (byBehaviour.get(behaviour) ?? []).map((r) => r[name]).filter((v): v is number => v !== null);

  it('faulty vibration is far above normal, and much more erratic', () => {
    // Prepare / Act
    const normal = channel('normal', 'vibration');
    const faulty = channel('faulty', 'vibration');
    const spread = (values: number[]) => {
      const centre = mean(values);
      return Math.sqrt(mean(values.map((v) => (v - centre) ** 2)));
    };

    // Assess
    expect(mean(faulty) / mean(normal)).toBeGreaterThan(4);
    expect(spread(faulty) / spread(normal)).toBeGreaterThan(10);
  });

  it('idle machines barely turn: near-zero rpm, vibration and current', () => {
    // Prepare / Act / Assess
    expect(mean(channel('idle', 'rpm'))).toBeLessThan(20);
    expect(mean(channel('idle', 'vibration'))).toBeLessThan(0.3);
    expect(mean(channel('idle', 'current'))).toBeLessThan(1);
    expect(mean(channel('normal', 'rpm'))).toBeGreaterThan(1300);
  });

  it('normal machines follow a daily cycle: warmer mid-afternoon than at night', () => {
    // Prepare
    const normal = byBehaviour.get('normal') ?? [];
    const at = (hours: number[]) =>
      normal
        .filter((r) => hours.includes(new Date(r.timestamp).getUTCHours()) && r.temperature !== null)
        .map((r) => r.temperature as number);

    // Act / Assess
    expect(mean(at([14, 15, 16])) - mean(at([2, 3, 4]))).toBeGreaterThan(8);
  });

  it('degrading sensors drift over the days of a run: later days run hotter and shake more', () => {
    // Prepare: first and last day of every degrading run of at least 3 days
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const sensorId of generation.sensorIds) {
      const days = Array.from({ length: 30 }, (_, d) =>
        generation.truth.get(sensorDayKey(sensorId, START_MS + d * DAY_MS)),
      );
      let d = 0;
      while (d < days.length) {
        if (days[d] !== 'degrading') {
          d++;
          continue;
        }
        let end = d;
        while (end + 1 < days.length && days[end + 1] === 'degrading') end++;
        if (end - d >= 2) {
          const vibrationOn = (day: number) =>
            mean(
              (bySensorDay.get(sensorDayKey(sensorId, START_MS + day * DAY_MS)) ?? [])
                .map((r) => r.vibration)
                .filter((v): v is number => v !== null),
            );
          firsts.push(vibrationOn(d));
          lasts.push(vibrationOn(end));
        }
        d = end + 1;
      }
    }

    // Act / Assess
    expect(firsts.length).toBeGreaterThan(2);
    for (let i = 0; i < firsts.length; i++) expect(lasts[i]).toBeGreaterThan((firsts[i] ?? 0) + 1.5);
    expect(mean(channel('degrading', 'temperature'))).toBeGreaterThan(
      mean(channel('normal', 'temperature')) + 8,
    );
  });
});

describe('generateSensorReadings gaps and defects', () => {
  const options = { days: 20, sensors: 10, missingRate: 0.02, outageRate: 0.1, malformedRate: 0.02 };
  const { rows } = generate(options);
  const slots = options.days * 24 * defaultSensorGeneratorOptions.readingsPerHour * options.sensors;

  it('leaves gaps: single missing readings plus multi-hour outages', () => {
    // Prepare / Act
    const missingShare = (slots - rows.length) / slots;

    // Assess: 2% random + 10% of days × ~4 h / 24 h ≈ 1.7%
    expect(missingShare).toBeGreaterThan(0.025);
    expect(missingShare).toBeLessThan(0.06);
  });

  it('has null channels now and then, but never a reading with none', () => {
    // Prepare / Act
    const clean = rows.filter((r) => r.defect === undefined).map((r) => r.data as SensorReading);

    // Assess
    expect(clean.some((r) => r.vibration === null)).toBe(true);
    expect(
      clean.some(
        (r) =>
          r.temperature === null &&
          r.vibration === null &&
          r.pressure === null &&
          r.rpm === null &&
          r.current === null,
      ),
    ).toBe(false);
  });

  it('makes every malformed row fail validation for the reason its defect names, and every other row pass', () => {
    // Prepare
    const expectedReason: Record<SensorDefect, RegExp> = {
      'negative-vibration': /^vibration must be in \[0, 100\] mm\/s/,
      'negative-pressure': /^pressure must be in \[0, 100\] bar/,
      'nan-temperature': /^temperature must be a finite number, got "NaN"/,
      'string-rpm': /^rpm must be a number or null/,
      'bad-timestamp': /^timestamp ".*" is not ISO-8601 with a zone/,
      'missing-field': /^missing field\(s\): sensorId/,
    };

    // Act
    const verdicts = rows.map((row) => ({ row, result: sensorRecordSpec.validate(row.data, ARRIVAL_MS) }));

    // Assess
    const malformed = verdicts.filter((v) => v.row.defect !== undefined);
    expect(new Set(malformed.map((v) => v.row.defect))).toEqual(new Set(SENSOR_DEFECTS));
    expect(malformed.length / rows.length).toBeGreaterThan(0.015);
    expect(malformed.length / rows.length).toBeLessThan(0.025);
    for (const { row, result } of verdicts) {
      if (row.defect === undefined) {
        expect(result.ok).toBe(true);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(expectedReason[row.defect]);
      }
    }
  });
});
