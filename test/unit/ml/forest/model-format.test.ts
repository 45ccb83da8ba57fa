import { describe, expect, it } from 'vitest';
import { generateChurnData } from '../../../../core/data/churn-generator.js';
import {
  loadRandomForest,
  RandomForestClassifier,
  RandomForestInputError,
  RandomForestRegressor,
} from '../../../../core/ml/forest/index.js';

describe('rf-model JSON format', () => {
  const data = generateChurnData({ rows: 800, seed: 21, missingRate: 0.05 });

  it('round-trips a classifier exactly, NaN rows included', () => {
    // Prepare
    const model = new RandomForestClassifier({
      nTrees: 8,
      seed: 3,
      oobScore: true,
      featureNames: data.featureNames,
    });
    model.fit(data.features, data.labels);

    // Act
    const text = JSON.stringify(model.toJSON());
    const loaded = RandomForestClassifier.fromJSON(text);

    // Assess: identical probabilities (not just close) and identical metadata.
    const header = JSON.parse(text);
    expect(header.format).toBe('rf-model');
    expect(header.version).toBe(1);
    expect(header.featureNames).toEqual(data.featureNames);
    expect(loaded.predictProba(data.features)).toEqual(model.predictProba(data.features));
    expect(loaded.featureImportances).toEqual(model.featureImportances);
    expect(loaded.oobScore).toBe(model.oobScore);
    expect(JSON.stringify(loaded.toJSON())).toBe(text);
  });

  it('round-trips a regressor and dispatches on task in loadRandomForest', () => {
    // Prepare
    const targets = data.features.map((row) => (row[2] as number) * 0.5);
    const model = new RandomForestRegressor({ nTrees: 4, seed: 3 }).fit(data.features, targets);

    // Act
    const loaded = loadRandomForest(JSON.stringify(model.toJSON()));

    // Assess
    expect(loaded).toBeInstanceOf(RandomForestRegressor);
    expect((loaded as RandomForestRegressor).predict(data.features)).toEqual(model.predict(data.features));
    expect(
      loadRandomForest(new RandomForestClassifier({ nTrees: 1 }).fit([[0], [1]], [0, 1]).toJSON()),
    ).toBeInstanceOf(RandomForestClassifier);
  });

  it('rejects a file that is not an rf-model, a newer version, or a corrupt tree', () => {
    // Prepare
    const json = new RandomForestClassifier({ nTrees: 2, seed: 1 }).fit(data.features, data.labels).toJSON();
    const badFeature = Buffer.from(new Int32Array(json.nNodes).fill(99).buffer).toString('base64');

    // Act / Assess
    expect(() => RandomForestClassifier.fromJSON({ ...json, format: 'other' } as never)).toThrow(
      /format is "other"; expected "rf-model"/,
    );
    expect(() => RandomForestClassifier.fromJSON({ ...json, version: 2 } as never)).toThrow(
      /this code reads version 1/,
    );
    expect(() =>
      RandomForestClassifier.fromJSON({ ...json, arrays: { ...json.arrays, feature: badFeature } }),
    ).toThrow(/splits on feature 99/);
    expect(() =>
      RandomForestClassifier.fromJSON({ ...json, arrays: { ...json.arrays, threshold: 'AAA' } }),
    ).toThrow(RandomForestInputError);
    expect(() => RandomForestRegressor.fromJSON(json)).toThrow(/use RandomForestClassifier.fromJSON/);
  });
});
