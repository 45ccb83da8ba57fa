import { describe, expect, it } from 'vitest';
import { logLoss } from '../../../../core/ml/metrics/index.js';

describe('logLoss', () => {
  it('matches a hand computation for binary probabilities', () => {
    // Prepare: P(1) = 0.8 for a positive and 0.3 for a negative.
    // Loss = −(ln 0.8 + ln 0.7) / 2 = (0.2231435513 + 0.3566749439) / 2 = 0.2899092476.
    const labels = [1, 0];
    const probabilities = [0.8, 0.3];

    // Act
    const loss = logLoss(labels, probabilities);

    // Assess
    expect(loss).toBeCloseTo(0.2899092476, 9);
  });

  it('matches a hand computation for multi-class rows', () => {
    // Prepare: true classes 0 and 2 get 0.7 and 0.6: −(ln 0.7 + ln 0.6) / 2 = 0.4337502838.
    const labels = [0, 2];
    const rows = [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
    ];

    // Act
    const loss = logLoss(labels, rows);

    // Assess
    expect(loss).toBeCloseTo(0.4337502838, 9);
  });

  it('clips certain mistakes to a large finite loss', () => {
    // Prepare: a positive given probability 0; eps 1e-15 → −ln(1e-15) = 34.5387763949.

    // Act
    const loss = logLoss([1], [0]);

    // Assess
    expect(loss).toBeCloseTo(34.5387763949, 9);
    expect(logLoss([1], [0], { eps: 1e-3 })).toBeCloseTo(-Math.log(1e-3), 12);
  });

  it('rejects labels and probabilities it cannot score', () => {
    // Prepare / Act / Assess
    expect(() => logLoss([2], [0.5])).toThrow('label 0 is 2; expected 0 or 1');
    expect(() => logLoss([3], [[0.5, 0.5]])).toThrow('label 0 is 3; expected a class index in 0..1');
    expect(() => logLoss([1], [1.5])).toThrow('probability 0 is 1.5; expected a number in [0, 1]');
    expect(() => logLoss([1, 0], [0.5])).toThrow(/expected equal lengths/);
  });
});
