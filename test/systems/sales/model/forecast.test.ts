import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_KINDS,
  CandidateFitError,
  fitCandidate,
  forecastStore,
  parseStoreModel,
  type StoreSeries,
} from '../../../../systems/sales/model/index.js';
import { plannedAfter, syntheticSeries } from './synthetic-series.js';

const HORIZON = 42;

function truncated(series: StoreSeries, days: number): StoreSeries {
  return { ...series, days: series.days.slice(0, days) };
}

describe.each(CANDIDATE_KINDS)('%s forecasts', (kind) => {
  const series = syntheticSeries({ days: 760, seed: 11 });

  it('gives one point per planned day, nested intervals, and all zeros on closed days', async () => {
    // Prepare
    const model = await fitCandidate(kind, series);
    const planned = plannedAfter(series, HORIZON);
    // Act
    const points = forecastStore(model, series, planned);
    // Assess
    expect(points.map((p) => p.date)).toEqual(planned.map((p) => p.date));
    const closed = points.filter((p) => p.open === 0);
    expect(closed.length).toBeGreaterThan(4);
    for (const p of closed) expect([p.mean, p.lo80, p.hi80, p.lo95, p.hi95]).toEqual([0, 0, 0, 0, 0]);
    for (const p of points.filter((q) => q.open === 1)) {
      expect(p.lo95).toBeLessThanOrEqual(p.lo80);
      expect(p.lo80).toBeLessThanOrEqual(p.mean);
      expect(p.mean).toBeLessThanOrEqual(p.hi80);
      expect(p.hi80).toBeLessThanOrEqual(p.hi95);
      expect(p.lo95).toBeGreaterThan(0);
    }
  });

  it('covers about 95% of held-out days with its 95% interval', async () => {
    // Prepare: four held-out stretches of 42 days after four fits
    let inside95 = 0;
    let inside80 = 0;
    let scored = 0;
    for (const end of [592, 634, 676, 718]) {
      const seen = truncated(series, end);
      const model = await fitCandidate(kind, seen);
      // Act
      const points = forecastStore(model, seen, plannedAfter(seen, HORIZON));
      points.forEach((p, h) => {
        const actual = series.days[end + h]?.sales ?? 0;
        if (p.open === 0 || actual <= 0) return;
        scored++;
        if (actual >= p.lo95 && actual <= p.hi95) inside95++;
        if (actual >= p.lo80 && actual <= p.hi80) inside80++;
      });
    }
    // Assess
    expect(scored).toBeGreaterThan(120);
    expect(inside95 / scored).toBeGreaterThanOrEqual(0.8);
    expect(inside80 / scored).toBeGreaterThanOrEqual(0.6);
    expect(inside80 / scored).toBeLessThanOrEqual(inside95 / scored);
  });

  it('round-trips through JSON and forecasts the same', async () => {
    // Prepare
    const model = await fitCandidate(kind, series);
    const planned = plannedAfter(series, HORIZON);
    // Act
    const loaded = parseStoreModel(JSON.stringify(model));
    // Assess
    expect(loaded).toMatchObject({
      format: 'sales-store-model',
      version: 1,
      kind,
      store: series.profile.store,
    });
    expect(forecastStore(loaded, series, planned)).toEqual(forecastStore(model, series, planned));
  });

  it('uses days newer than its training: a level shift in them moves the forecast', async () => {
    // Prepare: trained on 700 days; 56 newer days arrive, at the usual level or 50% higher
    const model = await fitCandidate(kind, truncated(series, 700));
    const usual = truncated(series, 756);
    const shifted = truncated(
      syntheticSeries({ days: 760, seed: 11, shiftFrom: 700, shiftFactor: 1.5 }),
      756,
    );
    const planned = plannedAfter(usual, HORIZON);
    // Act
    const before = forecastStore(model, usual, planned);
    const after = forecastStore(model, shifted, planned);
    // Assess: the forecast of the open days rises with the new level
    const total = (points: typeof before) => points.reduce((sum, p) => sum + p.mean, 0);
    expect(model.trainedThrough).toBe(series.days[699]?.date);
    expect(total(after) / total(before)).toBeGreaterThan(1.25);
  });
});

describe('store models', () => {
  it('says why a JSON text is not a store model', () => {
    expect(() => parseStoreModel('{')).toThrow(/not a store model: the text is not JSON/);
    expect(() => parseStoreModel({ format: 'rf-model' })).toThrow(/not a store model: format is "rf-model"/);
    expect(() =>
      parseStoreModel({
        format: 'sales-store-model',
        version: 2,
        kind: 'forest',
        store: 1,
        trainedThrough: '2015-07-31',
      }),
    ).toThrow(/version 2/);
    expect(() =>
      parseStoreModel({
        format: 'sales-store-model',
        version: 1,
        kind: 'sarimax',
        store: 1,
        trainedThrough: '2015-07-31',
        config: {},
        state: {},
      }),
    ).toThrow(/SARIMAX artifact is invalid/);
  });

  it('throws a CandidateFitError, with the reason, when one family cannot fit', async () => {
    // Act / Assess
    await expect(fitCandidate('forest', syntheticSeries({ days: 90 }))).rejects.toThrow(CandidateFitError);
    await expect(fitCandidate('sarimax', syntheticSeries({ days: 60 }))).rejects.toThrow(/too short/);
  });

  it("refuses another store's series", async () => {
    // Prepare
    const model = await fitCandidate('sarimax', syntheticSeries({ days: 300 }));
    const other = syntheticSeries({ days: 300, store: 8 });
    // Act / Assess
    expect(() => forecastStore(model, other, plannedAfter(other, 7))).toThrow(
      /store 7's, the series store 8's/,
    );
  });
});
