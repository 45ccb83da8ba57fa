import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NANNYML_VENV, requirementLines, unpinnedRequirements } from '../../../bench/python-env.js';
import {
  flagTimeline,
  growthExponent,
  growthWord,
  lambdaFit,
  meanAbsoluteError,
} from '../../../bench/suites/support/churn-bench.js';

describe('growthExponent', () => {
  it('reads linear, quadratic and constant costs from the smallest and largest sizes', () => {
    // Prepare
    const sizes = [2_500, 5_000, 10_000];

    // Act
    const linear = growthExponent(sizes.map((size) => ({ size, value: size * 0.001 })));
    const quadratic = growthExponent(sizes.map((size) => ({ size, value: size * size })));
    const constant = growthExponent(sizes.map((size) => ({ size, value: 3 })));

    // Assess
    expect(linear).toBeCloseTo(1, 10);
    expect(quadratic).toBeCloseTo(2, 10);
    expect(constant).toBeCloseTo(0, 10);
    expect([linear, quadratic, constant].map(growthWord)).toEqual([
      'linear',
      'quadratic or worse',
      'about constant',
    ]);
  });

  it('gives no exponent for one size or a zero cost', () => {
    expect(growthExponent([{ size: 10, value: 1 }])).toBeNull();
    expect(
      growthExponent([
        { size: 10, value: 0 },
        { size: 20, value: 1 },
      ]),
    ).toBeNull();
    expect(growthWord(null)).toBe('unknown');
  });
});

describe('lambdaFit', () => {
  it('fits a small invocation and says how much headroom it has', () => {
    const verdict = lambdaFit({ wallSeconds: 30, peakRssMb: 500 }, { memoryMb: 2048, timeoutSeconds: 900 });
    expect(verdict.fits).toBe(true);
    expect(verdict.reason).toMatch(/^fits \(4\.1x headroom\)$/);
  });

  it('refuses an invocation over its memory or its timeout once the smaller CPU share is counted', () => {
    // Prepare: 1,024 MB buys about 0.58 of a vCPU, so 600 s measured on a full core is about 1,037 s.
    const tooSlow = lambdaFit({ wallSeconds: 600, peakRssMb: 300 }, { memoryMb: 1024, timeoutSeconds: 900 });
    const tooBig = lambdaFit(
      { wallSeconds: 10, peakRssMb: 12_000 },
      { memoryMb: 10_240, timeoutSeconds: 900 },
    );

    // Assess
    expect(tooSlow.fits).toBe(false);
    expect(tooSlow.expectedSeconds).toBeGreaterThan(1000);
    expect(tooSlow.reason).toContain('> 900 s timeout');
    expect(tooBig.fits).toBe(false);
    expect(tooBig.reason).toContain("over Lambda's 10240 MB");
  });
});

describe('flagTimeline', () => {
  it('finds the first flag on or after the shift and counts false alarms before it', () => {
    // Prepare
    const periods = [
      { period: '2024-03-03', flagged: false },
      { period: '2024-03-01', flagged: true },
      { period: '2024-03-02', flagged: false },
      { period: '2024-03-05', flagged: true },
      { period: '2024-03-04', flagged: false },
    ];

    // Act
    const timeline = flagTimeline(periods, '2024-03-03');

    // Assess
    expect(timeline).toEqual({ firstFlag: '2024-03-05', delayDays: 2, flagsBefore: 1, daysBefore: 2 });
  });

  it('says never when nothing is flagged after the shift', () => {
    const timeline = flagTimeline([{ period: '2024-03-04', flagged: false }], '2024-03-03');
    expect(timeline.firstFlag).toBeNull();
    expect(timeline.delayDays).toBeNull();
  });
});

describe('meanAbsoluteError', () => {
  it('averages over the pairs where both values exist', () => {
    const result = meanAbsoluteError([
      { estimated: 0.8, realised: 0.7 },
      { estimated: 0.6, realised: 0.9 },
      { estimated: null, realised: 0.5 },
      { estimated: 0.5, realised: undefined },
      { estimated: Number.NaN, realised: 0.5 },
    ]);
    expect(result.n).toBe(2);
    expect(result.mae).toBeCloseTo(0.2, 12);
    expect(meanAbsoluteError([]).mae).toBeNull();
  });
});

describe('bench/requirements-nannyml.txt', () => {
  it('pins every package, nannyml and the statsmodels it imports without declaring it', () => {
    const text = readFileSync(NANNYML_VENV.requirements, 'utf8');
    expect(unpinnedRequirements(text)).toEqual([]);
    const names = requirementLines(text).map((line) => line.split('==')[0]?.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['nannyml', 'statsmodels', 'pandas', 'pyarrow']));
  });
});
