import { describe, expect, it } from 'vitest';
import {
  fitCandidate,
  forecastStore,
  historyTimeline,
  trainStore,
} from '../../../../systems/sales/model/index.js';
import { plannedAfter, syntheticSeries } from './synthetic-series.js';

describe('store timelines', () => {
  it('fills a refurbishment gap with closed days, and both families still train', async () => {
    // Prepare: no rows for 90 days in the middle
    const full = syntheticSeries({ days: 760, seed: 4 });
    const series = { ...full, days: full.days.filter((_, i) => i < 300 || i >= 390) };
    // Act
    const timeline = historyTimeline(series);
    const report = await trainStore(series);
    // Assess
    expect(timeline.days).toHaveLength(760);
    expect(timeline.days.slice(300, 390).every((d) => d.open === 0 && !d.recorded)).toBe(true);
    expect(report.candidates.every((c) => c.ok)).toBe(true);
  });

  it('trains the forest on a store closed for six months whose backtest folds start just after it reopened', async () => {
    // Prepare: Rossmann's refurbishments last about 180 days; this one 184, ending 20 days before
    // the first backtest fold (3 folds of 42 days before day 900)
    const full = syntheticSeries({ days: 900, seed: 9 });
    const reopen = 900 - 3 * 42 - 20;
    const series = { ...full, days: full.days.filter((_, i) => i < reopen - 184 || i >= reopen) };
    // Act
    const report = await trainStore(series);
    // Assess: every fold forecast from the level the store had before it closed
    const forest = report.candidates.find((c) => c.kind === 'forest');
    expect(forest?.ok ? forest.backtest.folds.length : forest?.reason).toBe(3);
  });

  it('returns only the planned days when the plan skips some', async () => {
    // Prepare: the plan starts three days after the last day of data
    const series = syntheticSeries({ days: 400, seed: 6 });
    const model = await fitCandidate('forest', series);
    const planned = plannedAfter(series, 10).slice(3);
    // Act
    const points = forecastStore(model, series, planned);
    // Assess
    expect(points.map((p) => p.date)).toEqual(planned.map((p) => p.date));
  });

  it('refuses days out of order and planned days before the last day', async () => {
    // Prepare
    const series = syntheticSeries({ days: 300 });
    const model = await fitCandidate('sarimax', series);
    const swapped = {
      ...series,
      days: [series.days[1], series.days[0], ...series.days.slice(2)],
    } as typeof series;
    // Act / Assess
    expect(() => historyTimeline(swapped)).toThrow(/date order/);
    expect(() =>
      forecastStore(model, series, [{ ...plannedAfter(series, 1)[0], date: series.days[10]?.date } as never]),
    ).toThrow(/must follow the history's last day/);
  });
});
