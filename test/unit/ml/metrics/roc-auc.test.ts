import { describe, expect, it } from 'vitest';
import { MetricInputError, rocAuc } from '../../../../core/ml/metrics/index.js';

describe('rocAuc (Mann–Whitney with average ranks)', () => {
  it('matches a hand computation with tied scores', () => {
    // Prepare: scores [0.1, 0.4, 0.35, 0.8, 0.4], labels [0, 0, 1, 1, 1].
    // Ranks ascending: 0.1 → 1, 0.35 → 2, the two 0.4s share (3 + 4) / 2 = 3.5, 0.8 → 5.
    // Positives are 0.35, 0.8 and one 0.4: R⁺ = 2 + 5 + 3.5 = 10.5.
    // U = R⁺ − n⁺(n⁺+1)/2 = 10.5 − 6 = 4.5; AUC = U / (n⁺·n⁻) = 4.5 / 6 = 0.75.
    // Pairwise check: (0.35>0.1) 1, (0.35<0.4) 0, (0.8>0.1) 1, (0.8>0.4) 1, (0.4>0.1) 1, (0.4=0.4) ½ → 4.5/6.
    const scores = [0.1, 0.4, 0.35, 0.8, 0.4];
    const labels = [0, 0, 1, 1, 1];

    // Act
    const auc = rocAuc(labels, scores);

    // Assess
    expect(auc).toBe(0.75);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    // Prepare
    const labels = [0, 0, 1, 1];

    // Act / Assess
    expect(rocAuc(labels, [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc(labels, [0.4, 0.3, 0.2, 0.1])).toBe(0);
    expect(rocAuc(labels, [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([false, true], Float64Array.from([0.2, 0.9]))).toBe(1);
  });

  it('agrees with brute-force pair counting on scores with many ties', () => {
    // Prepare: scores on a coarse grid so ties are common.
    let state = 7;
    const random = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    const labels = Array.from({ length: 300 }, () => (random() < 0.3 ? 1 : 0));
    const scores = labels.map((y) => Math.round((random() + 0.3 * y) * 10) / 10);

    // Act
    const auc = rocAuc(labels, scores);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = 0; j < labels.length; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        pairs++;
        const si = scores[i] as number;
        const sj = scores[j] as number;
        wins += si > sj ? 1 : si === sj ? 0.5 : 0;
      }
    }

    // Assess
    expect(auc).toBeCloseTo(wins / pairs, 12);
  });

  it('rejects one-class labels, non-binary labels, NaN scores and length mismatches', () => {
    // Prepare / Act / Assess
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(
      'labels contain only positives; ROC-AUC needs at least one of each',
    );
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow('label 1 is 2; expected 0/1 or false/true');
    expect(() => rocAuc([0, 1], [0.2, Number.NaN])).toThrow('score 1 is NaN; expected a number');
    expect(() => rocAuc([0, 1], [0.2])).toThrow(MetricInputError);
  });
});
