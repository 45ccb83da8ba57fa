/**
 * CloudWatch Embedded Metric Format: a JSON log line that CloudWatch Logs turns into metrics, so a
 * Lambda publishes metrics by printing, with no PutMetricData call, no SDK and no extra latency.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export type EmfUnit =
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

export interface EmfMetric {
  name: string;
  value: number;
  unit: EmfUnit;
}

export interface EmfRecord {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: EmfUnit }[];
    }[];
  };
  [member: string]: unknown;
}

export interface EmfOptions {
  /** Epoch ms the metric values belong to; defaults to now. */
  timestampMs?: number;
  /** Extra members logged with the record but not turned into metrics (searchable in Logs Insights). */
  properties?: Record<string, string | number | boolean>;
}

/** CloudWatch's limits per directive; a record beyond them is dropped by CloudWatch without an error. */
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;

/**
 * One EMF record: every metric under one namespace with one dimension set whose values are the
 * given dimensions. Dimension values, metric values and properties are top-level members, so their
 * names must not collide (CloudWatch would read one as the other).
 */
export function emfRecord(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  metrics: readonly EmfMetric[],
  options: EmfOptions = {},
): EmfRecord {
  if (namespace.length === 0 || namespace.length > 255 || namespace.startsWith('AWS/')) {
    throw new Error(`namespace "${namespace}" must be 1–255 characters and not start with AWS/`);
  }
  if (metrics.length === 0 || metrics.length > MAX_METRICS) {
    throw new Error(`an EMF record holds 1–${MAX_METRICS} metrics, got ${metrics.length}`);
  }
  const dimensionNames = Object.keys(dimensions);
  if (dimensionNames.length > MAX_DIMENSIONS) {
    throw new Error(`an EMF dimension set holds at most ${MAX_DIMENSIONS} dimensions`);
  }
  const members: Record<string, unknown> = {};
  const claim = (name: string, value: unknown) => {
    if (name.length === 0 || name === '_aws' || name in members) {
      throw new Error(`EMF member "${name}" is empty, reserved or used twice`);
    }
    members[name] = value;
  };
  for (const name of dimensionNames) claim(name, dimensions[name]);
  for (const metric of metrics) {
    // CloudWatch rejects NaN and ±Infinity; failing here names the metric instead of losing the line.
    if (!Number.isFinite(metric.value))
      throw new Error(`metric "${metric.name}" is not finite: ${metric.value}`);
    claim(metric.name, metric.value);
  }
  for (const [name, value] of Object.entries(options.properties ?? {})) claim(name, value);
  return {
    _aws: {
      Timestamp: options.timestampMs ?? Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [dimensionNames],
          Metrics: metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
        },
      ],
    },
    ...members,
  };
}

/** The record as the one log line CloudWatch Logs expects (no newline inside). */
export function emfLine(record: EmfRecord): string {
  return JSON.stringify(record);
}
