import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../core/data/input-fields.js';
import { plannedDays } from '../../../../systems/sales/records/calendar.js';
import { parseSalesOptions, salesDataset } from '../../../../systems/sales/records/dataset.js';
import {
  defaultSalesGeneratorOptions,
  generateSales,
  SALES_DEFECTS,
  type SalesGeneratorOptions,
  salesDays,
  salesStores,
} from '../../../../systems/sales/records/generator.js';
import { salesRecordSpec } from '../../../../systems/sales/records/record-spec.js';
import type { DailySales, SalesRecord, StoreProfile } from '../../../../systems/sales/records/types.js';

const ARRIVAL_MS = Date.UTC(2030, 0, 1);

function generate(overrides: Partial<SalesGeneratorOptions> = {}) {
  return generateSales({ ...defaultSalesGeneratorOptions, dirtyRate: 0, ...overrides });
}

function valid(records: readonly unknown[]): SalesRecord[] {
  return records.flatMap((record) => {
    const result = salesRecordSpec.validate(record, ARRIVAL_MS);
    return result.ok ? [result.value] : [];
  });
}

const days = (records: readonly unknown[]) =>
  (records as SalesRecord[]).filter((r): r is DailySales => r.kind === 'sales');
const profiles = (records: readonly unknown[]) =>
  (records as SalesRecord[]).filter((r): r is StoreProfile => r.kind === 'store');
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const openSales = (rows: readonly DailySales[], keep: (row: DailySales) => boolean) =>
  mean(rows.filter((r) => r.open === 1 && keep(r)).map((r) => r.sales));

// The whole 942 days for 30 stores (about 25,000 rows), shared by the tests that only read it.
const history = generate({ seed: 7, stores: 30 });
const historyDays = days(history.records);

describe('generateSales is deterministic', () => {
  it('gives the same records and truth for the same options, others for another seed', () => {
    // Prepare
    const options = { seed: 3, stores: 5, days: 60, dirtyRate: 0.02 };

    // Act
    const first = generate(options);
    const second = generate(options);
    const other = generate({ ...options, seed: 4 });

    // Assess
    expect(second).toEqual(first);
    expect(other.records).not.toEqual(first.records);
  });

  it('gives a store the same history however many stores, and the same profile however many days', () => {
    // Prepare
    const ofStore3 = (records: unknown[]) => (records as SalesRecord[]).filter((r) => r.store === 3);
    const stores = (days: number) =>
      salesStores({ ...defaultSalesGeneratorOptions, stores: 20, days }).profiles;

    // Act
    const few = generate({ seed: 3, stores: 3, days: 90 });
    const many = generate({ seed: 3, stores: 40, days: 90 });

    // Assess
    expect(ofStore3(many.records)).toEqual(ofStore3(few.records));
    expect(stores(10)).toEqual(stores(942));
  });

  it('yields the same records one day at a time, and the same profiles without the days', () => {
    // Prepare
    const options = { ...defaultSalesGeneratorOptions, seed: 3, stores: 4, days: 10 };

    // Act
    const batches = [...salesDays(options)];
    const { profiles: alone } = salesStores(options);

    // Assess
    expect(batches.map((b) => b.date)).toEqual(
      Array.from({ length: 10 }, (_, d) => new Date(Date.UTC(2013, 0, 1 + d)).toISOString().slice(0, 10)),
    );
    expect(batches.flatMap((b) => b.records)).toEqual(generateSales(options).records);
    expect(alone).toEqual(profiles(batches[0]?.records ?? []));
  });
});

describe('generateSales: the records', () => {
  it('are valid and arrive as profiles first, then day by day, stores in order', () => {
    // Prepare / Act
    const checked = valid(history.records);
    const order = historyDays.map((r) => `${r.date}/${String(r.store).padStart(4, '0')}`);

    // Assess
    expect(checked).toHaveLength(history.records.length);
    expect(history.records.slice(0, 30).every((r) => (r as SalesRecord).kind === 'store')).toBe(true);
    expect(profiles(history.records).every((p) => p.date === '2013-01-01')).toBe(true);
    expect(order).toEqual([...order].sort());
    expect(historyDays.at(-1)?.date).toBe('2015-07-31');
  });

  it('agree with the plan: plannedDays of a past day gives its opening, promotion and holidays', () => {
    // Prepare
    const mismatches: string[] = [];

    // Act
    for (const profile of profiles(history.records)) {
      const plan = new Map(plannedDays(profile, '2013-01-01', 942).map((day) => [day.date, day]));
      for (const row of historyDays.filter((r) => r.store === profile.store)) {
        const { kind: _k, store: _s, sales: _v, customers: _c, ...fields } = row;
        if (JSON.stringify(plan.get(row.date)) !== JSON.stringify(fields))
          mismatches.push(`${row.store}/${row.date}`);
      }
    }

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('sell nothing on closed days and about nine euros a customer on open ones', () => {
    // Prepare
    const open = historyDays.filter((r) => r.open === 1);
    const closed = historyDays.filter((r) => r.open === 0);

    // Act
    const perCustomer = mean(open.map((r) => r.sales)) / mean(open.map((r) => r.customers));

    // Assess
    expect(closed.every((r) => r.sales === 0 && r.customers === 0)).toBe(true);
    expect(perCustomer).toBeGreaterThan(7);
    expect(perCustomer).toBeLessThan(12);
    expect(mean(open.map((r) => r.sales))).toBeGreaterThan(5000);
    expect(mean(open.map((r) => r.sales))).toBeLessThan(9000);
  });
});

describe('generateSales: the shape of Rossmann sales', () => {
  it('sells most on Mondays and less on Saturdays; Sundays are closed but in type b stores', () => {
    // Prepare
    const types = new Map(profiles(history.records).map((p) => [p.store, p.storeType]));
    const sundays = historyDays.filter((r) => r.dayOfWeek === 7);

    // Act
    const monday = openSales(historyDays, (r) => r.dayOfWeek === 1);
    const saturday = openSales(historyDays, (r) => r.dayOfWeek === 6);

    // Assess
    expect(monday).toBeGreaterThan(saturday * 1.2);
    expect(sundays.filter((r) => types.get(r.store) !== 'b').every((r) => r.open === 0)).toBe(true);
  });

  it('sells more on promotion days and in December before Christmas', () => {
    // Prepare / Act
    const promo = openSales(historyDays, (r) => r.promo === 1);
    const noPromo = openSales(historyDays, (r) => r.promo === 0);
    const advent = openSales(historyDays, (r) => r.date.slice(5, 7) === '12' && r.date.slice(8) <= '24');
    const rest = openSales(historyDays, (r) => r.date.slice(5, 7) !== '12');

    // Assess
    expect(promo).toBeGreaterThan(noPromo * 1.15);
    expect(advent).toBeGreaterThan(rest * 1.15);
  });

  it('has no rows of refurbished stores for half of the second year', () => {
    // Prepare
    const { refurbishment, stores } = history.truth;
    const refurbished = stores.filter((s) => s.refurbished).map((s) => s.store);
    const rowsOf = (store: number) => historyDays.filter((r) => r.store === store);

    // Act
    const inGap = (r: DailySales) =>
      refurbishment !== null && r.date >= refurbishment.from && r.date <= refurbishment.to;

    // Assess
    expect(refurbishment).toEqual({ from: '2014-07-01', to: '2014-12-31' });
    expect(refurbished.length).toBeGreaterThan(0);
    for (const store of refurbished) {
      expect(rowsOf(store).filter(inGap)).toEqual([]);
      expect(rowsOf(store)).toHaveLength(942 - 184);
    }
    expect(rowsOf(stores.find((s) => !s.refurbished)?.store ?? 0)).toHaveLength(942);
  });

  it("lowers the shifted stores' sales by shiftFactor from shiftDay and leaves the rest alone", () => {
    // Prepare
    const options = { seed: 7, stores: 30, days: 120 };
    const before = days(generate(options).records);
    const shiftedRun = generate({ ...options, shiftDay: 60, shiftStoreShare: 0.2, shiftFactor: 0.7 });
    const after = days(shiftedRun.records);
    const shifted = new Set(shiftedRun.truth.stores.filter((s) => s.shifted).map((s) => s.store));

    // Act
    const total = (rows: DailySales[], keep: (r: DailySales) => boolean) =>
      rows.filter(keep).reduce((sum, r) => sum + r.sales, 0);
    const late = (r: DailySales) => shifted.has(r.store) && r.date >= '2013-03-02';
    const ratio = total(after, late) / total(before, late);

    // Assess
    expect(shiftedRun.truth.shiftDate).toBe('2013-03-02');
    expect(shifted.size).toBeGreaterThan(0);
    expect(ratio).toBeGreaterThan(0.69);
    expect(ratio).toBeLessThan(0.71);
    expect(after.filter((r) => !late(r))).toEqual(before.filter((r) => !late(r)));
  });
});

describe('generateSales: all 1,115 stores', () => {
  it("profiles them in Rossmann's proportions", () => {
    // Prepare / Act
    const all = profiles(generate({ seed: 42, days: 2 }).records);
    const share = (keep: (p: StoreProfile) => boolean) => all.filter(keep).length / all.length;

    // Assess
    expect(all).toHaveLength(1115);
    expect(share((p) => p.storeType === 'a')).toBeCloseTo(0.54, 1);
    expect(share((p) => p.storeType === 'b')).toBeGreaterThan(0.005);
    expect(share((p) => p.storeType === 'b')).toBeLessThan(0.03);
    expect(share((p) => p.storeType === 'c')).toBeCloseTo(0.13, 1);
    expect(share((p) => p.storeType === 'd')).toBeCloseTo(0.31, 1);
    expect(all.filter((p) => p.assortment === 'b').every((p) => p.storeType === 'b')).toBe(true);
    expect(share((p) => p.promo2)).toBeCloseTo(0.5, 1);
    expect(share((p) => p.competitionOpenSince === null)).toBeCloseTo(0.32, 1);
    expect(share((p) => p.competitionDistance === null)).toBeLessThan(0.01);
  });
});

describe('generateSales: dirty rows', () => {
  it('breaks about dirtyRate of the daily rows; the spec refuses all but the re-sent copies', () => {
    // Prepare
    const run = generate({ seed: 11, stores: 20, days: 200, dirtyRate: 0.03 });
    const rows = 20 * 200;

    // Act
    const refused = run.records.filter((r) => !salesRecordSpec.validate(r, ARRIVAL_MS).ok);
    const keys = valid(run.records).map((r) => salesRecordSpec.naturalKey(r));
    const dirty = Object.values(run.truth.defects).reduce((a, b) => a + b, 0);

    // Assess
    expect(SALES_DEFECTS.every((defect) => run.truth.defects[defect] > 0)).toBe(true);
    expect(dirty / rows).toBeGreaterThan(0.02);
    expect(dirty / rows).toBeLessThan(0.04);
    expect(refused).toHaveLength(dirty - run.truth.defects.duplicate);
    expect(keys.length - new Set(keys).size).toBe(run.truth.defects.duplicate);
  });
});

describe('salesDataset', () => {
  it('fills in defaults and generates what the options say', () => {
    // Prepare
    const options = salesDataset.parseOptions({ stores: 3, days: 5, dirtyRate: 0 });

    // Act
    const records = salesDataset.generate(options);

    // Assess
    expect(options).toEqual({ ...defaultSalesGeneratorOptions, stores: 3, days: 5, dirtyRate: 0 });
    expect(records).toHaveLength(3 + 3 * 5);
  });

  it.each([
    [{ stores: 2000 }, 'stores must be a whole number from 1 to 1115, got 2000'],
    [{ start: '2015-02-30' }, 'start must be a real day YYYY-MM-DD, got "2015-02-30"'],
    [{ days: 10, shiftDay: 10 }, 'shiftDay must be a whole number from -1 to 9, got 10'],
    [{ dirtyRate: '0.1' }, 'dirtyRate must be a number from 0 to 0.5, got "0.1"'],
    [{ shiftFactor: 0 }, 'shiftFactor must be a number from 0.01 to 10, got 0'],
  ])('refuses %j, naming the field', (bag, message) => {
    // Prepare / Act / Assess
    expect(() => parseSalesOptions(bag)).toThrow(new InputError(message));
  });
});
