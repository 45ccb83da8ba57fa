import { describe, expect, it } from 'vitest';
import { generateChurnData } from '../../../../core/data/churn-generator.js';
import { RandomForestClassifier } from '../../../../core/ml/forest/index.js';
import { accuracy, recall } from '../../../../core/ml/metrics/index.js';

/** Decodes one base64 array of a saved model (the documented little-endian layout). */
function float64s(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from(
    new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  );
}

function int32s(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from(
    new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  );
}

/** One deterministic tree on every row and every feature: the hand-checkable configuration. */
const singleTree = { nTrees: 1, bootstrap: false, maxFeatures: 'all' } as const;

describe('RandomForestClassifier on hand-checked data', () => {
  it('splits a perfectly separable 1-D set at the midpoint 3.5 between the classes', () => {
    // Prepare: x = 1..6, class 0 for x ≤ 3 and class 1 for x ≥ 4.
    const features = [[1], [2], [3], [4], [5], [6]];
    const labels = [0, 0, 0, 1, 1, 1];

    // Act
    const model = new RandomForestClassifier(singleTree).fit(features, labels);
    const json = model.toJSON();

    // Assess: one root split "x ≤ 3.5" and two pure leaves.
    expect(json.nNodes).toBe(3);
    expect(int32s(json.arrays.feature)).toEqual([0, -1, -1]);
    expect(float64s(json.arrays.threshold)[0]).toBe(3.5);
    expect(model.predictProba([[3.4], [3.6]])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(model.predict(features)).toEqual(labels);
  });

  it('needs depth 2 for XOR: depth 1 is a coin flip, depth 2 is perfect', () => {
    // Prepare: the four XOR corners, five copies each. Any single split leaves every side 50/50
    // (Gini gain 0), so only a second level can separate the classes.
    const corners = [
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ];
    const features = corners.flatMap(([a, b]) => Array.from({ length: 5 }, () => [a as number, b as number]));
    const labels = corners.flatMap(([, , y]) => Array.from({ length: 5 }, () => y as number));

    // Act
    const shallow = new RandomForestClassifier({ ...singleTree, maxDepth: 1 }).fit(features, labels);
    const deep = new RandomForestClassifier({ ...singleTree, maxDepth: 2 }).fit(features, labels);

    // Assess: depth 1 gives probability 0.5 everywhere; depth 2 classifies every corner.
    expect(shallow.predictProba([[0, 0]])[0]).toEqual([0.5, 0.5]);
    expect(deep.predict(features)).toEqual(labels);
    expect(deep.predictProba([[0, 1]])[0]).toEqual([0, 1]);
  });

  it('returns leaf class distributions as probabilities, not votes', () => {
    // Prepare: x = 0 holds classes [0, 0, 1]; x = 1 holds [1, 1, 1]. The x = 0 leaf is impure:
    // P(class 1 | x = 0) = 1/3 by hand.
    const features = [[0], [0], [0], [1], [1], [1]];
    const labels = [0, 0, 1, 1, 1, 1];

    // Act: three identical trees (no bootstrap), so the mean equals each tree's leaf.
    const model = new RandomForestClassifier({ ...singleTree, nTrees: 3 }).fit(features, labels);
    const [atZero, atOne] = model.predictProba([[0], [1]]);

    // Assess
    expect(atZero?.[0]).toBeCloseTo(2 / 3, 12);
    expect(atZero?.[1]).toBeCloseTo(1 / 3, 12);
    expect(atOne).toEqual([0, 1]);
  });

  it('handles multi-class string labels, ordering probability columns by sorted class', () => {
    // Prepare: three bands of x labelled with strings.
    const features = Array.from({ length: 30 }, (_, i) => [i]);
    const labels = features.map(([x]) =>
      (x as number) < 10 ? 'stay' : (x as number) < 20 ? 'downgrade' : 'churn',
    );

    // Act
    const model = new RandomForestClassifier({ nTrees: 10, seed: 3 }).fit(features, labels);

    // Assess: classes sorted; predictions right away from the band edges; rows sum to 1.
    expect(model.classes).toEqual(['churn', 'downgrade', 'stay']);
    expect(model.predict([[2], [15], [27]])).toEqual(['stay', 'downgrade', 'churn']);
    for (const row of model.predictProba([[2], [15], [27]])) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(Array.from(model.predictProbaOf([[27]], 'churn'))).toEqual([model.predictProba([[27]])[0]?.[0]]);
  });
});

describe('RandomForestClassifier on churn-like data', () => {
  const data = generateChurnData({ rows: 3000, seed: 11 });
  const train = { x: data.features.slice(0, 2400), y: data.labels.slice(0, 2400) };
  const test = { x: data.features.slice(2400), y: data.labels.slice(2400) };

  it('is reproducible: same seed gives the same model JSON, another seed a different one', () => {
    // Prepare
    const options = { nTrees: 5, seed: 7 };

    // Act
    const first = JSON.stringify(new RandomForestClassifier(options).fit(train.x, train.y).toJSON());
    const again = JSON.stringify(new RandomForestClassifier(options).fit(train.x, train.y).toJSON());
    const other = JSON.stringify(
      new RandomForestClassifier({ ...options, seed: 8 }).fit(train.x, train.y).toJSON(),
    );

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('reports an out-of-bag accuracy close to the held-out accuracy', () => {
    // Prepare
    const model = new RandomForestClassifier({ nTrees: 40, seed: 1, oobScore: true });

    // Act
    model.fit(train.x, train.y);
    const heldOut = accuracy(test.y, model.predict(test.x));

    // Assess: better than always predicting "stay" (~0.8) is not required, but it must be sane.
    expect(model.oobScore).not.toBeNull();
    expect(model.oobScore as number).toBeGreaterThan(0.7);
    expect(model.oobScore as number).toBeLessThan(0.95);
    expect(Math.abs((model.oobScore as number) - heldOut)).toBeLessThan(0.05);
  });

  it('leaves oobScore null unless asked for', () => {
    // Prepare / Act
    const model = new RandomForestClassifier({ nTrees: 2 }).fit(train.x, train.y);

    // Assess
    expect(model.oobScore).toBeNull();
  });

  it('raises recall of the rare class with balanced class weights', () => {
    // Prepare: 8 % churners; shallow trees keep impure leaves, where weights decide the vote.
    const rare = generateChurnData({ rows: 3000, seed: 5, positiveRate: 0.08 });
    const options = { nTrees: 30, seed: 2, maxDepth: 6 };

    // Act
    const plain = new RandomForestClassifier(options).fit(rare.features, rare.labels);
    const weighted = new RandomForestClassifier({ ...options, classWeight: 'balanced' }).fit(
      rare.features,
      rare.labels,
    );
    const plainRecall = recall(rare.labels, plain.predict(rare.features));
    const weightedRecall = recall(rare.labels, weighted.predict(rare.features));

    // Assess: unweighted trees almost never call the rare class at depth 6; balanced ones do.
    expect(weightedRecall).toBeGreaterThan(plainRecall + 0.3);
  });

  it('accepts explicit per-class weights keyed by label', () => {
    // Prepare
    const options = { nTrees: 10, seed: 2, maxDepth: 4 };

    // Act
    const heavy = new RandomForestClassifier({ ...options, classWeight: { 1: 10 } }).fit(train.x, train.y);
    const plain = new RandomForestClassifier(options).fit(train.x, train.y);

    // Assess
    expect(recall(train.y, heavy.predict(train.x))).toBeGreaterThan(recall(train.y, plain.predict(train.x)));
  });
});

describe('feature importances', () => {
  it('put almost all importance on the only informative feature and sum to 1', () => {
    // Prepare: the label is feature 1 > 0.5; features 0, 2, 3 are noise.
    let state = 1;
    const random = () => {
      state = (state * 16807) % 2147483647;
      return state / 2147483647;
    };
    const features = Array.from({ length: 600 }, () => [random(), random(), random(), random()]);
    const labels = features.map((row) => ((row[1] as number) > 0.5 ? 1 : 0));

    // Act
    const importances = new RandomForestClassifier({ nTrees: 20, seed: 4 }).fit(
      features,
      labels,
    ).featureImportances;

    // Assess
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(importances[1]).toBeGreaterThan(0.8);
    expect(Math.max(...importances)).toBe(importances[1]);
  });
});
