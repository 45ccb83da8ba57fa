import { type MetricSet, metricSet } from '../metrics/metric-set.js';

/** The size of the data leaving one stage (chunk, features, drift), as the issue asks to report. */
export interface StageShape {
  stage: string;
  rows: number;
  columns: number;
  bytes?: number;
}

/** Memory of the process at one point, in bytes, from `process.memoryUsage()`. */
export interface MemorySnapshot {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

/** Takes the usage as an argument (default: this process) so tests can pass fixed numbers. */
export function memorySnapshot(usage: NodeJS.MemoryUsage = process.memoryUsage()): MemorySnapshot {
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
  };
}

export interface MetricContext {
  namespace: string;
  /** E.g. `{ Pipeline: 'sensors' }`; the stage is added as the `Stage` dimension. */
  dimensions: Readonly<Record<string, string>>;
  timestampMs?: number;
}

/** Rows, Columns and (when known) Bytes of one stage, with the stage as a dimension. */
export function shapeRecord(context: MetricContext, shape: StageShape): MetricSet {
  for (const [name, value] of Object.entries({
    rows: shape.rows,
    columns: shape.columns,
    bytes: shape.bytes,
  })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new Error(`stage "${shape.stage}": ${name} must be a non-negative integer, got ${value}`);
    }
  }
  return metricSet(
    context.namespace,
    { ...context.dimensions, Stage: shape.stage },
    [
      { name: 'Rows', value: shape.rows, unit: 'Count' },
      { name: 'Columns', value: shape.columns, unit: 'Count' },
      ...(shape.bytes === undefined ? [] : [{ name: 'Bytes', value: shape.bytes, unit: 'Bytes' as const }]),
    ],
    withTimestamp(context),
  );
}

/** Memory after a stage, so a Lambda's memory setting can be sized from what it really used. */
export function memoryRecord(context: MetricContext, stage: string, snapshot: MemorySnapshot): MetricSet {
  return metricSet(
    context.namespace,
    { ...context.dimensions, Stage: stage },
    [
      { name: 'RssBytes', value: snapshot.rssBytes, unit: 'Bytes' },
      { name: 'HeapUsedBytes', value: snapshot.heapUsedBytes, unit: 'Bytes' },
      { name: 'HeapTotalBytes', value: snapshot.heapTotalBytes, unit: 'Bytes' },
      { name: 'ExternalBytes', value: snapshot.externalBytes, unit: 'Bytes' },
      { name: 'ArrayBuffersBytes', value: snapshot.arrayBuffersBytes, unit: 'Bytes' },
    ],
    withTimestamp(context),
  );
}

function withTimestamp(context: MetricContext): { timestampMs?: number } {
  return context.timestampMs === undefined ? {} : { timestampMs: context.timestampMs };
}
