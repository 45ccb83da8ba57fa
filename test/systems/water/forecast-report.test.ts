import { describe, expect, it } from 'vitest';
import { renderChart } from '../../../core/reports/svg-chart.js';
import { renderForecastReportSvg } from '../../../systems/water/model/forecast-report.js';

const hours = (n: number, from = Date.UTC(2024, 0, 1)) =>
  Array.from({ length: n }, (_, i) => new Date(from + i * 3_600_000).toISOString());

describe('run report picture', () => {
  it('draws history, the forecast with both interval bands, and champion vs challenger on the holdout', () => {
    // Prepare
    const history = { timestamps: hours(48), values: hours(48).map((_, i) => 2 + Math.sin(i / 4)) };
    const future = hours(6, Date.UTC(2024, 0, 3));
    const forecast = {
      version: 'v7',
      timestamps: future,
      mean: [2, 2, 2, 2, 2, 2],
      lower80: [1.5, 1.5, 1.5, 1.5, 1.5, 1.5],
      upper80: [2.5, 2.5, 2.5, 2.5, 2.5, 2.5],
      lower95: [1, 1, 1, 1, 1, 1],
      upper95: [3, 3, 3, 3, 3, 3],
    };
    // Act
    const svg = renderForecastReportSvg({
      title: 'Water <test> & co',
      history,
      forecast,
      holdout: {
        timestamps: hours(4),
        actual: [1, 2, 3, 4],
        challenger: [1, 2, 3, 3],
        champion: [2, 2, 2, 2],
      },
      decision: 'challenger promoted',
      gaps: {
        windowHours: 4000,
        filledHours: 12,
        filledShare: 0.003,
        longestGapHours: 5,
        longestGapFrom: '2024-01-02T03:00:00.000Z',
        holdoutFilledHours: 0,
      },
    });
    // Assess
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="960" height="640"/);
    expect(svg).toContain(
      'Water &lt;test&gt; &amp; co: last week and the champion&#39;s forecast'.replace('&#39;', "'"),
    );
    for (const label of [
      'observed',
      'forecast',
      '80% interval',
      '95% interval',
      'actual',
      'champion (refit)',
      'challenger',
      'forecast starts',
      'challenger promoted',
      'champion v7',
      'training window: 12 of 4000 h interpolated (0.3%), longest gap 5 h',
    ]) {
      expect(svg).toContain(label);
    }
    expect(svg.match(/fill-opacity="0\.3\d*"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('says there is no data instead of drawing an empty chart', () => {
    // Act
    const chart = renderChart({
      title: 'Empty',
      yLabel: 'y',
      width: 400,
      height: 200,
      lines: [{ name: 'none', color: '#000', points: [] }],
    });
    // Assess
    expect(chart).toContain('Empty: no data');
  });
});
