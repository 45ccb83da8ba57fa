import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { failCommand, slowDown } from '../support/faults.js';
import { envelope, kinesisEvent, sequenceNumber, validReading } from '../support/kinesis-events.js';

/**
 * The metrics the deployment's dashboard graphs, as ingest publishes them: CloudWatch Embedded
 * Metric Format records (here in the metrics file that stands in for CloudWatch Logs).
 */
let emulators: TestEmulators;
let ingest: typeof import('../../lambdas/ingest/index.js');
let metricsDir: string;
const NAMESPACE = 'StreamingMlPipelines/smlp-test';
const ARRIVAL = Date.UTC(2024, 0, 1, 10, 15);
const NEXT_HOUR = Date.UTC(2024, 0, 1, 11, 5);

interface EmfRecord extends Record<string, unknown> {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
}

const metricsFile = () => path.join(metricsDir, 'metrics.ndjson');
function published(): EmfRecord[] {
  const text = (() => {
    try {
      return readFileSync(metricsFile(), 'utf8');
    } catch {
      return '';
    }
  })();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EmfRecord);
}

/**
 * A record's namespace, dimensions (exactly the set CloudWatch files the metrics under, the
 * dashboard's graphs name the same) and metric values.
 */
function summary(record: EmfRecord) {
  const [directive] = record._aws.CloudWatchMetrics;
  expect(directive?.Dimensions).toHaveLength(1);
  const dimensions = directive?.Dimensions[0] ?? [];
  return {
    namespace: directive?.Namespace,
    dimensions: Object.fromEntries(dimensions.map((name) => [name, record[name]])),
    metrics: Object.fromEntries((directive?.Metrics ?? []).map(({ Name }) => [Name, record[Name]])),
  };
}

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // As the stack sets it (the function's key); Powertools adds it as the `service` dimension.
  process.env.POWERTOOLS_SERVICE_NAME = 'ingest';
  metricsDir = mkdtempSync(path.join(tmpdir(), 'smlp-ingest-metrics-'));
  // As the stack sets it: this deployment's namespace.
  process.env.METRICS_NAMESPACE = NAMESPACE;
  ingest = await import('../../lambdas/ingest/index.js');
});
afterAll(async () => {
  delete process.env.POWERTOOLS_SERVICE_NAME;
  delete process.env.METRICS_FILE;
  delete process.env.METRICS_NAMESPACE;
  rmSync(metricsDir, { recursive: true, force: true });
  await emulators?.stop();
});
beforeEach(() => {
  rmSync(metricsFile(), { force: true });
  process.env.METRICS_FILE = metricsFile();
});

describe('ingest metrics', () => {
  it("publishes the records landed and quarantined per system, and per reason, in the deployment's namespace", async () => {
    // Prepare: two valid readings, two rejected for the same reason with different values, one unreadable
    const event = kinesisEvent([
      { data: envelope(validReading(0)), sequenceNumber: sequenceNumber(0), arrivalMs: ARRIVAL },
      {
        data: envelope({ ...validReading(1), consumption: -2 }),
        sequenceNumber: sequenceNumber(1),
        arrivalMs: ARRIVAL,
      },
      {
        data: envelope({ ...validReading(2), consumption: -7 }),
        sequenceNumber: sequenceNumber(2),
        arrivalMs: ARRIVAL,
      },
      { data: 'not json', sequenceNumber: sequenceNumber(3), arrivalMs: ARRIVAL },
      { data: envelope(validReading(3)), sequenceNumber: sequenceNumber(4), arrivalMs: ARRIVAL },
    ]);

    // Act
    const response = await ingest.handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(published().map(summary)).toEqual([
      {
        namespace: NAMESPACE,
        dimensions: { service: 'ingest', Pipeline: 'unknown' },
        metrics: { RecordsIngested: 0, RecordsQuarantined: 1 },
      },
      {
        namespace: NAMESPACE,
        dimensions: {
          service: 'ingest',
          Pipeline: 'unknown',
          Reason: expect.stringMatching(/^record is not JSON: /),
        },
        metrics: { RecordsQuarantined: 1 },
      },
      {
        namespace: NAMESPACE,
        dimensions: { service: 'ingest', Pipeline: 'water' },
        metrics: { RecordsIngested: 2, RecordsQuarantined: 2 },
      },
      {
        namespace: NAMESPACE,
        dimensions: { service: 'ingest', Pipeline: 'water', Reason: 'consumption must be >= … m³, got …' },
        metrics: { RecordsQuarantined: 2 },
      },
    ]);
  });

  it('counts only the runs written when a write fails, so the retry counts the rest once', async () => {
    // Prepare: two runs (two arrival hours); the second run's PutObject fails
    const records = [0, 1, 2, 3].map((i) => ({
      data: envelope(validReading(i)),
      sequenceNumber: sequenceNumber(i),
      arrivalMs: i < 2 ? ARRIVAL : NEXT_HOUR,
    }));
    const fault = failCommand(ingest.s3, 'PutObjectCommand', (call) => call === 2, slowDown);

    // Act
    const response = await ingest.handler(kinesisEvent(records));
    fault.remove();
    const retry = await ingest.handler(kinesisEvent(records.slice(2)));

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    expect(retry.batchItemFailures).toEqual([]);
    expect(published().map((record) => summary(record).metrics)).toEqual([
      { RecordsIngested: 2, RecordsQuarantined: 0 },
      { RecordsIngested: 2, RecordsQuarantined: 0 },
    ]);
  });

  it('publishes nothing for an empty batch', async () => {
    // Act
    await ingest.handler(kinesisEvent([]));

    // Assess
    expect(published()).toEqual([]);
  });
});
