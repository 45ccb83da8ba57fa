import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/data/input-fields.js';
import {
  bestF1Threshold,
  ChurnTrainingError,
  evaluate,
  scoreCustomers,
  splitByTime,
  trainChurnModel,
} from '../../../systems/churn/model/training.js';
import { parseTrainingSettings } from '../../../systems/churn/model/training-settings.js';
import { days, FAST_SETTINGS, FEATURES, population } from './model-fixtures.js';

const settings = parseTrainingSettings(FAST_SETTINGS);

describe('time-based split', () => {
  it('puts the latest snapshots in the holdout, the ones before in calibration and the rest in training', () => {
    // Prepare
    const matrix = population({ customers: 200, days: days('2024-03-01', 6), seed: 1 });
    // Act
    const split = splitByTime(matrix, { calibrationSnapshots: 2, holdoutSnapshots: 1 });
    // Assess
    expect([...new Set(split.train.snapshots)]).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    expect([...new Set(split.calibration.snapshots)]).toEqual(['2024-03-04', '2024-03-05']);
    expect([...new Set(split.holdout.snapshots)]).toEqual(['2024-03-06']);
    expect(split.train.labels.length + split.calibration.labels.length + split.holdout.labels.length).toBe(
      1200,
    );
  });

  it('refuses too few snapshots, and a part with one class only, naming the part', () => {
    // Prepare
    const matrix = population({ customers: 100, days: days('2024-03-01', 3), seed: 2 });
    const noChurnLastDay = {
      ...matrix,
      labels: matrix.labels.map((y, i) => (matrix.snapshots[i] === '2024-03-03' ? 0 : y)),
    };
    // Act / Assess
    expect(() => splitByTime(matrix, { calibrationSnapshots: 2, holdoutSnapshots: 1 })).toThrow(
      /3 snapshot day\(s\); the split needs at least 4/,
    );
    expect(() => splitByTime(noChurnLastDay, { calibrationSnapshots: 1, holdoutSnapshots: 1 })).toThrow(
      /holdout part \(2024-03-03…2024-03-03\) has 100 rows of one class only/,
    );
    expect(() => splitByTime(noChurnLastDay, { calibrationSnapshots: 1, holdoutSnapshots: 1 })).toThrow(
      InputError,
    );
  });
});

describe('churn model training', () => {
  const data = splitByTime(population({ customers: 600, days: days('2024-03-01', 6), seed: 3 }), settings);
  const model = trainChurnModel(data.train, data.calibration, settings, data.holdout);

  it('ranks churners well on the holdout, with a threshold in (0, 1) and the true driver the most important feature', () => {
    // Act
    const metrics = evaluate(model, data.holdout);
    // Assess
    expect(metrics.rocAuc as number).toBeGreaterThan(0.8);
    expect(metrics.f1).toBeGreaterThan(0.4);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    expect(model.importances[0]?.feature).toBe('careCalls30d');
    expect(model.importances.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 9);
    expect(metrics.rows).toBe(600);
    expect(metrics.brier).toBeLessThan(0.15);
  });

  it('serves calibrated probabilities: on the holdout their mean is close to the churn rate', () => {
    // Act
    const { probabilities, decisions } = scoreCustomers(model, data.holdout);
    // Assess
    const mean = probabilities.reduce((s, p) => s + p, 0) / probabilities.length;
    const rate = data.holdout.labels.reduce((s, y) => s + y, 0) / data.holdout.labels.length;
    expect(Math.abs(mean - rate)).toBeLessThan(0.04);
    expect(decisions.every((d, i) => d === ((probabilities[i] as number) >= model.threshold ? 1 : 0))).toBe(
      true,
    );
  });

  it('is plain JSON: a round-tripped model scores the same', () => {
    // Act
    const copy = JSON.parse(JSON.stringify(model));
    // Assess
    expect(scoreCustomers(copy, data.holdout).probabilities).toEqual(
      scoreCustomers(model, data.holdout).probabilities,
    );
  });

  it('refuses feature columns that differ from the model, saying which', () => {
    const reordered = { featureNames: [...FEATURES].reverse(), features: [] };
    const missing = { featureNames: FEATURES.slice(1), features: [] };
    expect(() => scoreCustomers(model, reordered)).toThrow(/same names in another order/);
    expect(() => scoreCustomers(model, missing)).toThrow(/missing careCalls30d/);
    expect(() => scoreCustomers(model, missing)).toThrow(ChurnTrainingError);
  });
});

describe('best-F1 threshold', () => {
  it('flags exactly the rows that maximise F1 and sits halfway to the next probability', () => {
    // Flag {0.9, 0.8}: F1 = 4/5; adding 0.6 (a stayer) gives 4/6; adding 0.4 too gives 6/7 — the best.
    const threshold = bestF1Threshold([0.9, 0.8, 0.6, 0.4, 0.1], [1, 1, 0, 1, 0]);
    expect(threshold).toBeCloseTo(0.25, 12);
  });
});

describe('training settings', () => {
  it('takes defaults and names the field that is wrong', () => {
    expect(parseTrainingSettings({})).toMatchObject({
      nTrees: 100,
      classWeight: 'balanced',
      holdoutSnapshots: 1,
    });
    expect(() => parseTrainingSettings({ nTrees: 0 })).toThrow(
      /nTrees must be a whole number from 1 to 1000, got 0/,
    );
    expect(() => parseTrainingSettings({ classWeight: 'heavy' })).toThrow(
      /classWeight must be "balanced" or "none"/,
    );
    expect(() => parseTrainingSettings({ pcaVariance: 2 })).toThrow(/pcaVariance/);
  });
});
