import { describe, expect, it } from 'vitest';
import { advanceArtifact } from '../../../core/forecasting/advance.js';
import { fitSarimax, forecast } from '../../../core/forecasting/index.js';
import type { TrainingSeries } from '../../../core/forecasting/types.js';

const HOUR = 3_600_000;

/** A daily pattern with noise and a temperature regressor, hour by hour. */
function series(points: number): TrainingSeries {
  let noise = 0;
  const values: number[] = [];
  const exog: number[][] = [];
  const timestamps: string[] = [];
  for (let i = 0; i < points; i++) {
    noise = 0.5 * noise + Math.sin(i * 12.9898) * 0.05;
    const temperature = 10 + 5 * Math.sin(i / 40);
    values.push(2 + Math.sin((2 * Math.PI * i) / 24) + 0.03 * temperature + noise);
    exog.push([temperature]);
    timestamps.push(new Date(Date.UTC(2024, 0, 1) + i * HOUR).toISOString());
  }
  return { values, exog, timestamps, exogNames: ['temperature'], stepMs: HOUR };
}

const cut = (s: TrainingSeries, n: number): TrainingSeries => ({
  ...s,
  values: s.values.slice(0, n),
  exog: s.exog.slice(0, n),
  timestamps: s.timestamps.slice(0, n),
});

describe('advancing a kept model through newer data', () => {
  it('forecasts from the latest hour with unchanged coefficients and a new filter state', async () => {
    // Prepare
    const full = series(600);
    const fit = await fitSarimax(cut(full, 500), {
      order: { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 },
      timeLimitMs: 60_000,
      logTransform: false,
      maxPoints: 7_000,
    });
    if (!fit.ok) throw new Error(fit.reason);
    // Act
    const advanced = advanceArtifact(fit.artifact, full);
    const next = forecast(advanced, 24, full.exog.slice(0, 24));
    // Assess
    expect(advanced.coefficients).toEqual(fit.artifact.coefficients);
    expect(advanced.training.end).toBe(full.timestamps.at(-1));
    expect(next.timestamps[0]).toBe(
      new Date(Date.parse(full.timestamps.at(-1) as string) + HOUR).toISOString(),
    );
    expect(advanced.state).not.toEqual(fit.artifact.state);
  });

  it('is the model itself when there is nothing newer, and refuses a series that misses its training end', async () => {
    // Prepare
    const full = series(300);
    const fit = await fitSarimax(full, {
      order: { p: 1, d: 0, q: 0, P: 0, D: 0, Q: 0, s: 0 },
      timeLimitMs: 60_000,
      logTransform: false,
      maxPoints: 7_000,
    });
    if (!fit.ok) throw new Error(fit.reason);
    // Act / Assess
    expect(advanceArtifact(fit.artifact, full)).toEqual(fit.artifact);
    expect(() => advanceArtifact(fit.artifact, cut(full, 200))).toThrow(
      /does not contain the model's last training hour/,
    );
  });
});
