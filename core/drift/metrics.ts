import type { MetricContext } from '../features/shapes.js';
import { type MetricSet, type MetricValue, metricSet } from '../metrics/metric-set.js';
import type { DriftReport } from './compare.js';

/**
 * A drift report as EMF records. One summary record always (DriftedFeatures is what an alarm
 * watches); per-feature records only on request, because each (feature × dimension values) pair
 * is a custom metric CloudWatch bills monthly, and 3 channels already make 33 features.
 */
export function driftRecords(
  context: MetricContext,
  report: DriftReport,
  options: { perFeature?: boolean } = {},
): MetricSet[] {
  const timestamp = context.timestampMs === undefined ? {} : { timestampMs: context.timestampMs };
  const records = [
    metricSet(
      context.namespace,
      { ...context.dimensions, Stage: 'drift' },
      [
        { name: 'DriftedFeatures', value: report.drifted.length, unit: 'Count' },
        { name: 'JudgedFeatures', value: report.features.length - report.notJudged.length, unit: 'Count' },
        { name: 'NotJudgedFeatures', value: report.notJudged.length, unit: 'Count' },
      ],
      // The names ride along as a property: searchable in Logs Insights without being a metric.
      { ...timestamp, properties: { driftedFeatureNames: report.drifted.join(',') } },
    ),
  ];
  if (!options.perFeature) return records;
  for (const feature of report.features) {
    if (!feature.judged) continue;
    const metrics: MetricValue[] = [{ name: 'Drifted', value: feature.drifted ? 1 : 0, unit: 'Count' }];
    if (feature.psi !== null) metrics.push({ name: 'Psi', value: feature.psi, unit: 'None' });
    if (feature.meanShiftSd !== null)
      metrics.push({ name: 'MeanShiftSd', value: feature.meanShiftSd, unit: 'None' });
    if (feature.stdRatio !== null) metrics.push({ name: 'StdRatio', value: feature.stdRatio, unit: 'None' });
    records.push(
      metricSet(
        context.namespace,
        { ...context.dimensions, Stage: 'drift', Feature: feature.name },
        metrics,
        timestamp,
      ),
    );
  }
  return records;
}
