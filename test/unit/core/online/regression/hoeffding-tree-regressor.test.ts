import { describe, expect, it } from 'vitest';
import {
  HoeffdingTreeRegressor,
  type HoeffdingTreeRegressorSettings,
} from '../../../../../core/online/tree/hoeffding-tree-regressor.js';
import { prequentialMae, regressionStream, type StreamFeatures } from './streams.js';

const riverDefaults: HoeffdingTreeRegressorSettings = {
  gracePeriod: 200,
  delta: 1e-7,
  tau: 0.05,
  maxDepth: 50,
  leafPrediction: 'adaptive',
};
/** A step in `a` (−10 below 0.5, +10 above), nothing from the other features. */
const step = (x: StreamFeatures) => (x.a > 0.5 ? 10 : -10);
/** Piecewise linear: a slope in `b` whose sign flips with `a`. */
const piecewise = (x: StreamFeatures) => (x.a > 0 ? 2 * x.b + 4 : -3 * x.b);

describe('HoeffdingTreeRegressor', () => {
  it('splits first on the informative feature, near its step, and then predicts the step', () => {
    // Prepare
    const records = regressionStream(21, 3000, step, 0.5);
    const tree = new HoeffdingTreeRegressor(riverDefaults);

    // Act
    const mae = prequentialMae(tree, records, 2000);

    // Assess: the noise's own MAE is 0.4; the root splits on a at the step; a carries the importance.
    expect(mae).toBeLessThan(0.6);
    const [root] = tree.shape().splits;
    expect(root?.feature).toBe('a');
    expect(root?.threshold).toBeGreaterThan(0.3);
    expect(root?.threshold).toBeLessThan(0.7);
    const importance = tree.importance();
    expect(importance.a).toBeGreaterThan(0.9);
    expect(Object.values(importance).reduce((sum, v) => sum + v, 0)).toBeCloseTo(1, 12);
    expect(Object.keys(importance).sort()).toEqual(['a', 'b', 'noise', 'rpm']);
  });

  it('with linear leaves, fits a piecewise linear target far better than its mean', () => {
    // Prepare: the target's spread is about 2.4 MAE around its mean.
    const records = regressionStream(22, 8000, piecewise, 0.1);
    const tree = new HoeffdingTreeRegressor(riverDefaults);
    const meanOnly = new HoeffdingTreeRegressor({ ...riverDefaults, leafPrediction: 'mean' });

    // Act
    const mae = prequentialMae(tree, records, 6000);
    const meanMae = prequentialMae(meanOnly, records, 6000);

    // Assess
    expect(mae).toBeLessThan(0.5);
    expect(mae).toBeLessThan(meanMae / 2);
    expect(tree.shape().splits[0]?.feature).toBe('a');
  });

  it('does not grow below maxDepth', () => {
    // Prepare
    const records = regressionStream(23, 6000, piecewise, 0.1);
    const tree = new HoeffdingTreeRegressor({ ...riverDefaults, maxDepth: 1 });

    // Act
    prequentialMae(tree, records);

    // Assess
    const shape = tree.shape();
    expect(shape.branches).toBe(1);
    expect(shape.depth).toBe(1);
  });

  it('predicts 0 before learning and continues bit-identically from its JSON state', () => {
    // Prepare
    const records = regressionStream(24, 4000, piecewise, 0.3);
    const straight = new HoeffdingTreeRegressor(riverDefaults);
    let resumed = new HoeffdingTreeRegressor(riverDefaults);
    expect(straight.predict({ a: 1 })).toBe(0);

    // Act: the second one goes through JSON every 1,500 records, mid grace period.
    const first: number[] = [];
    const second: number[] = [];
    records.forEach(({ x, y }, index) => {
      if (index % 1500 === 1499) {
        resumed = HoeffdingTreeRegressor.restore(riverDefaults, JSON.parse(JSON.stringify(resumed.state())));
      }
      first.push(straight.predict(x));
      second.push(resumed.predict(x));
      straight.learn(x, y);
      resumed.learn(x, y);
    });

    // Assess
    expect(second).toEqual(first);
    expect(resumed.state()).toEqual(straight.state());
    expect(straight.shape().branches).toBeGreaterThan(0);
  });
});
