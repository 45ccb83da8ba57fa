import { describe, expect, it } from 'vitest';
import { bestCandidate, type CandidateOutcome, trainStore } from '../../../../systems/sales/model/index.js';
import { syntheticSeries } from './synthetic-series.js';

describe('trainStore', () => {
  it('fits both families, scores the baselines on the same folds, and both families beat the weekday mean', async () => {
    // Prepare: promotions every other week, a yearly swing and a December peak
    const series = syntheticSeries({ days: 900, seed: 5 });
    // Act
    const report = await trainStore(series);
    // Assess
    expect(report.store).toBe(series.profile.store);
    const weekdayMean = report.baselines['recent-weekday-mean'];
    expect(weekdayMean.folds).toHaveLength(3);
    for (const candidate of report.candidates) {
      if (!candidate.ok) throw new Error(`${candidate.kind}: ${candidate.reason}`);
      expect(candidate.backtest.folds.map((f) => f.origin)).toEqual(weekdayMean.folds.map((f) => f.origin));
      expect(candidate.backtest.rmspe).toBeLessThan(weekdayMean.rmspe);
      expect(candidate.model.trainedThrough).toBe(series.days.at(-1)?.date);
    }
    expect(report.candidates.map((c) => c.kind)).toEqual(['sarimax', 'forest']);
  });

  it('names as best the family with the lowest backtest RMSPE', async () => {
    // Prepare
    const report = await trainStore(syntheticSeries({ days: 800, seed: 9 }));
    const scored = report.candidates.flatMap((c) => (c.ok ? [c] : []));
    // Act
    const lowest = scored.reduce((a, b) => (b.backtest.rmspe < a.backtest.rmspe ? b : a));
    // Assess
    expect(report.best).toBe(lowest.kind);
  });

  it('reports a family that cannot fit a short series instead of throwing', async () => {
    // Prepare: 200 days hold the SARIMAX folds but not the forest's lag features
    const series = syntheticSeries({ days: 200, seed: 2 });
    // Act
    const report = await trainStore(series, { folds: 1 });
    // Assess
    const forest = report.candidates.find((c) => c.kind === 'forest');
    expect(forest?.ok).toBe(false);
    expect(forest && !forest.ok && forest.reason).toMatch(/too short/);
    expect(report.best).toBe('sarimax');
  });

  it('reports every family on a series too short for one fold, with no best', async () => {
    // Act
    const report = await trainStore(syntheticSeries({ days: 30 }));
    // Assess
    expect(report.candidates.every((c) => !c.ok)).toBe(true);
    expect(report.best).toBeUndefined();
  });

  it('ignores failed candidates when choosing the best', () => {
    // Prepare
    const failed: CandidateOutcome = { kind: 'sarimax', ok: false, reason: 'too short' };
    const fitted = {
      kind: 'forest',
      ok: true,
      backtest: { rmspe: 0.5, folds: [] },
      model: {},
    } as unknown as CandidateOutcome;
    // Act / Assess
    expect(bestCandidate([failed, fitted])).toBe('forest');
    expect(bestCandidate([failed])).toBeUndefined();
  });
});
