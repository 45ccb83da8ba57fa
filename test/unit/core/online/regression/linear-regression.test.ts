import { describe, expect, it } from 'vitest';
import { LinearRegression } from '../../../../../core/online/linear/linear-regression.js';
import { prequentialMae, regressionStream, type StreamFeatures } from './streams.js';

const linear = (x: StreamFeatures) => 3 * x.a - 2 * x.b + 0.04 * (x.rpm - 1500) + 5;

describe('LinearRegression', () => {
  it('standardised, fits a linear target with raw-unit features to the noise level', () => {
    // Prepare: y = 3a − 2b + 0.04·(rpm − 1500) + 5 + N(0, 0.1²); rpm is in the thousands.
    const records = regressionStream(1, 6000, linear);
    const model = new LinearRegression({ learningRate: 0.01, l2: 0, standardize: true });

    // Act
    const mae = prequentialMae(model, records, 5000);

    // Assess: the noise's own MAE is 0.08; the informative features outweigh the unrelated one.
    expect(mae).toBeLessThan(0.12);
    const importance = model.importance();
    expect(importance.a).toBeGreaterThan(importance.b as number);
    expect(importance.rpm).toBeGreaterThan(1.5);
    expect(importance.noise).toBeLessThan(0.05);
  });

  it('without the scaler, fits unit-scale features', () => {
    // Prepare
    const records = regressionStream(2, 4000, (x) => 3 * x.a - 2 * x.b + 5).map(({ x, y }) => ({
      x: { a: x.a, b: x.b },
      y,
    }));
    const model = new LinearRegression({ learningRate: 0.01, l2: 0, standardize: false });

    // Act
    const mae = prequentialMae(model, records, 3000);

    // Assess
    expect(mae).toBeLessThan(0.12);
  });

  it('with L2, shrinks the weights towards 0', () => {
    // Prepare
    const records = regressionStream(3, 3000, linear);
    const plain = new LinearRegression({ learningRate: 0.01, l2: 0, standardize: true });
    const shrunk = new LinearRegression({ learningRate: 0.01, l2: 0.1, standardize: true });

    // Act
    prequentialMae(plain, records);
    prequentialMae(shrunk, records);

    // Assess
    expect(shrunk.importance().a).toBeLessThan((plain.importance().a as number) * 0.95);
  });

  it('predicts 0 before learning and continues bit-identically from its JSON state', () => {
    // Prepare
    const records = regressionStream(4, 2000, linear);
    const straight = new LinearRegression({ learningRate: 0.01, l2: 0.01, standardize: true });
    let resumed = new LinearRegression({ learningRate: 0.01, l2: 0.01, standardize: true });
    expect(straight.predict({ a: 1 })).toBe(0);

    // Act: the second one goes through JSON halfway.
    const first: number[] = [];
    const second: number[] = [];
    records.forEach(({ x, y }, index) => {
      if (index === 1000) {
        resumed = new LinearRegression(resumed.settings, JSON.parse(JSON.stringify(resumed.state())));
      }
      first.push(straight.predict(x));
      second.push(resumed.predict(x));
      straight.learn(x, y);
      resumed.learn(x, y);
    });

    // Assess
    expect(second).toEqual(first);
  });
});
