import { describe, expect, it } from 'vitest';
import { RandomForestRegressor } from '../../../../core/ml/forest/index.js';

describe('RandomForestRegressor', () => {
  it('learns a step function exactly with one unbootstrapped tree', () => {
    // Prepare: y = 1 for x ≤ 9 and 5 for x ≥ 10 on x = 0..19.
    const features = Array.from({ length: 20 }, (_, x) => [x]);
    const targets = features.map(([x]) => ((x as number) < 10 ? 1 : 5));

    // Act
    const model = new RandomForestRegressor({ nTrees: 1, bootstrap: false }).fit(features, targets);

    // Assess: one split at 9.5, two constant leaves.
    expect(model.toJSON().nNodes).toBe(3);
    expect(model.predict([[9.49], [9.51], [-100], [100]])).toEqual([1, 5, 1, 5]);
  });

  it('keeps the step exact at the ends of the range under bootstrap', () => {
    // Prepare: same step. Each tree's leaves are pure, and its single threshold lies between the
    // largest x it drew below the step and the smallest it drew above, so it is > 0 and < 19 unless a
    // bootstrap sample missed all ten rows of one side (chance ≈ 0.36^10 per tree). Rows at or beyond
    // the ends are therefore predicted exactly by every tree, whichever rows each tree drew.
    const features = Array.from({ length: 20 }, (_, x) => [x]);
    const targets = features.map(([x]) => ((x as number) < 10 ? 1 : 5));

    // Act
    const model = new RandomForestRegressor({ nTrees: 25, seed: 9 }).fit(features, targets);
    const predictions = model.predict([[-5], [0], [19], [25]]);

    // Assess
    expect(predictions).toEqual([1, 1, 5, 5]);
  });

  it('predicts a smooth function well and reports an out-of-bag R² near the held-out one', () => {
    // Prepare: y = sin(x0) + x1² with a noise feature x2.
    let state = 3;
    const random = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    const make = (n: number) => Array.from({ length: n }, () => [random() * 6, random() * 2 - 1, random()]);
    const f = (row: number[]) => Math.sin(row[0] as number) + (row[1] as number) ** 2;
    const train = make(1500);
    const test = make(300);

    // Act
    const model = new RandomForestRegressor({ nTrees: 30, seed: 1, oobScore: true }).fit(train, train.map(f));
    const predictions = model.predict(test);
    const truth = test.map(f);
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    const r2 =
      1 -
      truth.reduce((s, y, i) => s + (y - (predictions[i] as number)) ** 2, 0) /
        truth.reduce((s, y) => s + (y - mean) ** 2, 0);

    // Assess
    expect(r2).toBeGreaterThan(0.95);
    expect(model.oobScore as number).toBeGreaterThan(0.9);
    expect(Math.abs((model.oobScore as number) - r2)).toBeLessThan(0.05);
    expect(model.featureImportances[2]).toBeLessThan(0.05);
  });
});
