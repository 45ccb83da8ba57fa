import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/data/seeded-random.js';
import {
  constrainPolynomial,
  unconstrainPolynomial,
} from '../../../core/forecasting/stationary-transform.js';

/** Stationarity of 1 − c1·B − c2·B² in closed form (the triangle), independent of the transform. */
function stationary(c: number[]): boolean {
  if (c.length === 1) return Math.abs(c[0] as number) < 1;
  const [c1, c2] = c as [number, number];
  return Math.abs(c2) < 1 && c1 + c2 < 1 && c2 - c1 < 1;
}

describe('stationary transform', () => {
  it('maps any real vector to a stationary polynomial (orders 1 and 2, including far out)', () => {
    // Prepare
    const random = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const free = Array.from({ length: 1 + (i % 2) }, () => (random() - 0.5) * 20);
      // Act
      const coefficients = constrainPolynomial(free);
      // Assess
      expect(stationary(coefficients), JSON.stringify({ free, coefficients })).toBe(true);
    }
  });

  it('round-trips: unconstrain(constrain(x)) = x, and a non-stationary polynomial is refused', () => {
    // Prepare
    const free = [0.3, -1.2, 2.5];
    // Act
    const back = unconstrainPolynomial(constrainPolynomial(free));
    // Assess
    back?.forEach((value, i) => {
      expect(value).toBeCloseTo(free[i] as number, 9);
    });
    expect(unconstrainPolynomial([1.2])).toBeNull();
    expect(unconstrainPolynomial([0.5, 0.6])).toBeNull();
  });
});
