import type { FeatureRow } from '../../../core/features/columns.js';
import type { MetricContext } from '../../../core/features/shapes.js';
import { type MetricSet, metricSet } from '../../../core/metrics/metric-set.js';
import type { KMeansModel } from '../../../core/ml/kmeans/index.js';
import { clusterMatrix } from './cluster-features.js';

/** One sensor-day's cluster, as stored under predictions/ and read back by the report. */
export interface Assignment {
  readonly sensorId: string;
  readonly day: string;
  readonly cluster: number;
  /** Distance to the cluster's centroid, in the model's standardised units. */
  readonly distance: number;
  readonly modelVersion: string;
}

/** Every sensor-day of one day's feature rows → its cluster under the given model. */
export function assignSensorDays(
  model: KMeansModel,
  modelVersion: string,
  day: string,
  rows: readonly FeatureRow[],
): Assignment[] {
  const assignments = model.predict(clusterMatrix(rows, model.featureNames));
  return rows.map((row, i) => {
    const assignment = assignments[i];
    if (!assignment) throw new Error(`no assignment for row ${i} of ${day}`);
    return {
      sensorId: row.key,
      day,
      cluster: assignment.cluster,
      distance: assignment.distance,
      modelVersion,
    };
  });
}

/** Sensor-days per cluster (keys are cluster numbers as strings, as JSON objects keep them). */
export function clusterCounts(assignments: readonly Pick<Assignment, 'cluster'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { cluster } of assignments) counts[String(cluster)] = (counts[String(cluster)] ?? 0) + 1;
  return counts;
}

/** One `SensorDaysInCluster` metric per cluster (dimension `Cluster`): the distribution to watch. */
export function clusterSizeMetrics(context: MetricContext, counts: Record<string, number>): MetricSet[] {
  return Object.entries(counts).map(([cluster, count]) =>
    metricSet(context.namespace, { ...context.dimensions, Cluster: cluster }, [
      { name: 'SensorDaysInCluster', value: count, unit: 'Count' },
    ]),
  );
}
