import { describe, expect, it } from 'vitest';
import { rmspe, rmspeParts } from '../../../../systems/sales/model/index.js';

describe('rmspe', () => {
  it('is the root mean square of the percentage errors', () => {
    // Prepare: errors of +10% and -20%
    const actual = [100, 200];
    const predicted = [90, 240];
    // Act
    const value = rmspe(actual, predicted);
    // Assess: sqrt((0.1² + 0.2²) / 2)
    expect(value).toBeCloseTo(Math.sqrt((0.01 + 0.04) / 2), 12);
  });

  it('leaves out closed and zero-sales days, whatever was predicted for them', () => {
    // Prepare
    const actual = [100, 0, 0];
    const predicted = [110, 5000, 0];
    // Act
    const value = rmspe(actual, predicted);
    const parts = rmspeParts(actual, predicted);
    // Assess
    expect(value).toBeCloseTo(0.1, 12);
    expect(parts.days).toBe(1);
  });

  it('is 0 for a perfect forecast and NaN when no day counts', () => {
    expect(rmspe([5, 7], [5, 7])).toBe(0);
    expect(rmspe([0, 0], [1, 2])).toBeNaN();
  });

  it('refuses lists of different lengths', () => {
    expect(() => rmspe([1, 2], [1])).toThrow(/one prediction per actual/);
  });
});
