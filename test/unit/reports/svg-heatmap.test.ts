import { describe, expect, it } from 'vitest';
import { divergingColor, renderHeatmap } from '../../../core/reports/svg-heatmap.js';

describe('renderHeatmap', () => {
  it('draws a titled document with every label and every value in its cell', () => {
    // Prepare
    const spec = {
      title: 'Correlation <calls & care>',
      rowLabels: ['calls', 'care_calls', 'churn'],
      values: [
        [1, -0.42, 0.1],
        [-0.42, 1, null],
        [0.1, null, 1],
      ],
    };

    // Act
    const svg = renderHeatmap(spec);

    // Assess
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"[^>]*><title>Correlation &lt;calls &amp; care&gt;<\/title>/,
    );
    for (const label of spec.rowLabels) expect(svg.split(`>${label}</text>`).length - 1).toBe(2);
    expect(svg.split('>1.00</text>').length - 1).toBe(3);
    expect(svg.split('>-0.42</text>').length - 1).toBe(2);
    expect(svg.split('>–</text>').length - 1).toBe(2);
    expect(svg).toContain('<title>calls × care_calls: -0.42</title>');
  });

  it('colours −1 red, 0 white, +1 blue and clamps beyond', () => {
    // Prepare / Act / Assess
    expect(divergingColor(-1)).toBe('rgb(185,28,28)');
    expect(divergingColor(0)).toBe('rgb(255,255,255)');
    expect(divergingColor(1)).toBe('rgb(29,78,216)');
    expect(divergingColor(3)).toBe(divergingColor(1));
  });

  it('refuses values that do not match the labels', () => {
    // Prepare / Act / Assess
    expect(() => renderHeatmap({ title: 'bad', rowLabels: ['a', 'b'], values: [[1, 0]] })).toThrow(
      /values must be 2 rows of 2 cells/,
    );
  });
});
