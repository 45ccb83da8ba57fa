import { describe, expect, it } from 'vitest';
import {
  RandomForestClassifier,
  RandomForestInputError,
  RandomForestRegressor,
} from '../../../../core/ml/forest/index.js';

const good = [
  [1, 2],
  [3, 4],
  [5, 6],
];

/** Fits with deliberately bad input (typed loosely on purpose) and returns the thrown error. */
function fitError(features: unknown, labels: unknown, options: object = {}): RandomForestInputError {
  try {
    new RandomForestClassifier(options as never).fit(features as never, labels as never);
  } catch (error) {
    expect(error).toBeInstanceOf(RandomForestInputError);
    return error as RandomForestInputError;
  }
  throw new Error('expected fit to throw');
}

describe('bad input is rejected with what was wrong and what was expected', () => {
  it('rejects empty training data', () => {
    // Prepare / Act
    const error = fitError([], []);

    // Assess
    expect(error.message).toBe('training features are empty; expected at least one row');
  });

  it('rejects features that are not an array of rows', () => {
    // Prepare / Act / Assess
    expect(fitError('abc', [0]).message).toMatch(/must be an array of rows \(number\[\]\[\]\); got a string/);
    expect(fitError([[1], 7], [0, 1]).message).toMatch(/row 1 is 7; expected an array of numbers/);
    expect(fitError([[]], [0]).message).toMatch(/row 0 is empty; expected at least one feature/);
  });

  it('rejects ragged rows', () => {
    // Prepare / Act
    const error = fitError([[1, 2], [3], [5, 6]], [0, 1, 0]);

    // Assess
    expect(error.message).toBe(
      'training features: row 1 has 1 values; expected 2, like row 0 (rows must not be ragged)',
    );
  });

  it('rejects non-numeric and infinite values, pointing at NaN for missing ones', () => {
    // Prepare / Act / Assess
    expect(
      fitError(
        [
          [1, 2],
          [3, '4'],
          [5, 6],
        ],
        [0, 1, 0],
      ).message,
    ).toBe(
      'training features: row 1, feature 1 is a string ("4"); expected a number (use NaN for a missing value)',
    );
    expect(fitError([[1, null]], [0]).message).toMatch(/row 0, feature 1 is null; expected a number/);
    expect(fitError([[1, undefined]], [0]).message).toMatch(/feature 1 is a undefined; expected a number/);
    expect(fitError([[1, Number.POSITIVE_INFINITY]], [0]).message).toMatch(
      /feature 1 is Infinity; expected a finite number \(use NaN for a missing value\)/,
    );
  });

  it('rejects a label count that does not match the rows', () => {
    // Prepare / Act
    const error = fitError(good, [0, 1]);

    // Assess
    expect(error.message).toBe(
      'labels have 2 entries but the features have 3 rows; expected one label per row',
    );
  });

  it('rejects a single class', () => {
    // Prepare / Act
    const error = fitError(good, [1, 1, 1]);

    // Assess
    expect(error.message).toBe(
      'labels contain a single class (1); expected at least two classes to train a classifier',
    );
  });

  it('rejects mixed, missing and non-finite labels', () => {
    // Prepare / Act / Assess
    expect(fitError(good, [0, 'yes', 1]).message).toMatch(/label 1 is a string \("yes"\) but label 0 is 0/);
    expect(fitError(good, [0, Number.NaN, 1]).message).toMatch(
      /label 1 is NaN; expected a finite number or a string/,
    );
    expect(fitError(good, [0, null, 1]).message).toMatch(/label 1 is null; expected a number or a string/);
    expect(fitError(good, 'abc').message).toMatch(/labels must be an array with one entry per row/);
  });

  it('rejects non-finite regression targets', () => {
    // Prepare / Act / Assess
    expect(() => new RandomForestRegressor().fit(good, [1, Number.NaN, 2])).toThrow(
      'target 1 is NaN; expected a finite number',
    );
  });

  it('rejects prediction rows of the wrong width or type, and an unfitted model', () => {
    // Prepare
    const model = new RandomForestClassifier({ nTrees: 2 }).fit(good, [0, 1, 0]);

    // Act / Assess
    expect(() => model.predict([[1, 2, 3]])).toThrow(
      'features to predict: row 0 has 3 values; expected 2, the number of features the model was trained on',
    );
    expect(() => model.predictProba([[1, 'x']] as never)).toThrow(/row 0, feature 1 is a string/);
    expect(() => model.predictProbaOf(good, 7)).toThrow(/class 7 is not one of the model's classes \(0, 1\)/);
    expect(model.predict([])).toEqual([]);
    expect(() => new RandomForestClassifier().predict(good)).toThrow(
      /not fitted; call fit\(\) or fromJSON\(\) first/,
    );
  });

  it('rejects bad options by name', () => {
    // Prepare / Act / Assess
    expect(() => new RandomForestClassifier({ nTrees: 0 })).toThrow(
      'option nTrees is 0; expected an integer ≥ 1',
    );
    expect(() => new RandomForestClassifier({ maxDepth: 1.5 })).toThrow(/option maxDepth is 1.5/);
    expect(() => new RandomForestClassifier({ maxFeatures: 'half' as never })).toThrow(
      /option maxFeatures is half/,
    );
    expect(() => new RandomForestClassifier({ maxBins: 300 })).toThrow(
      'option maxBins is 300; expected at most 255',
    );
    expect(() => new RandomForestClassifier({ minImpurityDecrease: -1 })).toThrow(
      /minImpurityDecrease is -1/,
    );
    expect(() => new RandomForestClassifier({ bootstrap: false, oobScore: true })).toThrow(
      /oobScore needs bootstrap/,
    );
    expect(() => new RandomForestClassifier({ classWeight: { 1: 0 } })).toThrow(/classWeight\["1"\] is 0/);
    expect(() => new RandomForestClassifier({ ntrees: 5 } as never)).toThrow(/unknown option ntrees/);
    expect(() => new RandomForestRegressor({ classWeight: 'balanced' } as never)).toThrow(
      /unknown option classWeight/,
    );
    expect(fitError(good, [0, 1, 0], { classWeight: { 2: 3 } }).message).toMatch(
      /classWeight names class "2", which is not in the labels; expected one of 0, 1/,
    );
    expect(fitError(good, [0, 1, 0], { featureNames: ['a'] }).message).toMatch(
      /featureNames must be 2 strings/,
    );
  });
});
