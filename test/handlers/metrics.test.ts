import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricSet } from '../../core/metrics/metric-set.js';
import { publishMetrics } from '../../lambdas/platform/metrics.js';

/** Metrics leave the handlers as CloudWatch Embedded Metric Format records, written by Powertools. */
const set = metricSet(
  'StreamingMlPipelines',
  { Pipeline: 'tally', Stage: 'features' },
  [
    { name: 'Rows', value: 200, unit: 'Count' },
    { name: 'Bytes', value: 4096, unit: 'Bytes' },
  ],
  { timestampMs: 1_710_000_000_000, properties: { runId: 'r-1' } },
);

describe('publishMetrics', () => {
  const saved = process.env.METRICS_FILE;
  afterEach(() => {
    if (saved === undefined) delete process.env.METRICS_FILE;
    else process.env.METRICS_FILE = saved;
    vi.restoreAllMocks();
  });

  it('writes one EMF record per set to the local metrics file, which CloudWatch would turn into metrics', () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'smlp-metrics-'));
    process.env.METRICS_FILE = path.join(dir, 'metrics.ndjson');

    // Act
    publishMetrics([set, set]);

    // Assess
    const lines = readFileSync(process.env.METRICS_FILE, 'utf8').trim().split('\n');
    rmSync(dir, { recursive: true, force: true });
    expect(lines).toHaveLength(2);
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record._aws).toMatchObject({
      Timestamp: 1_710_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'StreamingMlPipelines',
          Dimensions: [expect.arrayContaining(['Pipeline', 'Stage'])],
          Metrics: [
            { Name: 'Rows', Unit: 'Count' },
            { Name: 'Bytes', Unit: 'Bytes' },
          ],
        },
      ],
    });
    expect(record).toMatchObject({
      Pipeline: 'tally',
      Stage: 'features',
      Rows: 200,
      Bytes: 4096,
      runId: 'r-1',
    });
  });

  it('writes the records to stdout on AWS, where Lambda ships them to CloudWatch Logs', () => {
    // Prepare
    delete process.env.METRICS_FILE;
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    publishMetrics([set]);

    // Assess
    const records = written
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      Rows: 200,
      _aws: { CloudWatchMetrics: [{ Namespace: 'StreamingMlPipelines' }] },
    });
  });
});
