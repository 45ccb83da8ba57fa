import { describe, expect, it } from 'vitest';
import { GaussianNB } from '../../../../../core/online/bayes/gaussian-nb.js';
import { LogisticRegression } from '../../../../../core/online/linear/logistic-regression.js';
import { HoeffdingTreeClassifier } from '../../../../../core/online/tree/hoeffding-tree-classifier.js';
import { type LabelledRecord, linearStream, prequentialAccuracy, thresholdStream } from './streams.js';

const TREE = { gracePeriod: 200, delta: 1e-7, tau: 0.05, maxDepth: 50, leafPrediction: 'nba' } as const;

describe('LogisticRegression', () => {
  it('learns a separable problem to 95 % prequential accuracy, weighting the informative features', () => {
    // Prepare
    const model = new LogisticRegression({ learningRate: 0.01, l2: 0, standardize: true });
    const records = linearStream({ seed: 1, count: 5000 });

    // Act
    const accuracy = prequentialAccuracy(model, records);

    // Assess
    expect(accuracy).toBeGreaterThan(0.95);
    const importance = model.importance();
    expect(importance.signal).toBeGreaterThan(10 * (importance.noise1 as number));
    expect(importance.helper).toBeGreaterThan(10 * (importance.noise2 as number));
  });

  it('learns a noisy problem close to its Bayes rate', () => {
    // Prepare: noise of sd 1 on a score of sd √13 caps accuracy near 91 %
    const model = new LogisticRegression({ learningRate: 0.01, l2: 0.001, standardize: true });
    const records = linearStream({ seed: 2, count: 8000, noise: 1 });

    // Act
    const accuracy = prequentialAccuracy(model, records, 2000);

    // Assess
    expect(accuracy).toBeGreaterThan(0.85);
  });

  it('predicts 0.5 before learning and follows River’s first SGD step exactly', () => {
    // Prepare: logit 0 → p 0.5; log-loss gradient for y = 1 is −1/(e⁰ + 1) = −0.5
    const model = new LogisticRegression({ learningRate: 0.1, l2: 0, standardize: false });
    const before = model.predictProbability({ a: 2 });

    // Act
    model.learn({ a: 2 }, 1);

    // Assess: intercept 0.05, weight 0.1 · 2 · 0.5 = 0.1 → logit 0.05 + 0.1·2 = 0.25
    expect(before).toBe(0.5);
    expect(model.data()).toEqual({ weights: { a: 0.1 }, intercept: 0.05 });
    expect(model.predictProbability({ a: 2 })).toBeCloseTo(1 / (1 + Math.exp(-0.25)), 15);
  });

  it('reads a missing feature as 0 and takes in features that appear mid-stream', () => {
    // Prepare: the class is carried by `late`, which only exists from the 1,000th record on
    const model = new LogisticRegression({ learningRate: 0.05, l2: 0, standardize: false });
    const records = linearStream({ seed: 3, count: 4000 }).map(
      ({ x, y }, i): LabelledRecord =>
        i < 1000
          ? { x: { noise1: x.noise1 as number }, y }
          : { x: { noise1: x.noise1 as number, late: y * 2 - 1 }, y },
    );

    // Act
    const lateAccuracy = prequentialAccuracy(model, records, 2000);

    // Assess
    expect(lateAccuracy).toBeGreaterThan(0.99);
    expect(model.predictProbability({})).toBeGreaterThan(0);
    expect(Number.isFinite(model.predictProbability({ noise1: 1 }))).toBe(true);
    expect(model.importance().late).toBeGreaterThan(model.importance().noise1 as number);
  });
});

describe('GaussianNB', () => {
  it("predicts River's doc example: close to the first class's cloud", () => {
    // Prepare: River's GaussianNB example, class 1 → 0 and class 2 → 1
    const model = new GaussianNB();
    const xs = [
      [-1, -1],
      [-2, -1],
      [-3, -2],
      [1, 1],
      [2, 1],
      [3, 2],
    ];
    xs.forEach(([a, b], i) => {
      model.learn({ 0: a as number, 1: b as number }, i < 3 ? 0 : 1);
    });

    // Act
    const p = model.predictProbability({ 0: -0.8, 1: -1 });

    // Assess: by hand, class 0: N(-2, 1) and N(-4/3, 1/3); class 1: N(2, 1) and N(4/3, 1/3)
    const pdf = (x: number, mean: number, variance: number): number =>
      Math.exp(-((x - mean) ** 2) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
    const l0 = Math.log(1e-9 + pdf(-0.8, -2, 1)) + Math.log(1e-9 + pdf(-1, -4 / 3, 1 / 3));
    const l1 = Math.log(1e-9 + pdf(-0.8, 2, 1)) + Math.log(1e-9 + pdf(-1, 4 / 3, 1 / 3));
    expect(p).toBeCloseTo(1 / (1 + Math.exp(l0 - l1)), 12);
    expect(p).toBeLessThan(0.001);
  });

  it('learns a noisy problem to 85 % and ranks the informative features first', () => {
    // Prepare
    const model = new GaussianNB();
    const records = linearStream({ seed: 4, count: 6000, noise: 0.5 });

    // Act
    const accuracy = prequentialAccuracy(model, records, 1000);

    // Assess
    expect(accuracy).toBeGreaterThan(0.85);
    const importance = model.importance();
    expect(importance.signal).toBeGreaterThan(5 * (importance.noise1 as number));
    expect(importance.helper).toBeGreaterThan(5 * (importance.noise2 as number));
  });

  it('answers 0.5 before learning and the only class seen after one class', () => {
    // Prepare
    const model = new GaussianNB();
    const before = model.predictProbability({ a: 1 });

    // Act
    model.learn({ a: 1 }, 1);

    // Assess
    expect(before).toBe(0.5);
    expect(model.predictProbability({ a: 5 })).toBe(1);
  });
});

describe('HoeffdingTreeClassifier', () => {
  it('splits on the informative feature, not on noise, and learns the threshold', () => {
    // Prepare
    const model = new HoeffdingTreeClassifier(TREE);
    const records = thresholdStream({ seed: 5, count: 6000 });

    // Act
    const accuracy = prequentialAccuracy(model, records, 3000);

    // Assess
    const { splits } = model.shape();
    expect(splits.length).toBeGreaterThan(0);
    expect(splits[0]?.feature).toBe('key');
    expect(Math.abs((splits[0]?.threshold as number) - 0.3)).toBeLessThan(0.2);
    expect(accuracy).toBeGreaterThan(0.97);
    const importance = model.importance();
    expect(importance.key).toBeGreaterThan(0.9);
    const total = Object.values(importance).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('learns a noisy linear concept to 85 %', () => {
    // Prepare
    const model = new HoeffdingTreeClassifier(TREE);
    const records = linearStream({ seed: 6, count: 10000, noise: 0.5 });

    // Act
    const accuracy = prequentialAccuracy(model, records, 2000);

    // Assess
    expect(accuracy).toBeGreaterThan(0.85);
    const importance = model.importance();
    expect((importance.signal as number) + (importance.helper as number)).toBeGreaterThan(0.8);
  });

  it('never grows past maxDepth', () => {
    // Prepare
    const model = new HoeffdingTreeClassifier({ ...TREE, gracePeriod: 50, maxDepth: 2 });

    // Act
    prequentialAccuracy(model, linearStream({ seed: 7, count: 8000, noise: 0.3 }));

    // Assess
    expect(model.shape().depth).toBeLessThanOrEqual(2);
    expect(model.shape().splits.length).toBeGreaterThan(0);
  });

  it('reads a feature missing from a record as 0 when a branch tests it', () => {
    // Prepare: a tree split on `key` around 0.3; 0 is below it, so class 0 is the answer
    const model = new HoeffdingTreeClassifier({ ...TREE, leafPrediction: 'mc' });
    prequentialAccuracy(model, thresholdStream({ seed: 8, count: 4000 }));

    // Act
    const p = model.predictProbability({ noiseA: 0.1 });

    // Assess
    expect(model.shape().splits[0]?.feature).toBe('key');
    expect(p).toBeLessThan(0.1);
  });
});
