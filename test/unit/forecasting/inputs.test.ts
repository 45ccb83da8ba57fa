import { describe, expect, it } from 'vitest';
import { fitSarimax } from '../../../core/forecasting/fit.js';
import { forecast } from '../../../core/forecasting/forecast.js';
import { holdoutMetrics } from '../../../core/forecasting/metrics.js';
import type { FitOptions, SarimaxArtifact, TrainingSeries } from '../../../core/forecasting/types.js';
import { validateArtifact } from '../../../core/forecasting/validate-artifact.js';
import { syntheticHourly } from './fixtures.js';

const options: FitOptions = {
  order: { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 },
  timeLimitMs: 20_000,
  logTransform: false,
  maxPoints: 7_000,
};

describe('holdoutMetrics', () => {
  it('matches a hand-computed example and leaves zero actuals out of MAPE', () => {
    // Prepare: errors 1, -2, 0, 3 -> MAE 6/4, RMSE sqrt(14/4); MAPE over 10, 20, 30 only.
    const actual = [10, 20, 0, 30];
    const predicted = [9, 22, 0, 27];
    // Act
    const metrics = holdoutMetrics(actual, predicted);
    // Assess
    expect(metrics.mae).toBeCloseTo(1.5, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(metrics.mape).toBeCloseTo((100 * (0.1 + 0.1 + 0.1)) / 3, 12);
    expect(metrics.points).toBe(4);
  });

  it('rejects unequal lengths and empty input', () => {
    expect(() => holdoutMetrics([1, 2], [1])).toThrow(/actual has 2 values but predicted has 1/);
    expect(() => holdoutMetrics([], [])).toThrow(/at least one point/);
  });
});

describe('fitSarimax input validation', () => {
  const base = syntheticHourly(200, 12).series;
  const cases: [string, TrainingSeries, RegExp][] = [
    [
      'non-finite value',
      { ...base, values: base.values.map((v, i) => (i === 7 ? Number.NaN : v)) },
      /values\[7\] is not a finite number/,
    ],
    [
      'ragged exog',
      { ...base, exog: base.exog.map((row, i) => (i === 3 ? [1] : row)) },
      /exog is ragged: row 0 has 2 values, row 3 has 1/,
    ],
    [
      'wrong exog width',
      { ...base, exogNames: ['temperature'] },
      /exog rows have 2 values but there are 1 regressor names/,
    ],
    [
      'too short',
      {
        ...base,
        timestamps: base.timestamps.slice(0, 5),
        values: base.values.slice(0, 5),
        exog: base.exog.slice(0, 5),
      },
      /too short: 5 points, \(1,0,1\) needs at least 10/,
    ],
    [
      'unequal spacing',
      { ...base, timestamps: base.timestamps.map((t, i) => (i === 50 ? '2024-01-03T02:30:00.000Z' : t)) },
      /not equally spaced/,
    ],
    ['exog rows missing', { ...base, exog: base.exog.slice(1) }, /exog has 199 rows, expected 200/],
  ];
  for (const [name, series, message] of cases) {
    it(`rejects ${name}`, async () => {
      await expect(fitSarimax(series, options)).rejects.toThrow(message);
    });
  }

  it('rejects options out of range', async () => {
    await expect(fitSarimax(base, { ...options, maxPoints: 50_000 })).rejects.toThrow(/maxPoints must be/);
    await expect(fitSarimax(base, { ...options, timeLimitMs: 0 })).rejects.toThrow(/timeLimitMs/);
    await expect(
      fitSarimax(base, { ...options, order: { p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0, s: 0 } }),
    ).rejects.toThrow(/no AR or MA term/);
    const negative = { ...base, values: base.values.map((v, i) => (i === 0 ? -2 : v)) };
    await expect(fitSarimax(negative, { ...options, logTransform: true })).rejects.toThrow(
      /log1p transform needs values > -1/,
    );
  });
});

describe('forecast and loader validation', async () => {
  const data = syntheticHourly(300, 13);
  const outcome = await fitSarimax(data.series, options);
  if (!outcome.ok) throw new Error(outcome.reason);
  const artifact: SarimaxArtifact = outcome.artifact;

  it('rejects a bad horizon and future regressors of the wrong shape', () => {
    expect(() => forecast(artifact, 0, [])).toThrow(/horizon must be a whole number >= 1/);
    expect(() => forecast(artifact, 2, [[1, 0]])).toThrow(/futureExog has 1 rows, expected 2/);
    expect(() => forecast(artifact, 1, [[1]])).toThrow(
      /futureExog rows have 1 values but there are 2 regressor names/,
    );
  });

  it('the loader accepts a stored model and names what is wrong with a broken one', () => {
    // Prepare
    const stored = JSON.parse(JSON.stringify(artifact));
    // Act / Assess
    expect(validateArtifact(stored)).toEqual(artifact);
    expect(() => validateArtifact(null)).toThrow(/the model must be a JSON object/);
    expect(() => validateArtifact({ ...stored, format: 'other' })).toThrow(/not a SARIMAX model/);
    expect(() => validateArtifact({ ...stored, version: 2 })).toThrow(/unsupported model version 2/);
    expect(() => validateArtifact({ ...stored, coefficients: { ...stored.coefficients, ar: [] } })).toThrow(
      /coefficients.ar has 0 values, expected 1/,
    );
    expect(() => validateArtifact({ ...stored, state: { ...stored.state, a: [1] } })).toThrow(
      /state.a has 1 values/,
    );
    expect(() => validateArtifact({ ...stored, sigma2: 'x' })).toThrow(/sigma2 must be a finite number/);
  });
});
