import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/data/input-fields.js';
import type { ChurnEvent } from '../../../systems/churn/model/types.js';
import { churnDataset, parseChurnOptions } from '../../../systems/churn/records/dataset.js';
import { churnRecordSpec } from '../../../systems/churn/records/event.js';
import {
  type ChurnGeneratorOptions,
  churnEventDays,
  defaultChurnGeneratorOptions,
  generateChurnEvents,
} from '../../../systems/churn/records/generator.js';

const ARRIVAL_MS = Date.UTC(2030, 0, 1);
const DAY_MS = 86_400_000;

function generate(overrides: Partial<ChurnGeneratorOptions> = {}) {
  return generateChurnEvents({ ...defaultChurnGeneratorOptions, ...overrides });
}

function validEvents(events: readonly unknown[]): ChurnEvent[] {
  const valid: ChurnEvent[] = [];
  for (const event of events) {
    const result = churnRecordSpec.validate(event, ARRIVAL_MS);
    if (result.ok) valid.push(result.value);
  }
  return valid;
}

// Small runs, shared by the tests that only read them.
const clean = generate({ seed: 7, customers: 300, days: 60, activity: 0.3, driftStartDay: 40, dirtyRate: 0 });
/** Many customers, few events each: enough churn to measure rates, little to generate. */
const population = generate({
  seed: 11,
  customers: 2000,
  days: 120,
  activity: 0.02,
  driftStartDay: 80,
  dirtyRate: 0,
});
const cleanValid = validEvents(clean.events);
const populationValid = validEvents(population.events);

describe('generateChurnEvents is deterministic', () => {
  it('produces identical events and truth for the same seed, different ones for another', () => {
    // Prepare
    const options = { seed: 3, customers: 40, days: 10, activity: 0.5 };

    // Act
    const first = generate(options);
    const second = generate(options);
    const other = generate({ ...options, seed: 4 });

    // Assess
    expect(second).toEqual(first);
    expect(other.events).not.toEqual(first.events);
  });

  it('yields the same events one day at a time as all at once', () => {
    // Prepare
    const options = { ...defaultChurnGeneratorOptions, seed: 3, customers: 40, days: 10, activity: 0.5 };

    // Act
    const batches = [...churnEventDays(options)];

    // Assess
    expect(batches.map((b) => b.day)).toEqual(
      Array.from({ length: 10 }, (_, d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)),
    );
    expect(batches.flatMap((b) => b.events)).toEqual(generateChurnEvents(options).events);
  });
});

describe('generateChurnEvents: the records', () => {
  it('are valid, in time order, about 10 per customer-day at activity 1', () => {
    // Prepare
    const run = generate({ seed: 5, customers: 100, days: 14, activity: 1, dirtyRate: 0, growthPerDay: 0 });

    // Act
    const valid = validEvents(run.events);
    const times = valid.map((e) => Date.parse(e.time));
    const customerDays = 100 * 14 - Object.keys(run.truth.churnDays).length * 7;

    // Assess
    expect(valid).toHaveLength(run.events.length);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    expect(valid.length / customerDays).toBeGreaterThan(8);
    expect(valid.length / customerDays).toBeLessThan(13);
  });

  it('start with the initial population’s profiles, signed up before the start', () => {
    // Prepare / Act
    const first = cleanValid.slice(0, 300);

    // Assess
    expect(first.every((e) => e.kind === 'customer' && e.time === '2024-01-01T00:00:00.000Z')).toBe(true);
    expect(first.every((e) => e.kind === 'customer' && e.signupDate < '2024-01-01')).toBe(true);
    expect(new Set(first.map((e) => e.customerId)).size).toBe(300);
  });

  it('grow the population: new customers join every day with a profile first', () => {
    // Prepare
    const valid = populationValid;
    const joined = valid.filter((e) => e.kind === 'customer' && e.time > '2024-01-01T00:00:00.000Z');
    const firstEvent = new Map<string, ChurnEvent>();
    for (const e of valid) if (!firstEvent.has(e.customerId)) firstEvent.set(e.customerId, e);

    // Act
    const active = population.truth.customers - Object.keys(population.truth.churnDays).length;
    const joinDays = new Set(joined.map((e) => e.time.slice(0, 10)));

    // Assess
    expect(joined.every((e) => e.kind === 'customer' && e.signupDate === e.time.slice(0, 10))).toBe(true);
    expect(joinDays.size).toBeGreaterThan(100);
    expect(active).toBeGreaterThan(2000 * 1.2);
    expect([...firstEvent.values()].every((e) => e.kind === 'customer')).toBe(true);
  });

  it('end a churned customer with their churn event: nothing of theirs follows it', () => {
    // Prepare
    const valid = cleanValid;
    const churnedAt = new Map<string, number>();

    // Act
    const after: ChurnEvent[] = [];
    valid.forEach((e, i) => {
      if (churnedAt.has(e.customerId)) after.push(e);
      if (e.kind === 'churn') churnedAt.set(e.customerId, i);
    });

    // Assess
    expect(churnedAt.size).toBeGreaterThan(5);
    expect(after).toEqual([]);
    expect(Object.keys(clean.truth.churnDays).sort()).toEqual([...churnedAt.keys()].sort());
  });
});

describe('generateChurnEvents: churn and drift', () => {
  /** Churns per customer-day of presence, before and after the drift (from the events themselves). */
  function churnRates() {
    const valid = populationValid;
    const start = Date.UTC(2024, 0, 1);
    const driftDay = 80;
    const joinDay = new Map<string, number>();
    const churnDay = new Map<string, number>();
    for (const e of valid) {
      const day = Math.floor((Date.parse(e.time) - start) / DAY_MS);
      if (e.kind === 'customer') joinDay.set(e.customerId, Math.max(0, day));
      if (e.kind === 'churn') churnDay.set(e.customerId, day);
    }
    const exposure = { before: 0, after: 0 };
    const churns = { before: 0, after: 0 };
    for (const [id, joined] of joinDay) {
      const end = churnDay.get(id) ?? 120;
      for (let d = joined; d < end; d++) exposure[d < driftDay ? 'before' : 'after']++;
      if (churnDay.has(id)) churns[(churnDay.get(id) as number) < driftDay ? 'before' : 'after']++;
    }
    return { before: churns.before / exposure.before, after: churns.after / exposure.after };
  }

  it('has a monthly churn rate a telecom would recognise before the drift, and more after it', () => {
    // Prepare / Act
    const rates = churnRates();

    // Assess
    expect(population.truth.driftStartDay).toBe('2024-03-21');
    expect(rates.before * 30).toBeGreaterThan(0.015);
    expect(rates.before * 30).toBeLessThan(0.06);
    expect(rates.after).toBeGreaterThan(rates.before * 1.3);
  });

  it('shifts data usage and the dropped-call rate from the drift day on', () => {
    // Prepare
    const drift = `${clean.truth.driftStartDay}T00:00:00.000Z`;
    const side = () => ({ mb: 0, sessions: 0, calls: 0, dropped: 0 });
    const before = side();
    const after = side();

    // Act
    for (const e of cleanValid) {
      const s = e.time < drift ? before : after;
      if (e.kind === 'data') {
        s.mb += e.megabytes;
        s.sessions++;
      }
      if (e.kind === 'call') {
        s.calls++;
        if (e.dropped) s.dropped++;
      }
    }

    // Assess
    expect(clean.truth.driftStartDay).toBe('2024-02-10');
    expect(after.mb / after.sessions).toBeGreaterThan(1.35 * (before.mb / before.sessions));
    expect(after.dropped / after.calls).toBeGreaterThan(1.15 * (before.dropped / before.calls));
  });
});

describe('generateChurnEvents: dirty records', () => {
  it('breaks about dirtyRate of the records; the spec rejects all but the re-sent copies', () => {
    // Prepare
    const run = generate({ seed: 9, customers: 200, days: 20, activity: 0.3, dirtyRate: 0.05 });

    // Act
    const reasons = run.events
      .map((e) => churnRecordSpec.validate(e, ARRIVAL_MS))
      .flatMap((r) => (r.ok ? [] : [r.reason]));
    const ids = validEvents(run.events).map((e) => e.eventId);
    const duplicates = ids.length - new Set(ids).size;
    const dirty = Object.values(run.truth.defects).reduce((a, b) => a + b, 0);

    // Assess
    expect(dirty / run.events.length).toBeGreaterThan(0.03);
    expect(dirty / run.events.length).toBeLessThan(0.07);
    expect(duplicates).toBe(run.truth.defects.duplicate);
    expect(reasons).toHaveLength(dirty - run.truth.defects.duplicate);
    expect(reasons.some((r) => /durationSeconds must be >= 0/.test(r))).toBe(true);
    expect(reasons.some((r) => /callType must be one of/.test(r))).toBe(true);
    expect(reasons.some((r) => /missing field\(s\): customerId/.test(r))).toBe(true);
    expect(reasons.some((r) => /time ".*" is not ISO-8601/.test(r))).toBe(true);
  });
});

describe('churnDataset', () => {
  it('fills defaults, puts the drift two thirds in, and generates the events', () => {
    // Prepare / Act
    const options = churnDataset.parseOptions({ days: 30, customers: 20 });
    const events = churnDataset.generate(options);

    // Assess
    expect(options).toMatchObject({ days: 30, customers: 20, driftStartDay: 20, start: '2024-01-01' });
    expect(events.length).toBeGreaterThan(20 * 30);
  });

  it.each([
    [{ customers: 0 }, /customers must be a whole number from 1 to 100000, got 0/],
    [{ start: '2024-1-1' }, /start must be a string matching/],
    [{ start: '2024-02-30' }, /start must be a real day/],
    [{ activity: 'lots' }, /activity must be a number from 0.01 to 10/],
    [{ days: 10, driftStartDay: 11 }, /driftStartDay must be a whole number from 0 to 10, got 11/],
    [{ dirtyRate: 0.9 }, /dirtyRate must be a number from 0 to 0.5/],
  ])('refuses %j, naming the field', (bag, reason) => {
    // Prepare / Act / Assess
    expect(() => parseChurnOptions(bag)).toThrow(InputError);
    expect(() => parseChurnOptions(bag)).toThrow(reason);
  });
});
