/**
 * Root mean square percentage error, the Rossmann competition's metric: sqrt(mean(((y - ŷ) / y)²))
 * over the days with an actual above zero. Closed days and days without sales are left out (their
 * percentage error is undefined); NaN when no day counts.
 */
export function rmspe(actual: readonly number[], predicted: readonly number[]): number {
  const { sum, days } = rmspeParts(actual, predicted);
  return days > 0 ? Math.sqrt(sum / days) : Number.NaN;
}

/** The squared percentage errors' sum and count, so folds can be pooled into one RMSPE. */
export function rmspeParts(
  actual: readonly number[],
  predicted: readonly number[],
): { sum: number; days: number } {
  if (actual.length !== predicted.length)
    throw new Error(
      `rmspe needs one prediction per actual: ${actual.length} actuals, ${predicted.length} predictions`,
    );
  let sum = 0;
  let days = 0;
  actual.forEach((y, i) => {
    if (!(y > 0)) return;
    const error = (y - (predicted[i] as number)) / y;
    sum += error * error;
    days++;
  });
  return { sum, days };
}
