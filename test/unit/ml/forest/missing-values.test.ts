import { describe, expect, it } from 'vitest';
import { RandomForestClassifier, RandomForestRegressor } from '../../../../core/ml/forest/index.js';

const singleTree = { nTrees: 1, bootstrap: false, maxFeatures: 'all' } as const;

describe('missing values (NaN)', () => {
  it('learns which side NaN goes to when missingness carries the label', () => {
    // Prepare: class 1 for x > 5 and for every missing x; class 0 for x ≤ 5.
    const present = Array.from({ length: 10 }, (_, i) => [i + 1]);
    const features = [...present, [Number.NaN], [Number.NaN], [Number.NaN]];
    const labels = [...present.map(([x]) => ((x as number) > 5 ? 1 : 0)), 1, 1, 1];

    // Act
    const model = new RandomForestClassifier(singleTree).fit(features, labels);

    // Assess: one split at 5.5 with NaN sent right, so training is perfect with 3 nodes.
    expect(model.toJSON().nNodes).toBe(3);
    expect(model.predict([[Number.NaN], [2], [9]])).toEqual([1, 0, 1]);
  });

  it('sends NaN left when the missing rows share the left class', () => {
    // Prepare: as above but missing rows are class 0.
    const present = Array.from({ length: 10 }, (_, i) => [i + 1]);
    const features = [...present, [Number.NaN], [Number.NaN]];
    const labels = [...present.map(([x]) => ((x as number) > 5 ? 1 : 0)), 0, 0];

    // Act
    const model = new RandomForestClassifier(singleTree).fit(features, labels);

    // Assess
    expect(model.toJSON().nNodes).toBe(3);
    expect(model.predict([[Number.NaN]])).toEqual([0]);
  });

  it('splits present from missing when only missingness is informative', () => {
    // Prepare: every present value is class 0, every missing one class 1.
    const features = [[1], [2], [3], [Number.NaN], [Number.NaN]];
    const labels = [0, 0, 0, 1, 1];

    // Act
    const model = new RandomForestClassifier(singleTree).fit(features, labels);

    // Assess
    expect(model.predict([[1e300], [-1e300], [Number.NaN]])).toEqual([0, 0, 1]);
  });

  it('sends NaN unseen in training to the child with more training weight', () => {
    // Prepare: x ≤ 3 is class 0 (3 rows), x ≥ 4 is class 1 (7 rows); no NaN in training.
    const features = Array.from({ length: 10 }, (_, i) => [i + 1]);
    const labels = features.map(([x]) => ((x as number) <= 3 ? 0 : 1));

    // Act
    const model = new RandomForestClassifier(singleTree).fit(features, labels);

    // Assess: the right child holds 7 of 10 rows, so NaN goes right → class 1.
    expect(model.predict([[Number.NaN]])).toEqual([1]);
  });

  it('trains without crashing on an all-NaN column and gives it no importance', () => {
    // Prepare
    const features = Array.from({ length: 40 }, (_, i) => [Number.NaN, i % 10, i % 3]);
    const labels = features.map((row) => ((row[1] as number) >= 5 ? 1 : 0));

    // Act
    const model = new RandomForestClassifier({ nTrees: 5, seed: 1 }).fit(features, labels);

    // Assess
    expect(model.featureImportances[0]).toBe(0);
    expect(model.predict([[Number.NaN, 8, 1]])).toEqual([1]);
  });

  it('handles NaN in regression features too', () => {
    // Prepare: y = 10 when x is missing, else y = x.
    const features = [[1], [2], [3], [4], [Number.NaN], [Number.NaN]];
    const targets = [1, 2, 3, 4, 10, 10];

    // Act
    const model = new RandomForestRegressor({ nTrees: 1, bootstrap: false }).fit(features, targets);

    // Assess
    expect(model.predict([[Number.NaN], [2]])).toEqual([10, 2]);
  });
});
