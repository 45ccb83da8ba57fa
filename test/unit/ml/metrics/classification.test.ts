import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  f1Score,
  MetricInputError,
  precision,
  recall,
} from '../../../../core/ml/metrics/index.js';

describe('classification metrics', () => {
  // TP = rows 0,1,2; FN = row 3; FP = rows 4,5; TN = rows 6,7.
  const yTrue = [1, 1, 1, 1, 0, 0, 0, 0];
  const yPred = [1, 1, 1, 0, 1, 1, 0, 0];

  it('computes accuracy, precision, recall and F1 from hand counts', () => {
    // Prepare: TP = 3, FP = 2, FN = 1, TN = 2 (see above).

    // Act
    const scores = [
      accuracy(yTrue, yPred),
      precision(yTrue, yPred),
      recall(yTrue, yPred),
      f1Score(yTrue, yPred),
    ];

    // Assess: accuracy 5/8; precision 3/5; recall 3/4; F1 = 2·3 / (2·3 + 2 + 1) = 2/3.
    expect(scores[0]).toBe(5 / 8);
    expect(scores[1]).toBe(3 / 5);
    expect(scores[2]).toBe(3 / 4);
    expect(scores[3]).toBe(6 / 9);
  });

  it('scores another positive label and macro averages', () => {
    // Prepare: for class 0, TP = 2, FP = 1, FN = 2.

    // Act
    const p0 = precision(yTrue, yPred, { positive: 0 });
    const r0 = recall(yTrue, yPred, { positive: 0 });
    const macroRecall = recall(yTrue, yPred, { average: 'macro' });

    // Assess: precision0 = 2/3, recall0 = 2/4; macro recall = (3/4 + 2/4) / 2 = 5/8.
    expect(p0).toBe(2 / 3);
    expect(r0).toBe(2 / 4);
    expect(macroRecall).toBe(5 / 8);
  });

  it('scores 0 instead of dividing by zero when nothing is predicted positive', () => {
    // Prepare / Act / Assess
    expect(precision([1, 0], [0, 0])).toBe(0);
    expect(f1Score([0, 0], [0, 0])).toBe(0);
  });

  it('builds a multi-class confusion matrix with true labels as rows', () => {
    // Prepare
    const truth = [0, 0, 1, 1, 1, 2];
    const predicted = [0, 1, 1, 1, 0, 2];

    // Act
    const { labels, matrix } = confusionMatrix(truth, predicted);

    // Assess
    expect(labels).toEqual([0, 1, 2]);
    expect(matrix).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
  });

  it('rejects mismatched or empty inputs and labels outside the given order', () => {
    // Prepare / Act / Assess
    expect(() => accuracy([1, 0], [1])).toThrow(
      'yTrue has 2 entries but yPred has 1; expected equal lengths',
    );
    expect(() => f1Score([], [])).toThrow(MetricInputError);
    expect(() => confusionMatrix([0, 3], [0, 0], [0, 1])).toThrow(
      /entry 1 has label 3, which is not in labels \[0, 1\]/,
    );
  });
});
