import { gaussian, seededRandom } from '../../../core/data/seeded-random.js';
import type { OnlineRecord } from './record.js';

/**
 * The online source's data: a conveyor drive motor on a packaging line, read every 2 seconds.
 * Stateless: record N is a pure function of (seed, N), so the source answers any tick at once and
 * a poller that asks for the same tick twice gets the same record.
 *
 * Features (correlated as the physics would have it):
 * - `load_pct` follows a 30-minute production cycle; `current_a` rises with it; `rpm` sags with it
 *   (slip); `motor_temp_c` is ambient plus load heating; `vibration_mm_s` grows with load and
 *   with wear since the last service; `hours_since_service` is a saw-tooth (a service every
 *   2,400 ticks); `ambient_c` follows a 2-hour cycle.
 * - `humidity_pct` and `line_voltage_v` are measured but irrelevant: a model should learn to
 *   ignore them, and the variable analysis should find them uninformative.
 *
 * Label `fault` (1 = a fault alarm follows): a noisy logistic function of some features.
 * Target `power_kw`: a non-linear function of others (load², a cooling hinge on ambient, slip).
 * Which functions apply is the concept of the tick, and the concept drifts at known ticks
 * ({@link conceptDrifts}), so the learners' drift detection has something real to find.
 */

/** One tick is 2 seconds of source time, like the challenge's endpoint. */
export const TICK_MS = 2_000;
/** Tick 0's time; `GET /` on the source answers the tick of the current wall-clock time since then. */
export const DEFAULT_EPOCH = '2024-01-01T00:00:00Z';
export const DEFAULT_ONLINE_SEED = 13;
/** Share of served records that are deliberately broken (ingest quarantines them, the learner skips them). */
export const DIRTY_RATE = 0.004;

export const ONLINE_FEATURES = [
  'load_pct',
  'current_a',
  'rpm',
  'motor_temp_c',
  'vibration_mm_s',
  'hours_since_service',
  'ambient_c',
  'humidity_pct',
  'line_voltage_v',
] as const;
export type OnlineFeature = (typeof ONLINE_FEATURES)[number];

/** What each concept's label and target depend on; the analysis should find these. */
export const INFORMATIVE = {
  label: ['motor_temp_c', 'vibration_mm_s', 'hours_since_service'],
  target: ['load_pct', 'ambient_c', 'rpm'],
  irrelevant: ['humidity_pct', 'line_voltage_v'],
} as const;

/**
 * - `heat`: faults follow heat and vibration, as on the original motor.
 * - `bearings`: after a cooling upgrade heat no longer causes faults (it even goes with healthy
 *   running), worn bearings do; the motor draws 25 % more power.
 * - `overload`: faults follow overload and wear; a new gearbox changes the power curve.
 */
export type Concept = 'heat' | 'bearings' | 'overload';

export type ConceptDrift =
  | { kind: 'abrupt'; tick: number; from: Concept; to: Concept; says: string }
  | { kind: 'gradual'; startTick: number; endTick: number; from: Concept; to: Concept; says: string }
  | {
      kind: 'periodic';
      startTick: number;
      periodTicks: number;
      concepts: readonly [Concept, Concept];
      says: string;
    };

/** The drifts, in tick order (at 2 s a tick: 3,000 ticks is 100 minutes of live polling). */
export const conceptDrifts: readonly ConceptDrift[] = [
  {
    kind: 'abrupt',
    tick: 3_000,
    from: 'heat',
    to: 'bearings',
    says: 'abrupt at tick 3,000: a cooling upgrade; faults now follow vibration, not heat; power +25 %',
  },
  {
    kind: 'gradual',
    startTick: 6_000,
    endTick: 7_000,
    from: 'bearings',
    to: 'overload',
    says: 'gradual from tick 6,000 to 7,000: a new gearbox is phased in; the share of overload-concept records rises linearly from 0 to 1',
  },
  {
    kind: 'periodic',
    startTick: 9_000,
    periodTicks: 2_000,
    concepts: ['heat', 'overload'],
    says: 'periodic from tick 9,000: every 2,000 ticks the line switches product, heat (9,000–10,999), overload (11,000–12,999), heat, …',
  },
];

export interface OnlineGeneratorOptions {
  seed?: number;
  /** Tick 0's time, ISO-8601. @default DEFAULT_EPOCH */
  epoch?: string;
}

/** The concept a tick's label and target follow (a gradual drift draws it per tick, seeded). */
export function conceptAt(tick: number, seed = DEFAULT_ONLINE_SEED): Concept {
  const [abrupt, gradual, periodic] = conceptDrifts as [
    Extract<ConceptDrift, { kind: 'abrupt' }>,
    Extract<ConceptDrift, { kind: 'gradual' }>,
    Extract<ConceptDrift, { kind: 'periodic' }>,
  ];
  if (tick < abrupt.tick) return abrupt.from;
  if (tick < gradual.startTick) return abrupt.to;
  if (tick < gradual.endTick) {
    const share = (tick - gradual.startTick) / (gradual.endTick - gradual.startTick);
    return streamFor(seed, tick, 2)() < share ? gradual.to : gradual.from;
  }
  if (tick < periodic.startTick) return gradual.to;
  const phase = Math.floor((tick - periodic.startTick) / periodic.periodTicks) % 2;
  return periodic.concepts[phase] as Concept;
}

/** Record N, as the source produces it when nothing is broken. */
export function onlineRecordAt(tick: number, options: OnlineGeneratorOptions = {}): OnlineRecord {
  if (!Number.isSafeInteger(tick) || tick < 0)
    throw new Error(`tick must be a whole number >= 0, got ${tick}`);
  const seed = options.seed ?? DEFAULT_ONLINE_SEED;
  const epochMs = Date.parse(options.epoch ?? DEFAULT_EPOCH);
  if (Number.isNaN(epochMs)) throw new Error(`epoch "${options.epoch}" is not an ISO-8601 time`);
  const random = streamFor(seed, tick, 0);
  const noise = () => gaussian(random);
  const cycle = (period: number, phase = 0) => Math.sin((2 * Math.PI * tick) / period + phase);

  const load = clamp(60 + 25 * cycle(900) + 8 * noise(), 5, 100);
  const current = 4 + 0.28 * load + 1.2 * noise();
  const rpm = 1480 - 0.9 * load + 6 * noise();
  const ambient = 24 + 5 * cycle(3_600, 1) + noise();
  const motorTemp = ambient + 0.45 * load + 3 * noise();
  const hours = (500 * (tick % 2_400)) / 2_400;
  const vibration = 1.2 + 0.015 * load + hours / 250 + Math.abs(0.6 * noise());
  // Mostly noise: a slow cycle would line up with ambient or load over short windows by chance.
  const humidity = 45 + 2 * cycle(43_200, 2) + 6 * noise();
  const voltage = 400 + 4 * noise();

  const z = {
    temp: (motorTemp - 51) / 8,
    vibration: (vibration - 3.2) / 0.75,
    hours: (hours - 250) / 145,
    load: (load - 60) / 19,
  };
  const concept = conceptAt(tick, seed);
  const logit =
    concept === 'heat'
      ? 2.2 * z.temp + 1.4 * z.vibration + 0.8 * z.hours - 0.6
      : concept === 'bearings'
        ? -1.6 * z.temp + 2.6 * z.vibration + 0.6 * z.hours - 0.4
        : 2.6 * z.load + 1.2 * z.hours + 0.4 * z.vibration - 0.8;
  const label: 0 | 1 = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;

  const slip = (1480 - rpm) / 10;
  const basePower = 0.5 + 0.0016 * load * load + 0.35 * Math.max(0, ambient - 25) + 0.3 * slip;
  const power =
    concept === 'heat'
      ? basePower
      : concept === 'bearings'
        ? 1.25 * basePower + 0.8
        : 1 +
          (load < 70 ? 0.0024 * load * load : 11.76 + 0.12 * (load - 70)) +
          0.6 * Math.max(0, ambient - 22);
  const target = power + 0.4 * noise();

  return {
    tick,
    time: new Date(epochMs + tick * TICK_MS).toISOString(),
    features: {
      load_pct: round(load, 2),
      current_a: round(current, 2),
      rpm: round(rpm, 1),
      motor_temp_c: round(motorTemp, 2),
      vibration_mm_s: round(vibration, 3),
      hours_since_service: round(hours, 2),
      ambient_c: round(ambient, 2),
      humidity_pct: round(humidity, 1),
      line_voltage_v: round(voltage, 1),
    },
    label,
    target: round(target, 3),
  };
}

/** `count` clean records from `startTick` on (the bench and the tests learn from these). */
export function generateOnlineRecords(options: {
  seed: number;
  count: number;
  startTick?: number;
  epoch?: string;
}): OnlineRecord[] {
  const start = options.startTick ?? 0;
  if (!Number.isSafeInteger(options.count) || options.count < 0)
    throw new Error(`count must be a whole number >= 0, got ${options.count}`);
  const records: OnlineRecord[] = [];
  for (let tick = start; tick < start + options.count; tick++)
    records.push(
      onlineRecordAt(tick, { seed: options.seed, ...(options.epoch ? { epoch: options.epoch } : {}) }),
    );
  return records;
}

export type OnlineDefect = 'null-feature' | 'nan-feature' | 'label-not-binary' | 'missing-target';
export const ONLINE_DEFECTS: readonly OnlineDefect[] = [
  'null-feature',
  'nan-feature',
  'label-not-binary',
  'missing-target',
];

/** Which defect (if any) the served record of a tick carries: about 1 in 250, on a seeded schedule. */
export function defectAt(tick: number, seed = DEFAULT_ONLINE_SEED): OnlineDefect | undefined {
  const random = streamFor(seed, tick, 1);
  if (random() >= DIRTY_RATE) return undefined;
  return ONLINE_DEFECTS[Math.floor(random() * ONLINE_DEFECTS.length)];
}

/**
 * Record N as the source serves it: clean, or broken the way real feeds break (a sensor sends
 * null or "NaN", a label out of range, a missing field). Served as plain JSON data.
 */
export function servedRecordAt(
  tick: number,
  options: OnlineGeneratorOptions = {},
): { data: Record<string, unknown>; defect?: OnlineDefect } {
  const record = onlineRecordAt(tick, options);
  const defect = defectAt(tick, options.seed);
  const data: Record<string, unknown> = { ...record, features: { ...record.features } };
  const features = data.features as Record<string, unknown>;
  switch (defect) {
    case undefined:
      return { data };
    case 'null-feature':
      features.vibration_mm_s = null;
      break;
    case 'nan-feature':
      features.motor_temp_c = 'NaN';
      break;
    case 'label-not-binary':
      data.label = 2;
      break;
    case 'missing-target':
      delete data.target;
      break;
  }
  return { data, defect };
}

/** The tick of a moment: whole 2-second steps since the epoch (negative before it). */
export function tickAt(epochMs: number, nowMs: number): number {
  return Math.floor((nowMs - epochMs) / TICK_MS);
}

/**
 * An independent random stream per (seed, tick, purpose): the clean values, the dirt schedule and
 * the gradual drift's draw never shift one another.
 */
function streamFor(seed: number, tick: number, purpose: number): () => number {
  let h = hash32((seed >>> 0) ^ Math.imul(purpose + 1, 0x85ebca6b));
  h = hash32(h ^ (tick >>> 0));
  h = hash32(h ^ Math.floor(tick / 2 ** 32));
  return seededRandom(h);
}

/** murmur3's finaliser: spreads neighbouring ticks to unrelated seeds. */
function hash32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
