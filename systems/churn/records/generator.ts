import { gaussian, poisson, seededRandom } from '../../../core/data/seeded-random.js';
import type { CallType, ChurnEvent, Contract, Plan } from '../model/types.js';

/**
 * Deterministic synthetic call-detail records for a growing population of mobile customers, with
 * the churn process behind them (docs: systems/churn/docs/data.md).
 *
 * - Each customer has a profile (plan and a monthly charge around its price, contract, signup
 *   date), a hidden network region whose quality sets the chance a call drops, a usage level, a
 *   price sensitivity and a latent state: content, or discontented for a while.
 * - Every day they call (by time of day; local, national, international, roaming; some calls
 *   drop), text, use data, sometimes call customer care, and pay on their billing day.
 * - Discontent starts with a daily hazard that rises with the region's dropped-call rate, recent
 *   care calls, a charge above the plan's price, a monthly contract and a short tenure. While it
 *   lasts (20–50 days) usage falls, care calls rise and payments come late; at its end the customer
 *   churns (70 %) or settles down. A few customers leave without warning. So 7/30-day features
 *   predict churn in the next 30 days well, not perfectly.
 * - From `driftStartDay` on, data usage jumps (covariate shift) and one region's network degrades
 *   while customers grow more price sensitive (concept shift: churn rises).
 * - A `dirtyRate` share of activity records is broken (or re-sent), as real feeds are.
 */
export interface ChurnGeneratorOptions {
  seed: number;
  /** First day, `YYYY-MM-DD` (UTC). */
  start: string;
  days: number;
  /** Customers at the start; ids `C000001`, … in order of joining. */
  customers: number;
  /** Expected new customers per day as a share of the active population. */
  growthPerDay: number;
  /** Multiplier on calls, SMS and data sessions (1 ≈ 10 events per customer-day). */
  activity: number;
  /** Day offset (0 = `start`) from which behaviour shifts; `days` or more: no drift. */
  driftStartDay: number;
  /** Share of activity records that are malformed or re-sent. */
  dirtyRate: number;
}

export const defaultChurnGeneratorOptions: ChurnGeneratorOptions = {
  seed: 42,
  start: '2024-01-01',
  days: 120,
  customers: 300,
  growthPerDay: 0.004,
  activity: 0.25,
  driftStartDay: 80,
  dirtyRate: 0.002,
};

export type ChurnDefect =
  | 'negative-duration'
  | 'unknown-call-type'
  | 'missing-customer-id'
  | 'garbage-time'
  | 'duplicate';
export const CHURN_DEFECTS: readonly ChurnDefect[] = [
  'negative-duration',
  'unknown-call-type',
  'missing-customer-id',
  'garbage-time',
  'duplicate',
];

export interface ChurnTruth {
  /** The first day of the shifted behaviour, `YYYY-MM-DD` (after the last day: no drift). */
  driftStartDay: string;
  /** Customer id → the day of their `churn` event. */
  churnDays: Record<string, string>;
  /** Customers who ever existed (the initial population and everyone who joined). */
  customers: number;
  /** Activity records made dirty, by defect. */
  defects: Record<ChurnDefect, number>;
}

export interface ChurnGeneration {
  /** In time order; mostly {@link ChurnEvent}s, a few deliberately broken records. */
  events: unknown[];
  truth: ChurnTruth;
}

const DAY_MS = 86_400_000;
const SECONDS_PER_DAY = 86_400;

export const PLAN_PRICES: Readonly<Record<Plan, number>> = { basic: 25, standard: 45, premium: 75 };
const PLANS: readonly Plan[] = ['basic', 'standard', 'premium'];
const PLAN_SHARES = [0.45, 0.35, 0.2];
const CONTRACTS: readonly Contract[] = ['monthly', 'annual', 'two-year'];
const CONTRACT_SHARES = [0.55, 0.3, 0.15];
const CONTRACT_RISK = [0.9, 0, -0.8];

/** Base chance a call drops, per network region; region 3 degrades at the drift. */
export const REGION_DROP_RATES = [0.01, 0.015, 0.02, 0.025, 0.04];
export const DRIFT_REGION = 3;
/** What changes at the drift. */
export const DRIFT = { dataMb: 1.7, dataSessions: 1.2, regionDropRate: 3, priceSensitivity: 1.8 } as const;

/** Calls by hour of day (UTC, the customers' local time here): quiet nights, busy afternoons. */
const CALL_HOURS = [
  0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 5, 5, 4.5, 3.5, 2.5, 1.5,
  0.7,
];
const DATA_HOURS = [
  1, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 3, 3, 3, 3, 3.5, 3, 3, 3, 3, 3.5, 4, 4.5, 5, 5, 4, 2.5,
];

/** Daily means at activity 1 and usage level 1 (≈ 10 events with the rare kinds). */
const CALLS_PER_DAY = 3.3;
const SMS_PER_DAY = 2.7;
const DATA_SESSIONS_PER_DAY = 3;

/** Discontent: entry hazard scale, episode length, share that ends in churn; sudden churn. */
const DISCONTENT_RATE = 0.0009;
const DISCONTENT_DAYS = [20, 50] as const;
const DISCONTENT_CHURN = 0.7;
const SUDDEN_CHURN_RATE = 0.0001;

interface Customer {
  id: string;
  plan: Plan;
  contract: Contract;
  contractIndex: number;
  monthlyCharge: number;
  /** Charge over the plan's price (1 = list price). */
  priceRatio: number;
  signupDay: number;
  billingDate: number;
  region: number;
  dropFactor: number;
  usage: number;
  smsLevel: number;
  dataLevel: number;
  internationalShare: number;
  roamingShare: number;
  priceSensitivity: number;
  /** Care calls, decaying by 5 % a day: what "recent care calls" means to the hazard. */
  careRecent: number;
  /** Day the current discontent started, or -1. */
  discontentStart: number;
  discontentDays: number;
  /** Day a late payment will arrive, or -1. */
  paymentDay: number;
  paymentLate: number;
  /** Second of the day the customer joined (0 for the initial population). */
  joinSecond: number;
  joinDay: number;
}

/** `YYYY-MM-DD` → days since 1970-01-01 (UTC). */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function dayString(dayNum: number): string {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}

function validateOptions(options: ChurnGeneratorOptions): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.start) || Number.isNaN(Date.parse(options.start)))
    throw new Error(`start must be a day YYYY-MM-DD, got ${JSON.stringify(options.start)}`);
  for (const key of ['days', 'customers'] as const) {
    if (!(Number.isInteger(options[key]) && options[key] >= 1))
      throw new Error(`${key} must be a whole number >= 1, got ${options[key]}`);
  }
  if (!(Number.isInteger(options.driftStartDay) && options.driftStartDay >= 0))
    throw new Error(`driftStartDay must be a whole number >= 0, got ${options.driftStartDay}`);
  if (!(options.activity > 0 && options.activity <= 10))
    throw new Error(`activity must be in (0, 10], got ${options.activity}`);
  for (const key of ['growthPerDay', 'dirtyRate'] as const) {
    if (!(options[key] >= 0 && options[key] < 1))
      throw new Error(`${key} must be in [0, 1), got ${options[key]}`);
  }
}

function pick(random: () => number, shares: readonly number[]): number {
  let draw = random();
  for (let i = 0; i < shares.length; i++) {
    draw -= shares[i] as number;
    if (draw < 0) return i;
  }
  return shares.length - 1;
}

function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w / total;
    cdf[i] = sum;
  });
  return cdf;
}

function secondOfDay(random: () => number, cdf: Float64Array): number {
  const draw = random();
  let hour = 0;
  while (hour < 23 && draw > (cdf[hour] as number)) hour++;
  return hour * 3600 + Math.floor(random() * 3600);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** `HH:MM:SS.000Z` for every second of a day, built once: a time is then one concatenation. */
let clockTexts: string[] | undefined;
function clockText(second: number): string {
  if (!clockTexts) {
    clockTexts = new Array(SECONDS_PER_DAY);
    for (let s = 0; s < SECONDS_PER_DAY; s++) {
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      clockTexts[s] =
        `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000Z`;
    }
  }
  return clockTexts[second] as string;
}

function newCustomer(random: () => number, index: number, signupDay: number, joinDay: number): Customer {
  const planIndex = pick(random, PLAN_SHARES);
  const plan = PLANS[planIndex] as Plan;
  const contractIndex = pick(random, CONTRACT_SHARES);
  const price = PLAN_PRICES[plan];
  const priceRatio = Math.min(1.6, Math.max(0.7, 1 + 0.12 * gaussian(random)));
  const monthlyCharge = round2(price * priceRatio);
  const dom = new Date(signupDay * DAY_MS).getUTCDate();
  return {
    id: `C${String(index).padStart(6, '0')}`,
    plan,
    contract: CONTRACTS[contractIndex] as Contract,
    contractIndex,
    monthlyCharge,
    priceRatio: monthlyCharge / price,
    signupDay,
    billingDate: Math.min(dom, 28),
    region: Math.floor(random() * REGION_DROP_RATES.length),
    dropFactor: Math.exp(0.3 * gaussian(random)),
    // Premium customers use more; everyone varies a lot around their plan.
    usage: Math.exp(0.4 * gaussian(random)) * (0.85 + 0.15 * planIndex),
    smsLevel: Math.exp(0.6 * gaussian(random)),
    dataLevel: Math.exp(0.5 * gaussian(random)) * (0.7 + 0.3 * planIndex),
    internationalShare: random() < 0.6 ? 0.01 : 0.03 + 0.17 * random(),
    roamingShare: random() < 0.7 ? 0 : 0.02 + 0.18 * random(),
    priceSensitivity: 0.5 + random(),
    careRecent: 0,
    discontentStart: -1,
    discontentDays: 0,
    paymentDay: -1,
    paymentLate: 0,
    joinSecond: 0,
    joinDay,
  };
}

/** The customer's chance a call drops on this day (region, individual line, drift). */
function dropRate(customer: Customer, drifted: boolean): number {
  const base = REGION_DROP_RATES[customer.region] as number;
  const shift = drifted && customer.region === DRIFT_REGION ? DRIFT.regionDropRate : 1;
  return Math.min(0.5, base * shift * customer.dropFactor);
}

/** Log-risk of discontent: network, recent care calls, price, contract, tenure. */
function risk(customer: Customer, today: number, drifted: boolean): number {
  const tenure = today - customer.signupDay;
  const sensitivity = customer.priceSensitivity * (drifted ? DRIFT.priceSensitivity : 1);
  return (
    25 * (dropRate(customer, drifted) - 0.02) +
    0.5 * customer.careRecent +
    3 * sensitivity * (customer.priceRatio - 1) +
    (CONTRACT_RISK[customer.contractIndex] as number) +
    (tenure < 180 ? 0.6 : tenure < 365 ? 0.3 : 0)
  );
}

/** Every event of the run in time order, with the truth behind it. */
export function generateChurnEvents(
  options: ChurnGeneratorOptions = defaultChurnGeneratorOptions,
): ChurnGeneration {
  const events: unknown[] = [];
  let truth: ChurnTruth | undefined;
  for (const batch of churnEventDays(options)) {
    for (const event of batch.events) events.push(event);
    truth = batch.truth;
  }
  return { events, truth: truth as ChurnTruth };
}

/** One day of the run: its events in time order, and the truth so far (the same object each day). */
export interface ChurnDayBatch {
  day: string;
  events: unknown[];
  truth: ChurnTruth;
}

/**
 * The run one day at a time, so a consumer (the benchmark, a producer) need not hold millions of
 * events at once. A day's events are placed by a counting sort on their second of the day
 * (stable, so a joining customer's profile comes before their first call).
 */
export function* churnEventDays(
  options: ChurnGeneratorOptions = defaultChurnGeneratorOptions,
): Generator<ChurnDayBatch> {
  validateOptions(options);
  const random = seededRandom(options.seed);
  const firstDay = dayNumber(options.start);
  const callCdf = cumulative(CALL_HOURS);
  const dataCdf = cumulative(DATA_HOURS);
  const truth: ChurnTruth = {
    driftStartDay: dayString(firstDay + options.driftStartDay),
    churnDays: {},
    customers: 0,
    defects: {
      'negative-duration': 0,
      'unknown-call-type': 0,
      'missing-customer-id': 0,
      'garbage-time': 0,
      duplicate: 0,
    },
  };
  let active: Customer[] = [];
  for (let i = 0; i < options.customers; i++) {
    // Tenures up to ten years, most a year or two: a mature customer base.
    const tenure = Math.min(3650, 1 + Math.floor(-Math.log(Math.max(random(), 1e-12)) * 700));
    active.push(newCustomer(random, ++truth.customers, firstDay - tenure, firstDay));
  }

  // A day's records before sorting, and their second of the day.
  let dayRecords: unknown[] = [];
  let daySeconds: number[] = [];
  const counts = new Int32Array(SECONDS_PER_DAY + 1);
  const emit = (record: unknown, second: number) => {
    dayRecords.push(record);
    daySeconds.push(second);
  };

  for (let d = 0; d < options.days; d++) {
    const today = firstDay + d;
    const dayText = dayString(today);
    const prefix = `${dayText}T`;
    const compact = dayText.replaceAll('-', '');
    const drifted = d >= options.driftStartDay;
    const weekday = new Date(today * DAY_MS).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const dayOfMonth = new Date(today * DAY_MS).getUTCDate();

    if (d > 0) {
      const joining = poisson(random, options.growthPerDay * active.length);
      for (let j = 0; j < joining; j++) {
        const customer = newCustomer(random, ++truth.customers, today, today);
        customer.joinSecond = 6 * 3600 + Math.floor(random() * 12 * 3600);
        active.push(customer);
      }
    }

    const survivors: Customer[] = [];
    for (const customer of active) {
      const id = customer.id;
      // Ids and times by concatenation, no closures: this loop runs for every customer-day.
      const idPrefix = `${id}-${compact}-`;
      let seq = 0;
      if (customer.joinDay === today) {
        emit(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(customer.joinSecond),
            kind: 'customer',
            plan: customer.plan,
            contract: customer.contract,
            monthlyCharge: customer.monthlyCharge,
            signupDate: dayString(customer.signupDay),
          } satisfies ChurnEvent,
          customer.joinSecond,
        );
      }

      // The latent state: discontent starts, runs its course, ends in churn or not.
      let churnsToday = false;
      let progress = 0;
      if (customer.discontentStart >= 0) {
        const elapsed = today - customer.discontentStart;
        if (elapsed >= customer.discontentDays) {
          customer.discontentStart = -1;
          churnsToday = random() < DISCONTENT_CHURN;
        } else {
          progress = elapsed / customer.discontentDays;
        }
      } else if (today > customer.joinDay) {
        const r = Math.exp(risk(customer, today, drifted));
        if (random() < DISCONTENT_RATE * r) {
          customer.discontentStart = today;
          customer.discontentDays =
            DISCONTENT_DAYS[0] + Math.floor(random() * (DISCONTENT_DAYS[1] - DISCONTENT_DAYS[0] + 1));
        } else if (random() < SUDDEN_CHURN_RATE * Math.sqrt(r)) {
          churnsToday = true;
        }
      }
      const endSecond = churnsToday ? 1 + Math.floor(random() * (SECONDS_PER_DAY - 1)) : SECONDS_PER_DAY;
      const from = customer.joinDay === today ? customer.joinSecond + 1 : 0;

      const usage = customer.usage * (1 - 0.7 * progress) * Math.exp(0.25 * gaussian(random));
      const drops = dropRate(customer, drifted);
      let droppedToday = 0;

      const calls = poisson(random, CALLS_PER_DAY * options.activity * usage * (weekend ? 0.8 : 1));
      for (let c = 0; c < calls; c++) {
        const second = secondOfDay(random, callCdf);
        const typeDraw = random();
        const callType: CallType =
          typeDraw < customer.roamingShare
            ? 'roaming'
            : typeDraw < customer.roamingShare + customer.internationalShare
              ? 'international'
              : typeDraw < 0.62
                ? 'local'
                : 'national';
        const dropped = random() < drops * (callType === 'roaming' ? 2 : 1);
        const typical = callType === 'international' ? 300 : callType === 'local' ? 120 : 180;
        let duration = Math.round(typical * Math.exp(0.8 * gaussian(random) - 0.32));
        if (dropped) duration = Math.floor(duration * random());
        if (second < from || second >= endSecond) continue;
        if (dropped) droppedToday++;
        emitActivity(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(second),
            kind: 'call',
            callType,
            durationSeconds: Math.min(duration, 6 * 3600),
            dropped,
          },
          second,
        );
      }
      const sms = poisson(random, SMS_PER_DAY * options.activity * customer.smsLevel * (1 - 0.5 * progress));
      for (let s = 0; s < sms; s++) {
        const second = secondOfDay(random, callCdf);
        const international = random() < customer.internationalShare * 2;
        if (second < from || second >= endSecond) continue;
        emitActivity(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(second),
            kind: 'sms',
            international,
          },
          second,
        );
      }
      const sessions = poisson(
        random,
        DATA_SESSIONS_PER_DAY *
          options.activity *
          customer.dataLevel *
          (1 - 0.5 * progress) *
          (weekend ? 1.2 : 1) *
          (drifted ? DRIFT.dataSessions : 1),
      );
      for (let s = 0; s < sessions; s++) {
        const second = secondOfDay(random, dataCdf);
        const megabytes = round2(
          60 * customer.dataLevel * (drifted ? DRIFT.dataMb : 1) * Math.exp(1.0 * gaussian(random) - 0.5),
        );
        if (second < from || second >= endSecond) continue;
        emitActivity(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(second),
            kind: 'data',
            megabytes,
          },
          second,
        );
      }
      // Care calls do not scale with `activity`: they drive the hazard, which must not depend on
      // how small the demo is. Dropped calls are counted at activity 1.
      const careCalls = poisson(random, 0.012 + 0.2 * progress + (0.08 * droppedToday) / options.activity);
      customer.careRecent *= 0.95;
      for (let c = 0; c < careCalls; c++) {
        const second = secondOfDay(random, callCdf);
        const resolved = random() < 0.75 - 0.35 * progress;
        if (second < from || second >= endSecond) continue;
        customer.careRecent += resolved ? 0.5 : 1;
        emitActivity(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(second),
            kind: 'care',
            resolved,
          },
          second,
        );
      }

      // Bills fall due on the signup day of the month; dissatisfied or price-sensitive customers pay late.
      if (dayOfMonth === customer.billingDate && today > customer.signupDay && customer.paymentDay < 0) {
        const lateChance =
          0.04 + 0.5 * progress + 0.2 * Math.max(0, customer.priceSensitivity * (customer.priceRatio - 1));
        customer.paymentLate = random() < lateChance ? 1 + Math.floor(random() * (5 + 20 * progress)) : 0;
        customer.paymentDay = today + customer.paymentLate;
      }
      if (customer.paymentDay === today) {
        const second = 8 * 3600 + Math.floor(random() * 12 * 3600);
        customer.paymentDay = -1;
        if (second >= from && second < endSecond) {
          emit(
            {
              pipeline: 'churn',
              eventId: idPrefix + seq++,
              customerId: id,
              time: prefix + clockText(second),
              kind: 'payment',
              amount: customer.monthlyCharge,
              daysLate: customer.paymentLate,
            } satisfies ChurnEvent,
            second,
          );
        }
      }

      if (churnsToday) {
        emit(
          {
            pipeline: 'churn',
            eventId: idPrefix + seq++,
            customerId: id,
            time: prefix + clockText(endSecond),
            kind: 'churn',
          },
          endSecond,
        );
        truth.churnDays[id] = dayText;
      } else {
        survivors.push(customer);
      }
    }
    active = survivors;

    // Counting sort by second of the day: stable, linear.
    counts.fill(0);
    for (const second of daySeconds) counts[second + 1] = (counts[second + 1] as number) + 1;
    for (let s = 1; s <= SECONDS_PER_DAY; s++) counts[s] = (counts[s] as number) + (counts[s - 1] as number);
    const sorted: unknown[] = new Array(dayRecords.length);
    for (let i = 0; i < dayRecords.length; i++) {
      const second = daySeconds[i] as number;
      sorted[counts[second] as number] = dayRecords[i];
      counts[second] = (counts[second] as number) + 1;
    }
    dayRecords = [];
    daySeconds = [];
    yield { day: dayText, events: sorted, truth };
  }

  /** An activity record, made dirty (or re-sent) with the configured chance. */
  function emitActivity(event: ChurnEvent, second: number): void {
    if (options.dirtyRate === 0 || random() >= options.dirtyRate) {
      emit(event, second);
      return;
    }
    const applicable = event.kind === 'call' ? CHURN_DEFECTS : CHURN_DEFECTS.slice(2);
    const defect = applicable[Math.floor(random() * applicable.length)] as ChurnDefect;
    truth.defects[defect]++;
    switch (defect) {
      case 'negative-duration':
        emit({ ...event, durationSeconds: -1 - Math.floor(random() * 300) }, second);
        return;
      case 'unknown-call-type':
        emit({ ...event, callType: 'satellite' }, second);
        return;
      case 'missing-customer-id': {
        const { customerId: _, ...rest } = event;
        emit(rest, second);
        return;
      }
      case 'garbage-time':
        emit({ ...event, time: `${event.time.slice(0, 10)} ${event.time.slice(11, 16)}` }, second);
        return;
      case 'duplicate':
        emit(event, second);
        emit({ ...event }, second);
        return;
    }
  }
}
