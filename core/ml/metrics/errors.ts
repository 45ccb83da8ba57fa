/** Thrown for inputs a metric cannot score; the message says what was wrong and what was expected. */
export class MetricInputError extends Error {
  override name = 'MetricInputError';
}

/** Both arrays non-empty and of equal length. */
export function checkPaired(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  aName: string,
  bName: string,
): void {
  if (a.length !== b.length) {
    throw new MetricInputError(
      `${aName} has ${a.length} entries but ${bName} has ${b.length}; expected equal lengths`,
    );
  }
  if (a.length === 0) throw new MetricInputError(`${aName} is empty; expected at least one entry`);
}
