import { describe, expect, it } from 'vitest';
import { renderHistograms } from '../../../core/reports/svg-histogram.js';

describe('renderHistograms', () => {
  it('draws one titled panel per feature, both classes overlaid, with a legend', () => {
    // Prepare
    const spec = {
      title: 'Daily means by class',
      series: [
        { name: 'churned (3)', color: '#dc2626' },
        { name: 'stayed (5)', color: '#2563eb' },
      ],
      panels: [
        {
          title: 'calls',
          edges: [0, 1, 2, 3],
          counts: [
            [1, 1, 1],
            [0, 0, 5],
          ],
        },
        {
          title: 'data_mb',
          edges: [0, 500, 1500],
          counts: [
            [3, 0],
            [2, 3],
          ],
        },
      ],
    };

    // Act
    const svg = renderHistograms(spec);

    // Assess
    expect(svg).toMatch(/^<svg[^>]*role="img"[^>]*><title>Daily means by class<\/title>/);
    expect(svg).toContain('>calls</text>');
    expect(svg).toContain('>data_mb</text>');
    expect(svg).toContain('>churned (3)</text>');
    expect(svg).toContain('>stayed (5)</text>');
    expect(svg).toContain('>1500</text>');
    // 3 + 3 bars in the first panel, 2 + 2 in the second, 2 legend swatches.
    expect(svg.split('fill-opacity="0.45"').length - 1).toBe(12);
    // Shares per class: the largest share (stayed, 5 of 5 in one bin) tops the first panel's axis.
    expect(svg).toContain('>100%</text>');
    expect(svg).toContain('<title>stayed (5), 2–3: 5 (100.0%)</title>');
  });

  it('says "no data" for a panel without bins and a spec without panels', () => {
    // Prepare / Act
    const empty = renderHistograms({ title: 'none', series: [], panels: [] });
    const binless = renderHistograms({
      title: 'x',
      series: [],
      panels: [{ title: 'f', edges: [0], counts: [] }],
    });

    // Assess
    expect(empty).toContain('>no data</text>');
    expect(binless).toContain('>no data</text>');
  });
});
