import { appendFileSync } from 'node:fs';
import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

import type { MetricSet } from '../../core/metrics/metric-set.js';
import { handlerEnv } from './env.js';

/**
 * CloudWatch metrics through Powertools Metrics: it writes each set as an Embedded Metric Format
 * record on stdout, which Lambda ships to CloudWatch Logs and CloudWatch turns into metrics (no
 * PutMetricData calls, no latency). Locally the same records go to the runtime's metrics file
 * instead, so the console output stays readable.
 */
export function publishMetrics(sets: readonly MetricSet[]): void {
  const file = handlerEnv.metricsFile();
  for (const set of sets) {
    // One instance per set: a set is one namespace and one dimension set, as EMF records are.
    const metrics = new Metrics({ namespace: set.namespace });
    for (const [name, value] of Object.entries(set.dimensions)) metrics.addDimension(name, value);
    for (const metric of set.metrics) metrics.addMetric(metric.name, metric.unit as Unit, metric.value);
    for (const [name, value] of Object.entries(set.properties ?? {}))
      metrics.addMetadata(name, String(value));
    if (set.timestampMs !== undefined) metrics.setTimestamp(set.timestampMs);
    if (file) {
      appendFileSync(file, `${JSON.stringify(metrics.serializeMetrics())}\n`);
      metrics.clearMetrics();
    } else metrics.publishStoredMetrics();
  }
}
