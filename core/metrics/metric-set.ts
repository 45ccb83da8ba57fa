/**
 * What a handler wants CloudWatch to count, as plain data: the pure core describes metrics, the
 * handlers publish them through Powertools Metrics (lambdas/platform/metrics.ts), which writes
 * them in CloudWatch's Embedded Metric Format. Checked here against CloudWatch's limits, so a
 * bad metric fails with its name instead of being dropped by CloudWatch without an error.
 */
export type MetricUnitName =
  | 'Seconds'
  | 'Microseconds'
  | 'Milliseconds'
  | 'Bytes'
  | 'Kilobytes'
  | 'Megabytes'
  | 'Gigabytes'
  | 'Bits'
  | 'Percent'
  | 'Count'
  | 'Bytes/Second'
  | 'Count/Second'
  | 'None';

export interface MetricValue {
  name: string;
  value: number;
  unit: MetricUnitName;
}

/** Metrics under one namespace with one dimension set. */
export interface MetricSet {
  namespace: string;
  dimensions: Readonly<Record<string, string>>;
  metrics: readonly MetricValue[];
  /** Epoch ms the values belong to; the publishing time when left out. */
  timestampMs?: number;
  /** Logged with the metrics but not turned into metrics (searchable in Logs Insights). */
  properties?: Readonly<Record<string, string | number | boolean>>;
}

export interface MetricSetOptions {
  timestampMs?: number;
  properties?: Record<string, string | number | boolean>;
}

/** CloudWatch's limits per set. */
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 29; // 30 per set, one taken by the Powertools `service` dimension

/**
 * One metric set. Dimension values, metric values and properties become members of one log
 * record, so their names must not collide (CloudWatch would read one as the other).
 */
export function metricSet(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  metrics: readonly MetricValue[],
  options: MetricSetOptions = {},
): MetricSet {
  if (namespace.length === 0 || namespace.length > 255 || namespace.startsWith('AWS/')) {
    throw new Error(`namespace "${namespace}" must be 1–255 characters and not start with AWS/`);
  }
  if (metrics.length === 0 || metrics.length > MAX_METRICS) {
    throw new Error(`a metric set holds 1–${MAX_METRICS} metrics, got ${metrics.length}`);
  }
  if (Object.keys(dimensions).length > MAX_DIMENSIONS) {
    throw new Error(`a metric set holds at most ${MAX_DIMENSIONS} dimensions`);
  }
  const names = new Set<string>(['service']);
  const claim = (name: string) => {
    if (name.length === 0 || name === '_aws' || names.has(name)) {
      throw new Error(`metric member "${name}" is empty, reserved or used twice`);
    }
    names.add(name);
  };
  for (const name of Object.keys(dimensions)) claim(name);
  for (const metric of metrics) {
    // CloudWatch rejects NaN and ±Infinity; failing here names the metric instead of losing the line.
    if (!Number.isFinite(metric.value))
      throw new Error(`metric "${metric.name}" is not finite: ${metric.value}`);
    claim(metric.name);
  }
  for (const name of Object.keys(options.properties ?? {})) claim(name);
  return {
    namespace,
    dimensions,
    metrics,
    ...(options.timestampMs === undefined ? {} : { timestampMs: options.timestampMs }),
    ...(options.properties ? { properties: options.properties } : {}),
  };
}
