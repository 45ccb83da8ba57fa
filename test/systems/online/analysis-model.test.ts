import { describe, expect, it } from 'vitest';
import {
  analyseVariables,
  featureCorrelations,
  normaliseImportance,
  pearson,
  ranks,
  spearman,
} from '../../../systems/online/model/variable-analysis.js';
import { generateOnlineRecords, INFORMATIVE } from '../../../systems/online/records/generator.js';

const range = {
  startTime: '2024-01-01T00:00:00.000Z',
  endTime: '2024-01-01T01:40:00.000Z',
  createdAt: 'now',
};

describe('variable analysis (pure)', () => {
  it('computes Pearson and Spearman as the textbook does, ties sharing their average rank', () => {
    // Act & Assess
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    // Monotone but not linear: Spearman sees a perfect relation, Pearson less than one.
    const xs = [1, 2, 3, 4, 5, 6];
    const ys = xs.map((x) => Math.exp(x));
    expect(spearman(xs, ys)).toBe(1);
    expect(pearson(xs, ys)).toBeLessThan(0.95);
  });

  it('finds the informative features of the label and the target, and the irrelevant ones last', () => {
    // Prepare
    const records = generateOnlineRecords({ seed: 13, count: 3000 });
    // Act
    const rows = featureCorrelations(records);
    // Assess
    const strength = (feature: string, against: 'label' | 'target') =>
      Math.abs(rows.find((r) => r.feature === feature)?.[against].pearson ?? 0);
    for (const noise of INFORMATIVE.irrelevant) {
      for (const feature of INFORMATIVE.label)
        expect(strength(feature, 'label')).toBeGreaterThan(strength(noise, 'label') + 0.1);
      expect(strength('load_pct', 'target')).toBeGreaterThan(strength(noise, 'target') + 0.5);
    }
    expect(
      rows
        .slice(-2)
        .map((r) => r.feature)
        .sort(),
    ).toEqual([...INFORMATIVE.irrelevant].sort());
    expect(rows.every((r) => r.n === 3000)).toBe(true);
  });

  it('counts a re-sent tick once and draws both pictures, one bar per feature', () => {
    // Prepare
    const records = generateOnlineRecords({ seed: 13, count: 200 });
    // Act
    const { report, pictures } = analyseVariables({
      ...range,
      records: [...records, ...records.slice(50, 60)],
      models: {
        classification: {
          modelName: 'hoeffding-tree',
          learned: 200,
          importance: normaliseImportance({ motor_temp_c: 3, vibration_mm_s: 1 }),
        },
      },
    });
    // Assess
    expect(report).toMatchObject({ records: 200, firstTick: 0, lastTick: 199 });
    expect(report.features).toHaveLength(9);
    expect(report.models.classification?.importance).toEqual({ motor_temp_c: 0.75, vibration_mm_s: 0.25 });
    expect(pictures.correlations.match(/<rect x="200"/g)).toHaveLength(18);
    expect(pictures.correlations).toContain('motor_temp_c');
    expect(pictures.importance).toContain('hoeffding-tree');
    expect(pictures.importance).toContain('no checkpoint yet');
  });

  it('reports an empty range without failing', () => {
    // Act
    const { report, pictures } = analyseVariables({ ...range, records: [], models: {} });
    // Assess
    expect(report).toMatchObject({ records: 0, labelRate: null, features: [], firstTick: null });
    expect(pictures.correlations).toContain('no data');
  });
});
