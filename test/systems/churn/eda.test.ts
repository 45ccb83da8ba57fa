import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/data/input-fields.js';
import { summarizeDay } from '../../../systems/churn/model/daily-summary.js';
import { groupByEventDay } from '../../../systems/churn/model/day-events.js';
import { EDA_FEATURES, edaReport } from '../../../systems/churn/model/eda.js';
import type { ChurnEvent, Row } from '../../../systems/churn/model/types.js';
import { churnRecordSpec } from '../../../systems/churn/records/event.js';
import { generateChurnEvents } from '../../../systems/churn/records/generator.js';

/** A small generated population, summarised: enough churn for correlations to mean something. */
function history(): { summaries: Row[]; customers: Row[] } {
  const { events } = generateChurnEvents({
    seed: 5,
    start: '2024-01-01',
    days: 90,
    customers: 500,
    growthPerDay: 0.003,
    activity: 0.1,
    driftStartDay: 90,
    dirtyRate: 0,
  });
  const valid = events
    .map((e) => churnRecordSpec.validate(e, Date.UTC(2030, 0, 1)))
    .flatMap((r) => (r.ok ? [r.value] : []));
  const summaries: Row[] = [];
  const customers: Row[] = [];
  for (const [day, dayEvents] of groupByEventDay(valid as ChurnEvent[])) {
    const summary = summarizeDay(day, dayEvents);
    summaries.push(...summary.summaries);
    customers.push(...summary.customers);
  }
  return { summaries, customers };
}

const { summaries, customers } = history();
const report = edaReport({ startDate: '2024-01-15', endDate: '2024-02-29', summaries, customers });

describe('edaReport', () => {
  it('finds what the generator ties to churn: care calls up, activity down', () => {
    // Prepare / Act
    const withChurn = Object.fromEntries(report.json.withChurn.map((row) => [row.feature, row]));

    // Assess
    expect(report.json.classCounts.churned).toBeGreaterThan(10);
    expect(withChurn.care_calls?.pearson).toBeGreaterThan(0.15);
    expect(withChurn.care_calls?.spearman).toBeGreaterThan(0.1);
    expect(withChurn.active_day_share?.pearson).toBeLessThan(-0.05);
  });

  it('gives symmetric matrices with a unit diagonal over the features and churn', () => {
    // Prepare
    const { variables, pearson, spearman } = report.json.correlation;

    // Act / Assess
    expect(variables).toEqual([...EDA_FEATURES, 'churn']);
    for (const matrix of [pearson, spearman]) {
      expect(matrix).toHaveLength(variables.length);
      matrix.forEach((row, i) => {
        expect(row[i]).toBe(1);
        row.forEach((value, j) => {
          expect(value).toBe(matrix[j]?.[i]);
          if (value !== null) expect(Math.abs(value)).toBeLessThanOrEqual(1);
        });
      });
    }
  });

  it('says what churn means, over which days, and whether the data covers them', () => {
    // Prepare / Act
    const { json } = report;

    // Assess
    expect(json).toMatchObject({
      startDate: '2024-01-15',
      endDate: '2024-02-29',
      horizonDays: 30,
      churnWindow: { from: '2024-01-15', to: '2024-03-30' },
      dataThrough: '2024-03-30',
      churnWindowComplete: true,
    });
    expect(json.churnDefinition).toMatch(/between 2024-01-15 and 2024-03-30/);
    expect(json.classCounts.churned + json.classCounts.stayed).toBe(json.rows);
  });

  it('bins both classes on shared edges, with per-class means and quantiles', () => {
    // Prepare / Act
    const { histograms, byClass, classCounts } = report.json;

    // Assess
    for (const feature of EDA_FEATURES) {
      const h = histograms[feature];
      expect(h?.edges).toHaveLength(13);
      expect(h?.churned.reduce((a, b) => a + b, 0)).toBe(classCounts.churned);
      expect(h?.stayed.reduce((a, b) => a + b, 0)).toBe(classCounts.stayed);
      const stats = byClass[feature]?.stayed;
      expect(stats?.n).toBe(classCounts.stayed);
      expect(stats?.p10).toBeLessThanOrEqual(stats?.p50 as number);
      expect(stats?.p50).toBeLessThanOrEqual(stats?.p90 as number);
    }
    expect(byClass.care_calls?.churned.mean).toBeGreaterThan(byClass.care_calls?.stayed.mean as number);
  });

  it('draws a titled heatmap and titled histograms naming the features', () => {
    // Prepare / Act
    const { heatmapSvg, histogramsSvg } = report;

    // Assess
    expect(heatmapSvg).toMatch(/^<svg[^>]*><title>Correlations, 2024-01-15 – 2024-02-29/);
    expect(heatmapSvg).toContain('Spearman correlation');
    expect(heatmapSvg).toContain('>care_calls</text>');
    expect(histogramsSvg).toMatch(/<title>Per-customer daily means by churn class/);
    expect(histogramsSvg).toContain('>active_day_share</text>');
  });

  it.each([
    [{ startDate: '2024-1-15' }, /startDate must be a day YYYY-MM-DD, got "2024-1-15"/],
    [{ endDate: '2024-02-30' }, /endDate must be a day YYYY-MM-DD, got "2024-02-30"/],
    [{ startDate: '2024-03-01', endDate: '2024-02-01' }, /startDate 2024-03-01 is after endDate 2024-02-01/],
    [
      { startDate: '2025-01-01', endDate: '2025-01-31' },
      /no customer has any activity between 2025-01-01 and 2025-01-31/,
    ],
  ])('refuses %j with an InputError', (range, reason) => {
    // Prepare
    const input = { startDate: '2024-01-15', endDate: '2024-02-29', summaries, customers, ...range };

    // Act / Assess
    expect(() => edaReport(input)).toThrow(InputError);
    expect(() => edaReport(input)).toThrow(reason);
  });
});
