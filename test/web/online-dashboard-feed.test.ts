import { describe, expect, it } from 'vitest';
import {
  figuresOf,
  formatFigure,
  mergeResults,
  metricsSummary,
  predictionSummary,
  refreshOf,
  sinceTick,
  withRefresh,
} from '../../systems/online/web/feed.js';
import type { ClassificationResult, ModelMetricsView } from '../../systems/online/web/online-api.js';

/** The dashboard's plain helpers: what a tab keeps, asks for next, and shows. */
const result = (tick: number, truth: 0 | 1, probability: number): ClassificationResult => ({
  model: 'classification',
  tick,
  time: new Date(Date.UTC(2026, 0, 1) + tick * 2000).toISOString(),
  learnedAt: '2026-01-01T00:00:00.000Z',
  learned: tick + 1,
  driftResets: 0,
  modelName: 'hoeffding-tree',
  truth,
  probability,
  prediction: probability >= 0.5 ? 1 : 0,
  metrics: { count: tick + 1, accuracy: 0.5 + tick / 100, f1: null, logLoss: 0.69, rocAuc: null },
});

describe('what a tab keeps and asks for next', () => {
  it('adds only ticks after the last one kept, each once, in tick order, the newest few hundred', () => {
    // Prepare
    const kept = [result(1, 1, 0.6), result(2, 0, 0.3)];

    // Act
    const merged = mergeResults(kept, [
      result(4, 1, 0.9),
      result(2, 1, 0.99),
      result(3, 0, 0.1),
      result(4, 1, 0.9),
    ]);
    const capped = mergeResults(merged, [result(5, 0, 0.2)], 3);

    // Assess
    expect(merged.map((r) => r.tick)).toEqual([1, 2, 3, 4]);
    expect(merged[1]?.probability).toBe(0.3);
    expect(capped.map((r) => r.tick)).toEqual([3, 4, 5]);
  });

  it('asks from the tick after the last one it has, or for the last 600 before the latest', () => {
    // Act / Assess
    expect(sinceTick([result(7, 1, 0.5)], 100)).toBe(8);
    expect(sinceTick([], 1_000)).toBe(401);
    expect(sinceTick([], 12)).toBe(0);
  });
});

describe('the refresh choice in the address', () => {
  it('reads the tab’s own choice, the default when there is none or it is unknown', () => {
    // Act / Assess
    expect(refreshOf('?refresh=paused').ms).toBeNull();
    expect(refreshOf('?refresh=5s').ms).toBe(5_000);
    expect(refreshOf('').ms).toBe(2_000);
    expect(refreshOf('?refresh=0s').ms).toBe(2_000);
  });

  it('writes it beside the other parameters, and leaves the default out', () => {
    // Act / Assess
    expect(withRefresh('/systems/online?x=1', '10s')).toBe('/systems/online?x=1&refresh=10s');
    expect(withRefresh('/systems/online?refresh=10s', '2s')).toBe('/systems/online');
  });
});

describe('the figures and summaries', () => {
  it('shows the API’s numbers, a dash where it has none yet', () => {
    // Prepare
    const view: ModelMetricsView = {
      modelName: 'hoeffding-tree',
      settings: {},
      learned: 1234,
      driftResets: 1,
      metrics: { count: 500, accuracy: 0.8125, f1: null, logLoss: 0.41234, rocAuc: 0.9 },
      tick: 3_999,
      time: null,
      learnedAt: null,
    };

    // Act
    const figures = figuresOf('classification', view);

    // Assess
    expect(Object.fromEntries(figures.map((f) => [f.label, f.value]))).toEqual({
      Accuracy: 0.8125,
      F1: null,
      'ROC-AUC': 0.9,
      'Log-loss': 0.41234,
      Learned: 1234,
      'Drift resets': 1,
      'Latest tick': 3_999,
    });
    expect(figures.map(formatFigure)).toEqual(['0.813', '–', '0.900', '0.4123', '1,234', '1', '3,999']);
  });

  it('says in words what each chart shows', () => {
    // Prepare
    const results = [result(10, 1, 0.7), result(11, 0, 0.6), result(12, 1, 0.8)];

    // Act / Assess
    expect(predictionSummary(results)).toBe(
      '3 records, ticks 10 to 12: 2 of 3 classified right. Latest: P(class 1) 0.8, true class 1.',
    );
    expect(metricsSummary(results)).toBe(
      'Over ticks 10 to 12: Accuracy 0.6 → 0.62, F1 unknown → unknown, ROC-AUC unknown → unknown, Log-loss 0.69 → 0.69.',
    );
    expect(predictionSummary([])).toBe('No predictions yet.');
  });
});
