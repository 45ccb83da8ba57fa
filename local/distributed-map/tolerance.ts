/** The error AWS fails a Map with when more items failed than it tolerates. */
export const EXCEED_TOLERATED_FAILURE = 'States.ExceedToleratedFailureThreshold';

export interface Tolerance {
  /** Percent of items (0–100); AWS's default is 0: any failed item fails the map run. */
  readonly percentage?: number;
  readonly count?: number;
}

/**
 * Whether failed items exceed what the map run tolerates. AWS counts items, not child
 * executions: a failed batch fails every item in it. With both limits set, exceeding either fails
 * the run; with neither, a single failed item does.
 */
export function exceedsTolerance(failedItems: number, totalItems: number, tolerance: Tolerance): boolean {
  if (failedItems === 0) return false;
  const { percentage, count } = tolerance;
  if (percentage === undefined && count === undefined) return true;
  if (count !== undefined && failedItems > count) return true;
  if (percentage !== undefined && (failedItems / totalItems) * 100 > percentage) return true;
  return false;
}

/** Why a map run failed, in words. */
export function toleranceCause(failedItems: number, totalItems: number, tolerance: Tolerance): string {
  const limits = [
    tolerance.percentage !== undefined ? `${tolerance.percentage}%` : undefined,
    tolerance.count !== undefined ? `${tolerance.count} items` : undefined,
  ].filter(Boolean);
  const share = ((failedItems / totalItems) * 100).toFixed(1);
  return `${failedItems} of ${totalItems} items failed (${share}%), more than the tolerated ${limits.join(' or ') || '0%'}`;
}
