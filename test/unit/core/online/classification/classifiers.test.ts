import { describe, expect, it } from 'vitest';
import {
  createClassifier,
  defaultClassifierConfigs,
  parseClassifierConfig,
  restoreClassifier,
} from '../../../../../core/online/classifiers.js';
import type { ClassifierConfig } from '../../../../../core/online/types.js';
import { linearStream, prequentialAccuracy } from './streams.js';

const DRIFT = { detector: 'adwin', delta: 0.002 } as const;

const CONFIGS: [string, ClassifierConfig][] = [
  ...Object.values(defaultClassifierConfigs).map((c): [string, ClassifierConfig] => [c.model, c]),
  ['logistic-regression with drift', { ...defaultClassifierConfigs['logistic-regression'], drift: DRIFT }],
  [
    'hoeffding-tree mc with drift',
    { ...defaultClassifierConfigs['hoeffding-tree'], leafPrediction: 'mc', drift: DRIFT },
  ],
  ['gaussian-nb with drift', { model: 'gaussian-nb', drift: DRIFT }],
];

describe('createClassifier / restoreClassifier', () => {
  it.each(CONFIGS)(
    '%s: a JSON checkpoint halfway predicts and learns bit for bit like the original',
    (_, config) => {
      // Prepare: 2,000 records with an abrupt change in the middle, so drift resets happen too
      const records = linearStream({ seed: 11, count: 2000, noise: 0.5, flipAt: 700 });
      const uninterrupted = createClassifier(config);
      let checkpointed = createClassifier(config);
      for (const { x, y } of records.slice(0, 1000)) {
        uninterrupted.learn(x, y);
        checkpointed.learn(x, y);
      }

      // Act
      checkpointed = restoreClassifier(JSON.parse(JSON.stringify(checkpointed.state())));
      const mismatches: number[] = [];
      records.slice(1000).forEach(({ x, y }, i) => {
        if (!Object.is(uninterrupted.predictProbability(x), checkpointed.predictProbability(x)))
          mismatches.push(i);
        uninterrupted.learn(x, y);
        checkpointed.learn(x, y);
      });

      // Assess
      expect(mismatches).toEqual([]);
      expect(JSON.stringify(checkpointed.state())).toBe(JSON.stringify(uninterrupted.state()));
      expect(checkpointed.importance()).toEqual(uninterrupted.importance());
    },
  );

  it.each(CONFIGS)(
    '%s: state is plain JSON (no NaN, no Infinity) and names its configuration',
    (_, config) => {
      // Prepare
      const model = createClassifier(config);

      // Act
      for (const { x, y } of linearStream({ seed: 12, count: 1500, noise: 1 })) model.learn(x, y);
      const state = model.state();

      // Assess
      const text = JSON.stringify(state);
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      expect(text).not.toMatch(/null,null|NaN|Infinity/);
      expect(state.config).toEqual(config);
      expect(state.learned).toBeGreaterThan(0);
    },
  );

  it.each(Object.values(defaultClassifierConfigs))(
    '$model predicts 0.5 before learning anything',
    (config) => {
      // Prepare
      const model = createClassifier(config);

      // Act
      const p = model.predictProbability({ signal: 1 });

      // Assess
      expect(p).toBe(0.5);
      expect(model.task).toBe('classification');
    },
  );

  const BASES = [
    ['logistic-regression', { ...defaultClassifierConfigs['logistic-regression'] }],
    ['hoeffding-tree', { ...defaultClassifierConfigs['hoeffding-tree'] }],
    ['gaussian-nb', { model: 'gaussian-nb' }],
  ] as [string, ClassifierConfig][];

  it.each(BASES)(
    '%s with drift: resets once after an abrupt concept change and recovers its accuracy',
    (_, base) => {
      // Prepare: the concept inverts at record 4,000; accuracy is measured from there on
      const records = linearStream({ seed: 13, count: 8000, noise: 0.3, flipAt: 4000 });
      const withDrift = createClassifier({ ...base, drift: DRIFT });
      const without = createClassifier(base);

      // Act
      const adaptedAccuracy = prequentialAccuracy(withDrift, records, 4000);
      const stuckAccuracy = prequentialAccuracy(without, records, 4000);

      // Assess
      // One reset, soon after the change: the fresh model's falling error is no second change
      const drift = withDrift.state().drift;
      expect(drift?.resets).toBe(1);
      expect(drift?.lastResetAt).toBeGreaterThanOrEqual(4000);
      expect(drift?.lastResetAt).toBeLessThan(4000 + 500);
      expect(withDrift.state().learned).toBe(8000 - (drift?.lastResetAt ?? 0));
      expect(adaptedAccuracy).toBeGreaterThan(0.85);
      expect(adaptedAccuracy).toBeGreaterThan(stuckAccuracy + 0.05);
    },
  );

  it.each(BASES)('%s with drift: never resets on a stationary stream of 10,000 records', (_, base) => {
    // Prepare
    const model = createClassifier({ ...base, drift: DRIFT });

    // Act
    prequentialAccuracy(model, linearStream({ seed: 14, count: 10_000, noise: 0.3 }));

    // Assess
    expect(model.state().drift?.resets).toBe(0);
    expect(model.state().learned).toBe(10_000);
  });
});

describe('parseClassifierConfig', () => {
  it('fills the fields left out with River’s defaults', () => {
    // Prepare / Act
    const config = parseClassifierConfig({ model: 'hoeffding-tree', gracePeriod: 100 });

    // Assess
    expect(config).toEqual({ ...defaultClassifierConfigs['hoeffding-tree'], gracePeriod: 100 });
    expect(defaultClassifierConfigs['logistic-regression']).toMatchObject({ learningRate: 0.01, l2: 0 });
    expect(defaultClassifierConfigs['hoeffding-tree']).toMatchObject({
      gracePeriod: 200,
      delta: 1e-7,
      tau: 0.05,
      leafPrediction: 'nba',
    });
  });

  it.each([
    [
      { model: 'random-forest' },
      /model must be one of logistic-regression, gaussian-nb, hoeffding-tree, got "random-forest"/,
    ],
    [{ model: 'logistic-regression', learningRate: -0.1 }, /learningRate must be a number > 0, got -0.1/],
    [{ model: 'logistic-regression', l2: -1 }, /l2 must be a number ≥ 0, got -1/],
    [{ model: 'logistic-regression', standardize: 'yes' }, /standardize must be true or false, got "yes"/],
    [{ model: 'logistic-regression', learning_rate: 0.1 }, /unknown field "learning_rate"/],
    [{ model: 'hoeffding-tree', gracePeriod: 0 }, /gracePeriod must be an integer ≥ 1, got 0/],
    [{ model: 'hoeffding-tree', delta: 1 }, /delta must be a number in \(0, 1\), got 1/],
    [{ model: 'hoeffding-tree', maxDepth: 2.5 }, /maxDepth must be an integer ≥ 1, got 2.5/],
    [
      { model: 'hoeffding-tree', leafPrediction: 'knn' },
      /leafPrediction must be one of mc, nb, nba, got "knn"/,
    ],
    [{ model: 'gaussian-nb', drift: { detector: 'ddm' } }, /drift.detector must be "adwin", got "ddm"/],
    [
      { model: 'gaussian-nb', drift: { detector: 'adwin', delta: 0 } },
      /drift.delta must be a number in \(0, 1\), got 0/,
    ],
    ['logistic-regression', /classifier config must be an object, got "logistic-regression"/],
  ])('refuses %j with a readable reason', (value, message) => {
    // Prepare / Act / Assess
    expect(() => parseClassifierConfig(value)).toThrow(message);
    expect(() => createClassifier(value as ClassifierConfig)).toThrow(message);
  });

  it('refuses to restore a state whose configuration is bad', () => {
    // Prepare
    const state = { ...createClassifier({ model: 'gaussian-nb' }).state(), config: { model: 'svm' } };

    // Act / Assess
    expect(() => restoreClassifier(state as never)).toThrow(/model must be one of/);
  });
});
