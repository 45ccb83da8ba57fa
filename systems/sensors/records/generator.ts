import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import { SENSOR_RANGES, type SensorChannel, type SensorReading } from './reading.js';

/**
 * Deterministic synthetic machine-sensor readings for the clustering pipeline. Every sensor has
 * exactly one behaviour per UTC day, so a clustering of sensor-days can be scored against the
 * truth the generator returns:
 *
 * - `normal`: a daily load cycle (warmer, faster, more current by day), low steady vibration.
 * - `degrading`: runs of several days over which temperature, vibration and current climb and
 *   pressure sags; the drift continues from one day of the run to the next.
 * - `faulty`: high, erratic vibration with spikes, unstable pressure, speed and current.
 * - `idle`: the machine is stopped: near-zero speed, vibration and current, ambient temperature.
 *
 * Gaps: single missing readings, multi-hour outages, and channels that are null now and then.
 * A small share of readings is deliberately malformed; each carries its defect kind.
 */
export type SensorBehaviour = 'normal' | 'degrading' | 'faulty' | 'idle';
export const SENSOR_BEHAVIOURS: readonly SensorBehaviour[] = ['normal', 'degrading', 'faulty', 'idle'];

export interface SensorGeneratorOptions {
  seed: number;
  /** First reading, ISO-8601 UTC at midnight (sensor-days are UTC calendar days). */
  start: string;
  /** Number of days per sensor. */
  days: number;
  /** Number of sensors, named `sensor-001`, `sensor-002`, ... */
  sensors: number;
  /** Readings per hour per sensor; must divide 60 (6 = every 10 minutes). */
  readingsPerHour: number;
  /** Relative share of sensor-days per behaviour (normalised; zero excludes a behaviour). */
  behaviourMix: Readonly<Record<SensorBehaviour, number>>;
  /** Share of readings simply absent (a sensor that did not report). */
  missingRate: number;
  /** Chance per sensor-day of an outage: 2-6 consecutive hours without readings. */
  outageRate: number;
  /** Chance per reading and channel that the channel is null. */
  channelDropoutRate: number;
  /** Share of emitted readings that are deliberately malformed. */
  malformedRate: number;
}

export const defaultSensorGeneratorOptions: SensorGeneratorOptions = {
  seed: 42,
  start: '2024-03-01T00:00:00Z',
  days: 14,
  sensors: 12,
  readingsPerHour: 6,
  behaviourMix: { normal: 0.5, degrading: 0.2, faulty: 0.12, idle: 0.18 },
  missingRate: 0.01,
  outageRate: 0.05,
  channelDropoutRate: 0.005,
  malformedRate: 0.002,
};

/** A generated row: the data as it would arrive, and for malformed rows what is wrong with it. */
export interface SensorGeneratedRow {
  data: unknown;
  defect?: SensorDefect;
}

export type SensorDefect =
  | 'negative-vibration'
  | 'negative-pressure'
  | 'nan-temperature'
  | 'string-rpm'
  | 'bad-timestamp'
  | 'missing-field';

export const SENSOR_DEFECTS: readonly SensorDefect[] = [
  'negative-vibration',
  'negative-pressure',
  'nan-temperature',
  'string-rpm',
  'bad-timestamp',
  'missing-field',
];

export interface SensorGeneration {
  /** Rows in time order (slot by slot, sensors in a fixed order within a slot). */
  rows: SensorGeneratedRow[];
  /** True behaviour of every sensor-day, keyed by {@link sensorDayKey}. */
  truth: Map<string, SensorBehaviour>;
  /** Sensor ids in order. */
  sensorIds: string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Episode length in days (inclusive range) per behaviour: degradation lasts, faults are short. */
const EPISODE_DAYS: Readonly<Record<SensorBehaviour, readonly [number, number]>> = {
  normal: [2, 5],
  degrading: [3, 6],
  faulty: [1, 2],
  idle: [1, 3],
};

/** `sensorId|YYYY-MM-DD` (UTC day of the timestamp): the key of {@link SensorGeneration.truth}. */
export function sensorDayKey(sensorId: string, timestamp: string | number): string {
  const ms = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  return `${sensorId}|${new Date(ms).toISOString().slice(0, 10)}`;
}

function validateOptions(options: SensorGeneratorOptions): void {
  const startMs = Date.parse(options.start);
  if (Number.isNaN(startMs)) throw new Error(`start "${options.start}" is not an ISO-8601 date`);
  if (startMs % DAY_MS !== 0) throw new Error(`start "${options.start}" must be midnight UTC`);
  for (const key of ['days', 'sensors', 'readingsPerHour'] as const) {
    if (!(Number.isInteger(options[key]) && options[key] >= 1))
      throw new Error(`${key} must be a whole number >= 1, got ${options[key]}`);
  }
  if (60 % options.readingsPerHour !== 0)
    throw new Error(
      `readingsPerHour must divide 60 (1, 2, 3, 4, 5, 6, 10, ...), got ${options.readingsPerHour}`,
    );
  for (const key of ['missingRate', 'outageRate', 'channelDropoutRate', 'malformedRate'] as const) {
    if (!(options[key] >= 0 && options[key] < 1))
      throw new Error(`${key} must be in [0, 1), got ${options[key]}`);
  }
  const weights = SENSOR_BEHAVIOURS.map((b) => options.behaviourMix[b]);
  if (!weights.every((w) => Number.isFinite(w) && w >= 0) || weights.every((w) => w === 0))
    throw new Error(
      `behaviourMix needs non-negative weights, at least one positive, got ${JSON.stringify(options.behaviourMix)}`,
    );
}

interface DayPlan {
  behaviour: SensorBehaviour;
  /** Degradation progress at the start and end of the day, in [0, 1]. */
  progressFrom: number;
  progressTo: number;
  /** Outage slots [from, to) within the day; from === to when there is none. */
  outageFrom: number;
  outageTo: number;
}

function pickBehaviour(
  random: () => number,
  mix: Readonly<Record<SensorBehaviour, number>>,
): SensorBehaviour {
  // Episodes are drawn in proportion to weight / mean length, so day shares follow the mix.
  const rates = SENSOR_BEHAVIOURS.map((b) => {
    const [lo, hi] = EPISODE_DAYS[b];
    return mix[b] / ((lo + hi) / 2);
  });
  const total = rates.reduce((a, b) => a + b, 0);
  let draw = random() * total;
  for (let i = 0; i < rates.length; i++) {
    draw -= rates[i] ?? 0;
    if (draw < 0 && (rates[i] ?? 0) > 0) return SENSOR_BEHAVIOURS[i] ?? 'normal';
  }
  // Rounding at the top end: the last behaviour with a positive weight.
  for (let i = rates.length - 1; i >= 0; i--)
    if ((rates[i] ?? 0) > 0) return SENSOR_BEHAVIOURS[i] ?? 'normal';
  return 'normal';
}

function planDays(random: () => number, options: SensorGeneratorOptions, slotsPerDay: number): DayPlan[] {
  const plan: DayPlan[] = [];
  while (plan.length < options.days) {
    const behaviour = pickBehaviour(random, options.behaviourMix);
    const [lo, hi] = EPISODE_DAYS[behaviour];
    const length = lo + Math.floor(random() * (hi - lo + 1));
    for (let d = 0; d < length && plan.length < options.days; d++) {
      plan.push({
        behaviour,
        progressFrom: d / length,
        progressTo: (d + 1) / length,
        outageFrom: 0,
        outageTo: 0,
      });
    }
  }
  for (const day of plan) {
    if (random() < options.outageRate) {
      const slotsPerHour = slotsPerDay / 24;
      const length = Math.round((2 + random() * 4) * slotsPerHour);
      day.outageFrom = Math.floor(random() * (slotsPerDay - length));
      day.outageTo = day.outageFrom + length;
    }
  }
  return plan;
}

interface SensorProfile {
  sensorId: string;
  /** Individual offsets: sensors are not identical machines. */
  temperatureOffset: number;
  pressureOffset: number;
  rpmNominal: number;
  days: DayPlan[];
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

function clampTo(channel: SensorChannel, value: number): number {
  const { min, max } = SENSOR_RANGES[channel];
  return Math.min(max, Math.max(min, value));
}

/** The five channels of one reading, before rounding, dropouts and defects. */
function measure(
  random: () => number,
  sensor: SensorProfile,
  day: DayPlan,
  hourOfDay: number,
  dayFraction: number,
): Record<SensorChannel, number> {
  const noise = () => gaussian(random);
  // Daily load cycle: highest mid-afternoon.
  const cycle = Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
  const temperatureBase = 55 + sensor.temperatureOffset;
  const pressureBase = 6 + sensor.pressureOffset;
  switch (day.behaviour) {
    case 'normal':
      return {
        temperature: temperatureBase + 6 * cycle + noise() * 0.8,
        vibration: 2 + 0.3 * cycle + noise() * 0.15,
        pressure: pressureBase + 0.4 * cycle + noise() * 0.1,
        rpm: sensor.rpmNominal + 60 * cycle + noise() * 10,
        current: 22 + 4 * cycle + noise() * 0.5,
      };
    case 'degrading': {
      const progress = day.progressFrom + (day.progressTo - day.progressFrom) * dayFraction;
      return {
        temperature: temperatureBase + 6 + 18 * progress + 6 * cycle + noise() * 1,
        vibration: 3.2 + 5.5 * progress + 0.4 * cycle + noise() * 0.35,
        pressure: pressureBase - 0.4 - 1.5 * progress + 0.4 * cycle + noise() * 0.15,
        rpm: sensor.rpmNominal - 20 - 70 * progress + 60 * cycle + noise() * 15,
        current: 23.5 + 7 * progress + 4 * cycle + noise() * 0.8,
      };
    }
    case 'faulty': {
      const spike = random() < 0.15 ? 12 + random() * 25 : 0;
      const dropout = random() < 0.08 ? -4 * random() : 0;
      return {
        temperature: temperatureBase + 8 + 6 * cycle + noise() * 5 + spike * 0.4,
        vibration: 8 + Math.abs(noise()) * 3 + spike,
        pressure: pressureBase + noise() * 1.2 + dropout,
        rpm: sensor.rpmNominal + noise() * 120,
        current: 24 + 4 * cycle + noise() * 5,
      };
    }
    case 'idle':
      return {
        temperature: 18 + 3 * cycle + noise() * 0.5,
        vibration: 0.1 + Math.abs(noise()) * 0.05,
        pressure: 1 + noise() * 0.05,
        rpm: Math.abs(noise()) * 8,
        current: 0.4 + Math.abs(noise()) * 0.1,
      };
  }
}

export function generateSensorReadings(
  options: SensorGeneratorOptions = defaultSensorGeneratorOptions,
): SensorGeneration {
  validateOptions(options);
  const random = seededRandom(options.seed);
  const startMs = Date.parse(options.start);
  const slotsPerDay = 24 * options.readingsPerHour;
  const slotMs = HOUR_MS / options.readingsPerHour;

  const sensors: SensorProfile[] = Array.from({ length: options.sensors }, (_, i) => ({
    sensorId: `sensor-${String(i + 1).padStart(3, '0')}`,
    temperatureOffset: gaussian(random) * 2,
    pressureOffset: gaussian(random) * 0.2,
    rpmNominal: 1450 + Math.round(gaussian(random) * 20),
    days: [],
  }));
  for (const sensor of sensors) sensor.days = planDays(random, options, slotsPerDay);

  const truth = new Map<string, SensorBehaviour>();
  for (const sensor of sensors) {
    sensor.days.forEach((day, d) => {
      truth.set(sensorDayKey(sensor.sensorId, startMs + d * DAY_MS), day.behaviour);
    });
  }

  const rows: SensorGeneratedRow[] = [];
  for (let day = 0; day < options.days; day++) {
    for (let slot = 0; slot < slotsPerDay; slot++) {
      const timeMs = startMs + day * DAY_MS + slot * slotMs;
      const hourOfDay = (slot * slotMs) / HOUR_MS;
      const timestamp = new Date(timeMs).toISOString();
      for (const sensor of sensors) {
        const plan = sensor.days[day];
        if (!plan) continue;
        if (slot >= plan.outageFrom && slot < plan.outageTo) continue;
        if (random() < options.missingRate) continue;
        const raw = measure(random, sensor, plan, hourOfDay, slot / slotsPerDay);
        const dropped = (): boolean => random() < options.channelDropoutRate;
        const reading: SensorReading = {
          sensorId: sensor.sensorId,
          timestamp,
          temperature: dropped() ? null : round(clampTo('temperature', raw.temperature), 1),
          vibration: dropped() ? null : round(clampTo('vibration', raw.vibration), 2),
          pressure: dropped() ? null : round(clampTo('pressure', raw.pressure), 2),
          rpm: dropped() ? null : round(clampTo('rpm', raw.rpm), 0),
          current: dropped() ? null : round(clampTo('current', raw.current), 1),
        };
        // A reading with every channel null would be invalid; keep temperature then.
        if (
          reading.vibration === null &&
          reading.pressure === null &&
          reading.rpm === null &&
          reading.current === null &&
          reading.temperature === null
        )
          reading.temperature = round(clampTo('temperature', raw.temperature), 1);
        if (random() < options.malformedRate) {
          const defect = SENSOR_DEFECTS[Math.floor(random() * SENSOR_DEFECTS.length)] ?? 'missing-field';
          rows.push({ data: corrupt(reading, defect), defect });
        } else {
          rows.push({ data: reading });
        }
      }
    }
  }
  return { rows, truth, sensorIds: sensors.map((s) => s.sensorId) };
}

function corrupt(reading: SensorReading, defect: SensorDefect): unknown {
  switch (defect) {
    case 'negative-vibration':
      return { ...reading, vibration: -Math.abs(reading.vibration ?? 1) - 0.5 };
    case 'negative-pressure':
      return { ...reading, pressure: -Math.abs(reading.pressure ?? 1) - 0.5 };
    case 'nan-temperature':
      return { ...reading, temperature: 'NaN' };
    case 'string-rpm':
      return { ...reading, rpm: `${reading.rpm ?? 0} rpm` };
    case 'bad-timestamp':
      return { ...reading, timestamp: reading.timestamp.replace('T', ' ').slice(0, 16) };
    case 'missing-field': {
      const { sensorId: _sensorId, ...rest } = reading;
      return rest;
    }
  }
}
