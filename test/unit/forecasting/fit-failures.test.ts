import { describe, expect, it } from 'vitest';
import { fitSarimax } from '../../../core/forecasting/fit.js';
import { forecast } from '../../../core/forecasting/forecast.js';
import { DEFAULT_MAX_POINTS } from '../../../core/forecasting/limits.js';
import type { FitOptions, SarimaxOrder } from '../../../core/forecasting/types.js';
import { syntheticHourly, withoutExog } from './fixtures.js';

const ARMA11: SarimaxOrder = { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 };
const options = (overrides: Partial<FitOptions> = {}): FitOptions => ({
  order: ARMA11,
  timeLimitMs: 30_000,
  logTransform: false,
  maxPoints: DEFAULT_MAX_POINTS,
  ...overrides,
});

describe('failed fits are outcomes, not exceptions', () => {
  it('a constant series (no variance: the likelihood is infinite) gives ok: false with a reason', async () => {
    // Prepare
    const data = withoutExog(syntheticHourly(300, 6).series);
    const series = { ...data, values: data.values.map(() => 5) };
    // Act
    const outcome = await fitSarimax(series, options());
    // Assess
    expect(outcome.ok).toBe(false);
    expect('artifact' in outcome).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/no order fitted/);
    expect(outcome.attempts[0]?.reason).toMatch(/likelihood cannot be evaluated \(no variance left/);
    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.attempts[0]).toMatchObject({ ok: false, order: ARMA11 });
  });

  it('the time limit stops a running fit and the caller gets a failed outcome quickly', async () => {
    // Prepare: a seasonal fit on 6,000 points takes seconds.
    const data = syntheticHourly(6_000, 7);
    const seasonal: SarimaxOrder = { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 };
    const started = performance.now();
    // Act
    const outcome = await fitSarimax(data.series, options({ order: seasonal, timeLimitMs: 1 }));
    // Assess
    const elapsedMs = performance.now() - started;
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.attempts[0]?.reason).toMatch(/^time limit: the optimiser had not converged/);
    expect(elapsedMs).toBeLessThan(1_500);
  });
});

describe('long series', () => {
  it('a year of hourly data (8,760 points) fits on the trailing window without crashing', async () => {
    // Prepare
    const data = syntheticHourly(8_760, 8);
    // Act
    const outcome = await fitSarimax(data.series, options());
    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.artifact.training).toEqual({
      start: data.series.timestamps[8_760 - DEFAULT_MAX_POINTS],
      end: data.series.timestamps[8_759],
      points: DEFAULT_MAX_POINTS,
      stepMs: 3_600_000,
    });
    // The library's CSS-MLE met Inf/NaN on this persistent series (return code 15); the exact
    // likelihood from CSS estimates fits it, and the second start agrees.
    expect(outcome.artifact.state).toMatchObject({ estimation: 'exact-ML', fit: { doubt: null } });
    const result = forecast(outcome.artifact, 24, data.futureExog.slice(0, 24));
    expect(result.mean.every(Number.isFinite)).toBe(true);
  });

  it('a regressor constant over the window is left out with coefficient 0 instead of failing', async () => {
    // Prepare: no holiday in the window (after differencing it is all zeros: not identifiable).
    const data = syntheticHourly(400, 9);
    const series = { ...data.series, exog: data.series.exog.map(([t]) => [t as number, 0]) };
    // Act
    const outcome = await fitSarimax(series, options());
    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.artifact.coefficients.exog[1]).toBe(0);
    expect(outcome.artifact.coefficients.exog[0]).not.toBe(0);
    expect(outcome.artifact.state.droppedExog).toEqual(['holiday']);
  });
});
