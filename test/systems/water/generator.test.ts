import { describe, expect, it } from 'vitest';
import { splitInitialShare } from '../../../core/streaming/replay.js';
import {
  defaultWaterGeneratorOptions,
  type GeneratedRow,
  generateWaterReadings,
  isHoliday,
  type WaterGeneratorOptions,
} from '../../../systems/water/records/generator.js';
import { type WaterReading, waterRecordSpec } from '../../../systems/water/records/reading.js';

const HOUR_MS = 3_600_000;
/** Judges generated 2024 readings as if they reached the stream on 2025-01-01. */
const ARRIVAL_MS = Date.UTC(2025, 0, 1);

function generate(overrides: Partial<WaterGeneratorOptions> = {}): GeneratedRow[] {
  return generateWaterReadings({ ...defaultWaterGeneratorOptions, ...overrides });
}

/** Clean readings only (no malformed rows asked for). */
function readings(overrides: Partial<WaterGeneratorOptions> = {}): WaterReading[] {
  return generate({ malformedRate: 0, ...overrides }).map((row) => row.data as WaterReading);
}

function mean(values: readonly number[]): number {
  expect(values.length).toBeGreaterThan(0);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

const hourOf = (r: WaterReading): number => new Date(r.timestamp).getUTCHours();
const dayOf = (r: WaterReading): number => new Date(r.timestamp).getUTCDay();

describe('generateWaterReadings is deterministic', () => {
  it('produces identical rows for the same seed', () => {
    // Prepare / Act
    const first = generate({ seed: 7, hours: 24 * 14 });
    const second = generate({ seed: 7, hours: 24 * 14 });

    // Assess
    expect(second).toEqual(first);
  });

  it('produces different rows for a different seed', () => {
    // Prepare / Act
    const first = readings({ seed: 7, hours: 48 });
    const second = readings({ seed: 8, hours: 48 });

    // Assess
    const consumption = (rows: WaterReading[]) => rows.map((r) => r.consumption);
    expect(consumption(second)).not.toEqual(consumption(first));
  });
});

describe('generateWaterReadings shape', () => {
  it('emits one row per meter and hour, in time order, when nothing is missing', () => {
    // Prepare / Act
    const rows = readings({ hours: 72, zones: 2, metersPerZone: 3, missingRate: 0 });

    // Assess
    expect(rows).toHaveLength(72 * 6);
    const meters = [...new Set(rows.map((r) => r.meterId))];
    expect(meters).toEqual([
      'zone-a-meter-01',
      'zone-a-meter-02',
      'zone-a-meter-03',
      'zone-b-meter-01',
      'zone-b-meter-02',
      'zone-b-meter-03',
    ]);
    const start = Date.parse(defaultWaterGeneratorOptions.start);
    for (const meterId of meters) {
      const times = rows.filter((r) => r.meterId === meterId).map((r) => Date.parse(r.timestamp));
      expect(times).toEqual(Array.from({ length: 72 }, (_, h) => start + h * HOUR_MS));
    }
    expect(rows.every((r) => r.zone === r.meterId.slice(0, 6))).toBe(true);
  });

  it('keeps each meter in strictly increasing hourly order when hours are missing', () => {
    // Prepare / Act
    const rows = readings({ hours: 24 * 30, missingRate: 0.1 });

    // Assess
    const all = rows.map((r) => Date.parse(r.timestamp));
    for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThanOrEqual(all[i - 1] ?? 0);
    for (const meterId of new Set(rows.map((r) => r.meterId))) {
      const times = rows.filter((r) => r.meterId === meterId).map((r) => Date.parse(r.timestamp));
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        expect(gap).toBeGreaterThan(0);
        expect(gap % HOUR_MS).toBe(0);
      }
    }
  });

  it('gives distinct meter ids beyond 26 zones', () => {
    // Prepare / Act
    const rows = readings({ hours: 1, zones: 30, metersPerZone: 2, missingRate: 0 });

    // Assess
    expect(new Set(rows.map((r) => r.meterId)).size).toBe(60);
    expect(new Set(rows.map((r) => r.zone)).size).toBe(30);
  });
});

describe('generateWaterReadings realism', () => {
  it('has a daily cycle: mean use at 07-08 h far above 02-04 h', () => {
    // Prepare
    const rows = readings();

    // Act
    const morning = mean(rows.filter((r) => [7, 8].includes(hourOf(r))).map((r) => r.consumption));
    const night = mean(rows.filter((r) => [2, 3, 4].includes(hourOf(r))).map((r) => r.consumption));

    // Assess
    expect(morning / night).toBeGreaterThan(3);
  });

  it('has a weekly cycle: the 07 h peak is lower on weekends', () => {
    // Prepare
    const at7 = readings().filter((r) => hourOf(r) === 7 && !r.holiday);

    // Act
    const weekday = mean(at7.filter((r) => dayOf(r) >= 1 && dayOf(r) <= 5).map((r) => r.consumption));
    const weekend = mean(at7.filter((r) => dayOf(r) === 0 || dayOf(r) === 6).map((r) => r.consumption));

    // Assess
    expect(weekend / weekday).toBeLessThan(0.85);
  });

  it('marks holidays and makes a holiday Monday look like a weekend', () => {
    // Prepare: 2024-01-01 is a Monday and a public holiday
    const rows = readings();
    const mondaysAt7 = rows.filter((r) => dayOf(r) === 1 && hourOf(r) === 7);

    // Act
    const holiday = mondaysAt7.filter((r) => r.timestamp.startsWith('2024-01-01'));
    const others = mondaysAt7.filter((r) => !r.timestamp.startsWith('2024-01-01'));

    // Assess
    expect(rows.filter((r) => r.timestamp.startsWith('2024-01-01')).every((r) => r.holiday)).toBe(true);
    expect(rows.filter((r) => r.timestamp.startsWith('2024-01-02')).some((r) => r.holiday)).toBe(false);
    expect(holiday.length).toBeGreaterThan(0);
    for (const reading of holiday) {
      const usual = mean(others.filter((r) => r.meterId === reading.meterId).map((r) => r.consumption));
      expect(reading.consumption / usual).toBeLessThan(0.85);
    }
  });

  it('makes temperature follow the seasons: July far warmer than January', () => {
    // Prepare
    const rows = readings({ hours: 366 * 24, zones: 1, metersPerZone: 1 });
    const temperatures = (month: number) =>
      rows
        .filter((r) => new Date(r.timestamp).getUTCMonth() === month && r.temperature !== null)
        .map((r) => r.temperature as number);

    // Act
    const january = mean(temperatures(0));
    const july = mean(temperatures(6));

    // Assess
    expect(july - january).toBeGreaterThan(12);
  });
});

describe('generateWaterReadings gaps and defects', () => {
  const options = { hours: 24 * 60, zones: 2, metersPerZone: 5, missingRate: 0.05, malformedRate: 0.04 };
  const rows = generate(options);
  const meterHours = options.hours * options.zones * options.metersPerZone;

  it('leaves out about missingRate of the meter-hours', () => {
    // Prepare / Act
    const missingShare = (meterHours - rows.length) / meterHours;

    // Assess
    expect(missingShare).toBeGreaterThan(0.04);
    expect(missingShare).toBeLessThan(0.06);
  });

  it('corrupts about malformedRate of the emitted rows, with every kind of defect', () => {
    // Prepare / Act
    const malformed = rows.filter((row) => row.defect !== undefined);

    // Assess
    expect(malformed.length / rows.length).toBeGreaterThan(0.032);
    expect(malformed.length / rows.length).toBeLessThan(0.048);
    expect(new Set(malformed.map((row) => row.defect))).toEqual(
      new Set([
        'negative-consumption',
        'nan-consumption',
        'bad-timestamp',
        'missing-field',
        'string-temperature',
      ]),
    );
  });

  it('makes every malformed row fail validation, for the reason its defect names', () => {
    // Prepare
    const expectedReason = {
      'negative-consumption': /^consumption must be >= 0/,
      'nan-consumption': /^consumption must be a finite number, got "NaN"$/,
      'bad-timestamp': /^timestamp ".*" is not ISO-8601 with a zone/,
      'missing-field': /^missing field\(s\): zone$/,
      'string-temperature': /^temperature must be a number or null, got the string ".*°C"$/,
    };

    // Act
    const verdicts = rows
      .filter((row) => row.defect !== undefined)
      .map((row) => ({ defect: row.defect, verdict: waterRecordSpec.validate(row.data, ARRIVAL_MS) }));

    // Assess
    expect(verdicts.length).toBeGreaterThan(0);
    for (const { defect, verdict } of verdicts) {
      expect(verdict.ok).toBe(false);
      if (!verdict.ok && defect) expect(verdict.reason).toMatch(expectedReason[defect]);
    }
  });

  it('makes every other row pass validation unchanged', () => {
    // Prepare / Act
    const verdicts = rows
      .filter((row) => row.defect === undefined)
      .map((row) => ({ row, verdict: waterRecordSpec.validate(row.data, ARRIVAL_MS) }));

    // Assess
    expect(verdicts.length).toBeGreaterThan(0);
    for (const { row, verdict } of verdicts) expect(verdict).toEqual({ ok: true, value: row.data });
  });
});

describe('generator helpers and options', () => {
  it('isHoliday knows the fixed-date holidays, in UTC', () => {
    // Prepare / Act / Assess
    expect(isHoliday(new Date('2024-12-25T10:00:00Z'))).toBe(true);
    expect(isHoliday(new Date('2025-05-01T00:00:00Z'))).toBe(true);
    expect(isHoliday(new Date('2024-12-24T10:00:00Z'))).toBe(false);
    expect(isHoliday(new Date('2024-12-24T23:30:00-02:00'))).toBe(true);
  });

  it('splitInitialShare 0.2 keeps the first 20% for training and streams the rest', () => {
    // Prepare
    const rows = Array.from({ length: 10 }, (_, i) => i);

    // Act
    const { initial, stream } = splitInitialShare(rows, 0.2);

    // Assess
    expect(initial).toEqual([0, 1]);
    expect(stream).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('splitInitialShare 0 streams everything', () => {
    // Prepare / Act / Assess
    expect(splitInitialShare([1, 2, 3], 0)).toEqual({ initial: [], stream: [1, 2, 3] });
  });

  it.each([1, -0.1, Number.NaN])('splitInitialShare rejects a share of %s', (share) => {
    // Prepare / Act / Assess
    expect(() => splitInitialShare([1, 2, 3], share)).toThrow(`initialShare must be in [0, 1), got ${share}`);
  });

  it.each([
    [{ hours: 0 }, 'hours must be a whole number >= 1, got 0'],
    [{ zones: 2.5 }, 'zones must be a whole number >= 1, got 2.5'],
    [{ metersPerZone: -1 }, 'metersPerZone must be a whole number >= 1, got -1'],
    [{ missingRate: 1 }, 'missingRate must be in [0, 1), got 1'],
    [{ malformedRate: -0.1 }, 'malformedRate must be in [0, 1), got -0.1'],
    [{ malformedRate: Number.NaN }, 'malformedRate must be in [0, 1), got NaN'],
    [{ start: 'soon' }, 'start "soon" is not an ISO-8601 date'],
  ] as [Partial<WaterGeneratorOptions>, string][])('rejects the options %o', (overrides, message) => {
    // Prepare / Act / Assess
    expect(() => generate(overrides)).toThrow(message);
  });
});
