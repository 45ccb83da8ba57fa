import { describe, expect, it } from 'vitest';
import { fitSarimax } from '../../../core/forecasting/fit.js';
import { forecast, forecastModelScale } from '../../../core/forecasting/forecast.js';
import type {
  FitOptions,
  SarimaxArtifact,
  SarimaxOrder,
  TrainingSeries,
} from '../../../core/forecasting/types.js';
import { validateArtifact } from '../../../core/forecasting/validate-artifact.js';
import { libraryPrediction, maxDifference, syntheticHourly, withoutExog } from './fixtures.js';

/**
 * The artifact must forecast exactly what the library predicts on the same fit. Coefficients are
 * read at full precision, so the stated tolerance is tight: 1e-9 relative to max(1, |value|)
 * (observed: ~1e-15).
 */
const TOLERANCE = 1e-9;
const HORIZON = 48;

const order = (p: number, d: number, q: number, P = 0, D = 0, Q = 0, s = 0): SarimaxOrder => ({
  p,
  d,
  q,
  P,
  D,
  Q,
  s,
});

async function fitFixed(
  series: TrainingSeries,
  fixed: SarimaxOrder,
  logTransform = false,
): Promise<SarimaxArtifact> {
  const options: FitOptions = { order: fixed, timeLimitMs: 30_000, logTransform, maxPoints: 7_000 };
  const outcome = await fitSarimax(series, options);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.artifact;
}

async function expectSameAsLibrary(
  series: TrainingSeries,
  artifact: SarimaxArtifact,
  futureExog: number[][],
) {
  // Act: round trip through JSON (as stored in S3), then forecast from the artifact alone.
  const loaded = validateArtifact(JSON.parse(JSON.stringify(artifact)));
  const ours = forecastModelScale(loaded, HORIZON, futureExog);
  const library = await libraryPrediction(series, artifact, HORIZON, futureExog);
  expect(library.mean).toHaveLength(HORIZON);

  // Assess: the same fit (identical coefficients), then the same means and variances.
  expect(loaded.coefficients).toEqual(library.coefficients);
  const mean = maxDifference(ours.mean, library.mean);
  const variance = maxDifference(ours.variance, library.variance);
  expect(mean.relative).toBeLessThan(TOLERANCE);
  expect(variance.relative).toBeLessThan(TOLERANCE);
  return { mean, variance, ours, library };
}

describe('artifact round trip equals the library predict', () => {
  it('ARMA(1,0,1) without regressors', async () => {
    // Prepare
    const data = syntheticHourly(500, 1);
    const series = withoutExog(data.series);
    const artifact = await fitFixed(series, order(1, 0, 1));
    // Act / Assess
    const { variance, library } = await expectSameAsLibrary(series, artifact, []);
    expect(variance.absolute).toBeLessThan(1e-9);
    // The second array of predict() is a variance: at h = 1 about the innovation variance sigma².
    expect((library.variance[0] as number) / artifact.sigma2).toBeGreaterThan(0.9);
    expect((library.variance[0] as number) / artifact.sigma2).toBeLessThan(1.1);
  });

  it('(1,0,1)(1,1,1)24 with temperature and holiday', async () => {
    // Prepare
    const data = syntheticHourly(800, 2);
    const artifact = await fitFixed(data.series, order(1, 0, 1, 1, 1, 1, 24));
    // Act / Assess
    await expectSameAsLibrary(data.series, artifact, data.futureExog.slice(0, HORIZON));
    expect(artifact.state).toMatchObject({ coefficientSource: 'estimated', droppedExog: [] });
  });

  it('(2,1,1) with d = 1', async () => {
    // Prepare
    const data = syntheticHourly(600, 3);
    const artifact = await fitFixed(data.series, order(2, 1, 1));
    // Act / Assess
    await expectSameAsLibrary(data.series, artifact, data.futureExog.slice(0, HORIZON));
  });

  it('log transform: intervals are the expm1 of the library intervals', async () => {
    // Prepare
    const data = syntheticHourly(600, 4);
    const artifact = await fitFixed(data.series, order(1, 0, 1), true);
    const futureExog = data.futureExog.slice(0, HORIZON);
    // Act
    const { library } = await expectSameAsLibrary(data.series, artifact, futureExog);
    const result = forecast(artifact, HORIZON, futureExog);
    // Assess
    expect(artifact.transform).toBe('log1p');
    const expectedMean = library.mean.map(Math.expm1);
    const expectedUpper = library.mean.map((m, i) =>
      Math.expm1(m + 1.959963984540054 * Math.sqrt(library.variance[i] as number)),
    );
    expect(maxDifference(result.mean, expectedMean).relative).toBeLessThan(TOLERANCE);
    expect(maxDifference(result.upper95, expectedUpper).relative).toBeLessThan(TOLERANCE);
    // Back on the original scale: forecasts near the data (about 50).
    expect(result.mean[0]).toBeGreaterThan(30);
    expect(result.mean[0]).toBeLessThan(80);
  });
});

describe('forecast output', () => {
  it('continues the timestamps, widens with the horizon, and 95% is wider than 80%', async () => {
    // Prepare
    const data = syntheticHourly(500, 5);
    const artifact = await fitFixed(data.series, order(1, 0, 1));
    // Act
    const result = forecast(artifact, 24, data.futureExog.slice(0, 24));
    // Assess
    expect(result.timestamps[0]).toBe('2024-01-21T20:00:00.000Z');
    expect(result.timestamps).toHaveLength(24);
    const width80 = result.upper80.map((u, i) => u - (result.lower80[i] as number));
    const width95 = result.upper95.map((u, i) => u - (result.lower95[i] as number));
    for (let i = 1; i < 24; i++)
      expect(width80[i]).toBeGreaterThanOrEqual((width80[i - 1] as number) - 1e-12);
    expect(width80[23]).toBeGreaterThan(width80[0] as number);
    width95.forEach((w, i) => {
      expect(w).toBeGreaterThan(width80[i] as number);
    });
    result.mean.forEach((m, i) => {
      expect(m).toBeGreaterThan(result.lower80[i] as number);
      expect(m).toBeLessThan(result.upper80[i] as number);
    });
  });
});
