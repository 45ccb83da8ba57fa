import { describe, expect, it } from 'vitest';
import { emfLine, emfRecord } from '../../../core/features/emf.js';
import { memoryRecord, memorySnapshot, shapeRecord } from '../../../core/features/shapes.js';

const context = {
  namespace: 'StreamingMl/Sensors',
  dimensions: { Pipeline: 'sensors' },
  timestampMs: 1_710_000_000_000,
};

describe('EMF records', () => {
  it('builds the directive with dimension values and metric values as top-level members', () => {
    // Act
    const record = emfRecord(
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
      _aws: {
        Timestamp: 1_710_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'StreamingMl/Sensors',
            Dimensions: [['Pipeline', 'Stage']],
            Metrics: [
              { Name: 'Rows', Unit: 'Count' },
              { Name: 'Seconds', Unit: 'Seconds' },
            ],
          },
        ],
      },
      Pipeline: 'sensors',
      Stage: 'features',
      Rows: 200,
      Seconds: 1.5,
      runId: 'r-1',
    });
  });

  it('is one JSON line', () => {
    // Act
    const line = emfLine(
      emfRecord('Ns', {}, [{ name: 'Rows', value: 1, unit: 'Count' }], { timestampMs: 0 }),
    );
    // Assess
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ _aws: { Timestamp: 0 }, Rows: 1 });
  });

  it('refuses records CloudWatch would drop or misread', () => {
    // Prepare
    const rows = { name: 'Rows', value: 1, unit: 'Count' as const };
    // Act / Assess
    expect(() => emfRecord('Ns', { Rows: 'x' }, [rows])).toThrow(/used twice/);
    expect(() => emfRecord('Ns', {}, [{ ...rows, value: Number.NaN }])).toThrow(/not finite/);
    expect(() => emfRecord('Ns', {}, [])).toThrow(/1–100 metrics/);
    expect(() => emfRecord('AWS/Lambda', {}, [rows])).toThrow(/namespace/);
  });
});

describe('stage shapes and memory', () => {
  it('reports rows, columns and bytes of a stage with the stage as a dimension', () => {
    // Act
    const record = shapeRecord(context, { stage: 'features', rows: 1400, columns: 35, bytes: 91_234 });
    // Assess
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Pipeline', 'Stage']]);
    expect(record._aws.CloudWatchMetrics[0]?.Metrics.map((m) => `${m.Name}:${m.Unit}`)).toEqual([
      'Rows:Count',
      'Columns:Count',
      'Bytes:Bytes',
    ]);
    expect(record).toMatchObject({ Stage: 'features', Rows: 1400, Columns: 35, Bytes: 91_234 });
  });

  it('leaves Bytes out when unknown and refuses negative sizes', () => {
    // Act
    const record = shapeRecord(context, { stage: 'chunk', rows: 3, columns: 5 });
    // Assess
    expect(record).not.toHaveProperty('Bytes');
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
    expect(record).toMatchObject({
      Stage: 'features',
      RssBytes: 100,
      HeapUsedBytes: 40,
      ArrayBuffersBytes: 3,
    });
    expect(memorySnapshot().rssBytes).toBeGreaterThan(0);
  });
});
