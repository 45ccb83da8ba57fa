import { beforeAll, describe, expect, it } from 'vitest';
import { csvToSeries } from '../../cli/csv-series.js';
import { coreSeries, finishArtifact } from '../../cli/fit-plan.js';
import { forecastHeading, forecastJson, forecastTable } from '../../cli/forecast-output.js';
import { fitSarimax, forecast, forecastModelScale, validateArtifact } from '../../core/forecasting/index.js';
import type { SarimaxArtifact, ValueTransform } from '../../core/forecasting/types.js';

/** 48 months with a yearly wave, positive (so a log fit works), deterministic. */
const MONTHLY_CSV = [
  'month,sales',
  ...Array.from({ length: 48 }, (_, i) => {
    const month = `${2021 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    return `${month},${(100 + i + 20 * Math.sin((2 * Math.PI * i) / 12) + ((i * 7) % 5)).toFixed(1)}`;
  }),
].join('\n');

async function fitMonthly(transform: ValueTransform): Promise<SarimaxArtifact> {
  const { series } = csvToSeries(MONTHLY_CSV, { value: 'sales', time: 'month', exog: [] }, 'm.csv', {
    transform,
  });
  const order = { p: 1, d: 0, q: 0, P: 0, D: 1, Q: 0, s: 12 };
  const outcome = await fitSarimax(coreSeries(series, transform), {
    order,
    timeLimitMs: 30_000,
    logTransform: transform === 'log1p',
    maxPoints: 7_000,
  });
  if (!outcome.ok) throw new Error(outcome.reason);
  // Through JSON and the loader, as the forecast command reads the file.
  return validateArtifact(JSON.parse(JSON.stringify(finishArtifact(outcome.artifact, series, transform))));
}

describe('forecasts in the model calendar', () => {
  let plain: SarimaxArtifact;
  let logged: SarimaxArtifact;
  // Prepare (shared): one small fit per transform.
  beforeAll(async () => {
    [plain, logged] = await Promise.all([fitMonthly('none'), fitMonthly('log')]);
  });

  it('a monthly model keeps its real window and calendar, and forecasts month after month in its style', () => {
    // Act
    const result = forecast(plain, 3, []);
    const heading = forecastHeading('m.json', plain, 3);
    const rows = forecastTable(result, plain).split('\n').slice(1);
    // Assess
    expect(plain.training).toMatchObject({
      start: '2021-01-01T00:00:00.000Z',
      end: '2024-12-01T00:00:00.000Z',
      calendar: { unit: 'month', count: 1, style: 'YYYY-MM' },
    });
    expect(result.timestamps).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ]);
    expect(heading).toBe('Forecast of (1,0,0)(0,1,0)12 from m.json, 3 steps of 1 month after 2024-12');
    expect(rows.map((row) => row.trim().split(/\s+/)[1])).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(forecastJson('m.json', plain, result).times).toEqual(['2025-01', '2025-02', '2025-03']);
  });

  it('a model file without a calendar (written before) still loads and steps by stepMs', () => {
    // Prepare: the same model as an older fit wrote it, hourly.
    const { calendar: _, ...training } = plain.training;
    const old = validateArtifact({
      ...plain,
      training: { ...training, end: '2024-01-25T23:00:00.000Z', stepMs: 3_600_000 },
    });
    // Act
    const result = forecast(old, 2, []);
    const heading = forecastHeading('old.json', old, 2);
    // Assess
    expect(old.training.calendar).toBeUndefined();
    expect(result.timestamps).toEqual(['2024-01-26T00:00:00.000Z', '2024-01-26T01:00:00.000Z']);
    expect(heading).toBe(
      'Forecast of (1,0,0)(0,1,0)12 from old.json, 2 steps after 2024-01-25T23:00:00.000Z',
    );
    expect(forecastTable(result, old)).toContain('2024-01-26 00:00Z');
  });

  it('a log model forecasts exp of its model-scale mean', () => {
    // Act
    const model = forecastModelScale(logged, 2, []);
    const result = forecast(logged, 2, []);
    // Assess
    expect(logged.transform).toBe('log');
    expect(result.mean).toEqual(model.mean.map(Math.exp));
    expect(result.mean[0]).toBeGreaterThan(100);
  });
});
