import { describe, expect, it } from 'vitest';
import {
  differencedProblem,
  fixedLikelihood,
  profileLikelihood,
} from '../../../core/forecasting/exact-likelihood.js';
import { CSS_MLE, runLibraryFit } from '../../../core/forecasting/library-fit.js';
import type { SarimaxOrder } from '../../../core/forecasting/types.js';
import { syntheticHourly } from './fixtures.js';

/**
 * Our likelihood must be the one the library (ctsa) maximises: evaluated at the library's own
 * estimates it gives the library's own log-likelihood. ctsa takes log(2π) as log(2·3.14159), a
 * difference of 4.2e-7 per point, hence the tolerance.
 */
const cases: [string, SarimaxOrder, number][] = [
  ['ARMA(1,1) with a mean', { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 }, 500],
  ['(1,0,1)(1,1,1)24', { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 }, 800],
  ['(2,1,1)', { p: 2, d: 1, q: 1, P: 0, D: 0, Q: 0, s: 0 }, 600],
];

describe('exact likelihood', () => {
  for (const [name, order, points] of cases) {
    it(`${name}: at the library's estimates it is the library's log-likelihood`, async () => {
      // Prepare
      const { series } = syntheticHourly(points, 2);
      const columns = [0, 1].map((j) => series.exog.map((row) => row[j] as number));
      const library = await runLibraryFit({
        values: series.values,
        exogColumns: columns,
        order,
        timeLimitMs: 60_000,
        method: CSS_MLE,
      });
      if (!library.ok || !library.heap) throw new Error(`library fit failed: ${library.reason}`);
      const { heap } = library;
      const problem = differencedProblem(order, series.values, columns);
      // Act
      const ours = fixedLikelihood(problem, heap, problem.hasMean ? [heap.mean, ...heap.exog] : heap.exog);
      // Assess
      expect(ours).not.toBeNull();
      expect(ours?.nUsed).toBe(heap.nUsed);
      expect(Math.abs((ours?.logLikelihood as number) - heap.logLikelihood)).toBeLessThan(points * 1e-6);
      expect((ours?.sigma2 as number) / heap.sigma2).toBeCloseTo(1, 9);
    });
  }

  it('profiling the regression gives the best coefficients: never below the likelihood at any other', () => {
    // Prepare
    const order: SarimaxOrder = { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 };
    const { series } = syntheticHourly(600, 3);
    const columns = [0, 1].map((j) => series.exog.map((row) => row[j] as number));
    const problem = differencedProblem(order, series.values, columns);
    const arma = { ar: [0.5], ma: [0.2], sar: [0.1], sma: [0.6] };
    // Act
    const profiled = profileLikelihood(problem, arma);
    const atProfiled = fixedLikelihood(problem, arma, profiled?.beta ?? []);
    const nudged = [-0.01, 0.01].flatMap((delta) =>
      [0, 1].map((j) =>
        fixedLikelihood(
          problem,
          arma,
          (profiled?.beta ?? []).map((b, k) => (k === j ? b + delta : b)),
        ),
      ),
    );
    // Assess
    expect(profiled).not.toBeNull();
    expect(atProfiled?.logLikelihood).toBeCloseTo(profiled?.logLikelihood as number, 8);
    for (const other of nudged) expect(other?.logLikelihood).toBeLessThan(profiled?.logLikelihood as number);
  });

  it('a series with no variance left has no likelihood (null), rather than an infinite one', () => {
    // Prepare
    const order: SarimaxOrder = { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 };
    const problem = differencedProblem(order, new Array(300).fill(5), []);
    // Act / Assess
    expect(profileLikelihood(problem, { ar: [0.3], ma: [0.1], sar: [], sma: [] })).toBeNull();
  });
});
