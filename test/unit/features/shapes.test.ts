import { describe, expect, it } from 'vitest';
import { memoryRecord, memorySnapshot, shapeRecord } from '../../../core/features/shapes.js';
import { metricSet } from '../../../core/metrics/metric-set.js';

const context = {
  namespace: 'StreamingMl/Sensors',
  dimensions: { Pipeline: 'sensors' },
  timestampMs: 1_710_000_000_000,
};

/** A set as CloudWatch will see it: dimension values, metric values and properties side by side. */
const flat = (set: ReturnType<typeof metricSet>) => ({
  ...set.dimensions,
  ...Object.fromEntries(set.metrics.map((m) => [m.name, m.value])),
  ...set.properties,
});

describe('metric sets', () => {
  it('keeps namespace, dimensions, metrics with units, time and properties', () => {
    // Act
    const record = metricSet(
      'StreamingMl/Sensors',
      { Pipeline: 'sensors', Stage: 'features' },
      [
        { name: 'Rows', value: 200, unit: 'Count' },
        { name: 'Seconds', value: 1.5, unit: 'Seconds' },
      ],
      { timestampMs: 1_710_000_000_000, properties: { runId: 'r-1' } },
    );
    // Assess
    expect(record).toEqual({
      namespace: 'StreamingMl/Sensors',
      dimensions: { Pipeline: 'sensors', Stage: 'features' },
      metrics: [
        { name: 'Rows', value: 200, unit: 'Count' },
        { name: 'Seconds', value: 1.5, unit: 'Seconds' },
      ],
      timestampMs: 1_710_000_000_000,
      properties: { runId: 'r-1' },
    });
  });

  it('refuses records CloudWatch would drop or misread', () => {
    // Prepare
    const rows = { name: 'Rows', value: 1, unit: 'Count' as const };
    // Act / Assess
    expect(() => metricSet('Ns', { Rows: 'x' }, [rows])).toThrow(/used twice/);
    expect(() => metricSet('Ns', {}, [{ ...rows, value: Number.NaN }])).toThrow(/not finite/);
    expect(() => metricSet('Ns', {}, [])).toThrow(/1–100 metrics/);
    expect(() => metricSet('AWS/Lambda', {}, [rows])).toThrow(/namespace/);
  });
});

describe('stage shapes and memory', () => {
  it('reports rows, columns and bytes of a stage with the stage as a dimension', () => {
    // Act
    const record = shapeRecord(context, { stage: 'features', rows: 1400, columns: 35, bytes: 91_234 });
    // Assess
    expect(Object.keys(record.dimensions)).toEqual(['Pipeline', 'Stage']);
    expect(record.metrics.map((m) => `${m.name}:${m.unit}`)).toEqual([
      'Rows:Count',
      'Columns:Count',
      'Bytes:Bytes',
    ]);
    expect(flat(record)).toMatchObject({ Stage: 'features', Rows: 1400, Columns: 35, Bytes: 91_234 });
  });

  it('leaves Bytes out when unknown and refuses negative sizes', () => {
    // Act
    const record = shapeRecord(context, { stage: 'chunk', rows: 3, columns: 5 });
    // Assess
    expect(flat(record)).not.toHaveProperty('Bytes');
    expect(() => shapeRecord(context, { stage: 'chunk', rows: -1, columns: 5 })).toThrow(/non-negative/);
  });

  it('turns a memory usage into byte metrics', () => {
    // Prepare
    const usage = { rss: 100, heapUsed: 40, heapTotal: 60, external: 7, arrayBuffers: 3 };
    // Act
    const snapshot = memorySnapshot(usage);
    const record = memoryRecord(context, 'features', snapshot);
    // Assess
    expect(snapshot).toEqual({
      rssBytes: 100,
      heapUsedBytes: 40,
      heapTotalBytes: 60,
      externalBytes: 7,
      arrayBuffersBytes: 3,
    });
    expect(flat(record)).toMatchObject({
      Stage: 'features',
      RssBytes: 100,
      HeapUsedBytes: 40,
      ArrayBuffersBytes: 3,
    });
    expect(memorySnapshot().rssBytes).toBeGreaterThan(0);
  });
});
