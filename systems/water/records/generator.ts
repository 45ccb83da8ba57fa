import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import type { WaterReading } from './reading.js';

/**
 * Deterministic synthetic hourly water consumption, standing in for the original system's
 * `stream_dataset.csv`: daily and weekly seasonality, a slow trend, holidays, temperature as an
 * exogenous column, noise, missing hours and a few malformed readings.
 */
export interface WaterGeneratorOptions {
  seed: number;
  /** First hour, ISO-8601 UTC. */
  start: string;
  /** Number of hours per meter. */
  hours: number;
  zones: number;
  metersPerZone: number;
  /** Share of meter-hours that are simply absent (a meter that did not report). */
  missingRate: number;
  /** Share of emitted readings that are deliberately malformed. */
  malformedRate: number;
}

export const defaultWaterGeneratorOptions: WaterGeneratorOptions = {
  seed: 42,
  start: '2024-01-01T00:00:00Z',
  hours: 90 * 24,
  zones: 2,
  metersPerZone: 2,
  missingRate: 0.003,
  malformedRate: 0.002,
};

/** A generated row: the data as it would arrive, and for malformed rows what is wrong with it. */
export interface GeneratedRow {
  data: unknown;
  defect?: WaterDefect;
}

export type WaterDefect =
  | 'negative-consumption'
  | 'nan-consumption'
  | 'bad-timestamp'
  | 'missing-field'
  | 'string-temperature';

const DEFECTS: readonly WaterDefect[] = [
  'negative-consumption',
  'nan-consumption',
  'bad-timestamp',
  'missing-field',
  'string-temperature',
];

/** Fixed-date public holidays (month, day), the same every year. */
const HOLIDAYS = new Set(['01-01', '05-01', '07-14', '08-15', '11-01', '11-11', '12-25', '12-26']);

/** Relative consumption by hour of day: low at night, peaks at breakfast and dinner. */
const DAILY_PROFILE = [
  0.35, 0.28, 0.25, 0.25, 0.3, 0.5, 0.95, 1.45, 1.4, 1.1, 0.95, 0.95, 1.05, 1.0, 0.9, 0.85, 0.95, 1.15, 1.4,
  1.5, 1.35, 1.1, 0.8, 0.5,
];

const HOUR_MS = 3_600_000;

export function isHoliday(date: Date): boolean {
  const monthDay = `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
  return HOLIDAYS.has(monthDay);
}

function validateOptions(options: WaterGeneratorOptions): void {
  const startMs = Date.parse(options.start);
  if (Number.isNaN(startMs)) throw new Error(`start "${options.start}" is not an ISO-8601 date`);
  for (const key of ['hours', 'zones', 'metersPerZone'] as const) {
    if (!(Number.isInteger(options[key]) && options[key] >= 1))
      throw new Error(`${key} must be a whole number >= 1, got ${options[key]}`);
  }
  for (const key of ['missingRate', 'malformedRate'] as const) {
    if (!(options[key] >= 0 && options[key] < 1))
      throw new Error(`${key} must be in [0, 1), got ${options[key]}`);
  }
}

/** Rows in time order (hour by hour, meters in a fixed order within the hour). */
export function generateWaterReadings(
  options: WaterGeneratorOptions = defaultWaterGeneratorOptions,
): GeneratedRow[] {
  validateOptions(options);
  const random = seededRandom(options.seed);
  const startMs = Date.parse(options.start);
  const meters = Array.from({ length: options.zones * options.metersPerZone }, (_, i) => {
    const zoneIndex = Math.floor(i / options.metersPerZone);
    return {
      meterId: `zone-${String.fromCharCode(97 + (zoneIndex % 26))}${zoneIndex >= 26 ? zoneIndex : ''}-meter-${String((i % options.metersPerZone) + 1).padStart(2, '0')}`,
      zone: `zone-${String.fromCharCode(97 + (zoneIndex % 26))}${zoneIndex >= 26 ? zoneIndex : ''}`,
      base: 0.8 + random() * 2.2,
      zoneIndex,
    };
  });
  const zoneWarmth = Array.from({ length: options.zones }, () => gaussian(random) * 1.5);

  const rows: GeneratedRow[] = [];
  for (let hour = 0; hour < options.hours; hour++) {
    const timeMs = startMs + hour * HOUR_MS;
    const date = new Date(timeMs);
    const hourOfDay = date.getUTCHours();
    const dayOfYear = Math.floor((timeMs - Date.UTC(date.getUTCFullYear(), 0, 1)) / (24 * HOUR_MS));
    const holiday = isHoliday(date);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    // Seasons peak in mid-July; the day is warmest mid-afternoon.
    const seasonal = 12 + 10 * Math.sin((2 * Math.PI * (dayOfYear - 105)) / 365);
    const diurnal = 4 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
    const trend = 1 + 0.05 * (hour / 8760);

    for (const meter of meters) {
      if (random() < options.missingRate) continue;
      const temperature = seasonal + diurnal + (zoneWarmth[meter.zoneIndex] ?? 0) + gaussian(random) * 1.2;
      const restDay = holiday || weekend;
      // Rest days shift the morning peak later and raise midday use.
      const profile = restDay
        ? (DAILY_PROFILE[(hourOfDay + 23) % 24] ?? 1) * 1.08
        : (DAILY_PROFILE[hourOfDay] ?? 1);
      const heat = 1 + 0.02 * Math.max(0, temperature - 20);
      const noise = Math.exp(gaussian(random) * 0.08);
      const consumption = Math.round(meter.base * profile * heat * trend * noise * 1000) / 1000;
      const reading: WaterReading = {
        meterId: meter.meterId,
        zone: meter.zone,
        timestamp: date.toISOString(),
        consumption,
        // A weather feed gap now and then: null is valid, the model imputes it.
        temperature: random() < 0.002 ? null : Math.round(temperature * 10) / 10,
        holiday,
      };
      if (random() < options.malformedRate) {
        const defect = DEFECTS[Math.floor(random() * DEFECTS.length)] ?? 'missing-field';
        rows.push({ data: corrupt(reading, defect), defect });
      } else {
        rows.push({ data: reading });
      }
    }
  }
  return rows;
}

function corrupt(reading: WaterReading, defect: WaterDefect): unknown {
  switch (defect) {
    case 'negative-consumption':
      return { ...reading, consumption: -reading.consumption - 0.1 };
    case 'nan-consumption':
      return { ...reading, consumption: 'NaN' };
    case 'bad-timestamp':
      return { ...reading, timestamp: reading.timestamp.replace('T', ' ').slice(0, 16) };
    case 'missing-field': {
      const { zone: _zone, ...rest } = reading;
      return rest;
    }
    case 'string-temperature':
      return { ...reading, temperature: `${reading.temperature}°C` };
  }
}
