import { describe, expect, it } from 'vitest';
import { RandomForestRegressor } from '../../../../core/ml/forest/index.js';
import { outOfBagPredictions } from '../../../../systems/sales/model/out-of-bag.js';

describe('out-of-bag predictions', () => {
  it("reproduce the forest's own out-of-bag score and are worse than in-bag ones", () => {
    // Prepare: y = x0 + noise
    let state = 7;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const features = Array.from({ length: 300 }, () => [random(), random(), random()]);
    const targets = features.map(([x]) => (x as number) + 0.3 * (random() - 0.5));
    const forest = new RandomForestRegressor({ nTrees: 20, seed: 3, oobScore: true }).fit(features, targets);
    // Act (throws when its R² differs from the forest's out-of-bag score)
    const oob = outOfBagPredictions(forest.toJSON(), features, targets);
    // Assess
    const inBag = forest.predict(features);
    const squared = (p: ArrayLike<number>) =>
      targets.reduce((sum, y, r) => sum + (y - (p[r] as number)) ** 2, 0) / targets.length;
    expect(oob.every(Number.isFinite)).toBe(true);
    expect(squared(oob)).toBeGreaterThan(1.5 * squared(inBag));
  });
});
