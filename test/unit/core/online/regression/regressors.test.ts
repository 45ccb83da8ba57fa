import { describe, expect, it } from 'vitest';
import {
  createRegressor,
  defaultRegressorConfigs,
  parseRegressorConfig,
  restoreRegressor,
} from '../../../../../core/online/regressors.js';
import type { RegressorConfig, RegressorState } from '../../../../../core/online/types.js';
import { prequentialMae, regressionStream, type StreamFeatures } from './streams.js';

const drift = { detector: 'adwin', delta: 0.002 } as const;
/** y = 3a + 10 until record 3,000, then y = −3a − 10: an abrupt concept change. */
const changing = (x: StreamFeatures, index: number) => (index < 3000 ? 3 * x.a + 10 : -3 * x.a - 10);

describe('createRegressor', () => {
  it.each(Object.values(defaultRegressorConfigs))(
    '$model with River defaults fits a linear target',
    (config) => {
      // Prepare
      const records = regressionStream(31, 5000, (x) => 2 * x.a - x.b + 3);
      const model = createRegressor(config);

      // Act
      const mae = prequentialMae(model, records, 4000);

      // Assess
      expect(model.task).toBe('regression');
      expect(mae).toBeLessThan(0.2);
      expect(model.state().learned).toBe(5000);
    },
  );

  it('with ADWIN, replaces the model after an abrupt change and recovers faster than without', () => {
    // Prepare
    const records = regressionStream(32, 6000, changing);
    const withDrift = createRegressor({ ...defaultRegressorConfigs['linear-regression'], drift });
    const without = createRegressor(defaultRegressorConfigs['linear-regression']);

    // Act: MAE over the 500 records after the change.
    const adapted = prequentialMae(withDrift, records, 3000, 3500);
    const stuck = prequentialMae(without, records, 3000, 3500);

    // Assess: one reset, within 200 records of the change; the fresh model is clearly better meanwhile
    // (seed 32: 1.32 against 2.06).
    const state = withDrift.state();
    expect(state.drift?.resets).toBe(1);
    expect(state.drift?.lastResetAt).toBeGreaterThanOrEqual(3000);
    expect(state.drift?.lastResetAt).toBeLessThan(3200);
    expect(state.learned).toBe(6000 - (state.drift?.lastResetAt as number));
    expect(adapted).toBeLessThan(stuck * 0.75);
  });

  it('does not reset on a stationary stream', () => {
    // Prepare
    const records = regressionStream(33, 10_000, (x) => 3 * x.a + 10, 1);
    const model = createRegressor({ ...defaultRegressorConfigs['hoeffding-tree'], drift });

    // Act
    prequentialMae(model, records);

    // Assess
    expect(model.state().drift?.resets).toBe(0);
  });

  it.each([
    { ...defaultRegressorConfigs['linear-regression'], drift },
    { ...defaultRegressorConfigs['hoeffding-tree'], drift },
  ] as RegressorConfig[])('$model checkpointed through JSON halfway predicts bit-identically', (config) => {
    // Prepare: a stream with a change, so the halfway state holds a tree, a detector and a reset.
    const records = regressionStream(34, 8000, changing, 0.5);
    const straight = createRegressor(config);
    let resumed = createRegressor(config);

    // Act
    const first: number[] = [];
    const second: number[] = [];
    records.forEach(({ x, y }, index) => {
      if (index === 4000)
        resumed = restoreRegressor(JSON.parse(JSON.stringify(resumed.state())) as RegressorState);
      first.push(straight.predict(x));
      second.push(resumed.predict(x));
      straight.learn(x, y);
      resumed.learn(x, y);
    });

    // Assess
    expect(second).toEqual(first);
    expect(resumed.state()).toEqual(straight.state());
    expect(resumed.importance()).toEqual(straight.importance());
  });
});

describe('parseRegressorConfig', () => {
  it('fills what is left out with River defaults', () => {
    expect(parseRegressorConfig({ model: 'hoeffding-tree', gracePeriod: 50 })).toEqual({
      ...defaultRegressorConfigs['hoeffding-tree'],
      gracePeriod: 50,
    });
    expect(parseRegressorConfig({ model: 'linear-regression', drift: { detector: 'adwin' } })).toEqual({
      ...defaultRegressorConfigs['linear-regression'],
      drift,
    });
  });

  it.each([
    [null, 'regressor config must be an object, got null'],
    [{ model: 'svr' }, 'model must be one of linear-regression, hoeffding-tree, got "svr"'],
    [{ model: 'linear-regression', learning_rate: 0.1 }, 'unknown field "learning_rate"'],
    [{ model: 'linear-regression', learningRate: 0 }, 'learningRate must be a number > 0, got 0'],
    [{ model: 'linear-regression', l2: -1 }, 'l2 must be a number ≥ 0, got -1'],
    [{ model: 'linear-regression', standardize: 'yes' }, 'standardize must be true or false, got "yes"'],
    [{ model: 'hoeffding-tree', gracePeriod: 2.5 }, 'gracePeriod must be an integer ≥ 1, got 2.5'],
    [{ model: 'hoeffding-tree', delta: 1 }, 'delta must be a number in (0, 1), got 1'],
    [
      { model: 'hoeffding-tree', leafPrediction: 'nba' },
      'leafPrediction must be one of mean, model, adaptive',
    ],
    [{ model: 'hoeffding-tree', drift: { detector: 'ddm' } }, 'drift.detector must be "adwin", got "ddm"'],
    [
      { model: 'hoeffding-tree', drift: { detector: 'adwin', delta: 2 } },
      'drift.delta must be a number in (0, 1)',
    ],
  ])('refuses %j with a message that says why', (config, message) => {
    expect(() => parseRegressorConfig(config)).toThrow(message);
  });

  it('refuses a state that is not one', () => {
    expect(() => restoreRegressor(null as unknown as RegressorState)).toThrow(
      'regressor state must be an object',
    );
    expect(() =>
      restoreRegressor({ config: { model: 'linear-regression' }, learned: -1, data: {} } as RegressorState),
    ).toThrow('learned must be a count, got -1');
    expect(() =>
      restoreRegressor({
        config: { model: 'hoeffding-tree', drift },
        learned: 0,
        data: {},
      } as RegressorState),
    ).toThrow('has drift settings but no detector');
  });
});
