import type { FeatureRow } from '../../../core/features/columns.js';
import { SENSOR_CHANNELS } from '../records/reading.js';

/**
 * The feature columns k-means clusters on: level, spread and peak of every channel, plus the
 * share of missing readings. A channel a sensor never reported that day (null) takes the column's
 * mean over the rows at hand, so it neither attracts nor repels that sensor-day.
 */
export const CLUSTER_FEATURES: readonly string[] = [
  ...SENSOR_CHANNELS.flatMap((channel) => [`${channel}_mean`, `${channel}_std`, `${channel}_max`]),
  'missing_share',
];

export function clusterMatrix(
  rows: readonly FeatureRow[],
  names: readonly string[] = CLUSTER_FEATURES,
): number[][] {
  const means = names.map((name) => {
    const values = rows
      .map((row) => row[name])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  });
  return rows.map((row) =>
    names.map((name, j) => {
      const value = row[name];
      return typeof value === 'number' && Number.isFinite(value) ? value : (means[j] as number);
    }),
  );
}
