import type { FeatureColumn, FeatureRow } from '../features/columns.js';
import { compareWindows, type DriftReport } from './compare.js';
import type { DriftThresholds } from './thresholds.js';

/**
 * The numeric feature columns worth watching: every int and double column except
 * `expected_readings`, which the sampling interval fixes and which therefore never moves.
 */
export function driftFeatureNames(columns: readonly FeatureColumn[]): string[] {
  return columns
    .filter((column) => column.type !== 'string' && column.name !== 'expected_readings')
    .map((column) => column.name);
}

/** Feature rows (e.g. all sensors over some days) → each named column's values, nulls kept. */
export function featureWindow(
  rows: readonly FeatureRow[],
  names: readonly string[],
): Record<string, (number | null)[]> {
  const window: Record<string, (number | null)[]> = {};
  for (const name of names) {
    const values: (number | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const value = (rows[i] as FeatureRow)[name];
      values[i] = typeof value === 'number' ? value : null;
    }
    window[name] = values;
  }
  return window;
}

/** Drift of today's (or this run's) feature rows against the rows of previous windows. */
export function compareFeatureRows(
  referenceRows: readonly FeatureRow[],
  currentRows: readonly FeatureRow[],
  names: readonly string[],
  thresholds: Partial<DriftThresholds> = {},
): DriftReport {
  return compareWindows(featureWindow(referenceRows, names), featureWindow(currentRows, names), thresholds);
}
