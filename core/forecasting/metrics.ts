import type { HoldoutMetrics } from './types.js';

/**
 * Errors of a forecast against what happened. MAPE leaves out steps whose actual is zero (the
 * percentage is undefined there) and is NaN when every actual is zero.
 */
export function holdoutMetrics(actual: number[], predicted: number[]): HoldoutMetrics {
  if (actual.length !== predicted.length)
    throw new Error(`actual has ${actual.length} values but predicted has ${predicted.length}`);
  if (actual.length === 0) throw new Error('holdout metrics need at least one point');
  let absolute = 0;
  let squared = 0;
  let percent = 0;
  let percentCount = 0;
  actual.forEach((a, i) => {
    const p = predicted[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(p))
      throw new Error(`holdout point ${i} is not finite (actual ${a}, predicted ${p})`);
    const error = a - p;
    absolute += Math.abs(error);
    squared += error * error;
    if (a !== 0) {
      percent += Math.abs(error / a);
      percentCount++;
    }
  });
  return {
    mae: absolute / actual.length,
    rmse: Math.sqrt(squared / actual.length),
    mape: percentCount > 0 ? (100 * percent) / percentCount : Number.NaN,
    points: actual.length,
  };
}
