import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { moveToArchive } from '../../adapters/s3-move-object.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { waterSystem } from '../../systems/water/system.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { failCommand, slowDown } from '../support/faults.js';
import { envelope, kinesisEvent, sequenceNumber, validReading } from '../support/kinesis-events.js';

let emulators: TestEmulators;
let ingest: typeof import('../../lambdas/ingest/index.js');
let metricsDir: string;

const ARRIVAL = Date.UTC(2024, 0, 1, 10, 15);
const NEXT_HOUR = Date.UTC(2024, 0, 1, 11, 5);

/** A valid reading of the sensors system, from the same hour as `validReading(0)`. */
const sensorReading = {
  sensorId: 'sensor-001',
  timestamp: '2024-01-01T10:00:00.000Z',
  temperature: 57.3,
  vibration: 2.1,
  pressure: 6.02,
  rpm: 1455,
  current: 22.4,
};

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // Ingest's metrics to a file, as in the local runtime, not into the test output
  // (test/handlers/ingest-metrics.test.ts reads them).
  metricsDir = mkdtempSync(path.join(tmpdir(), 'smlp-ingest-'));
  process.env.METRICS_FILE = path.join(metricsDir, 'metrics.ndjson');
  ingest = await import('../../lambdas/ingest/index.js');
});
afterAll(async () => {
  delete process.env.METRICS_FILE;
  rmSync(metricsDir, { recursive: true, force: true });
  await emulators?.stop();
});
beforeEach(async () => {
  const keys = await listKeys(emulators.s3, emulators.dataBucket, '');
  if (keys.length > 0) {
    await emulators.s3.send(
      new DeleteObjectsCommand({
        Bucket: emulators.dataBucket,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );
  }
});

const raw = () => readNdjsonUnder<Record<string, unknown>>(emulators.s3, emulators.dataBucket, 'raw/');
const quarantine = () =>
  readNdjsonUnder<{ reason: string; sequenceNumber: string }>(
    emulators.s3,
    emulators.dataBucket,
    'quarantine/',
  );

describe('ingest handler against the S3 emulator', () => {
  it('writes a valid batch as one gzipped NDJSON object under a key made of shard and first sequence number', async () => {
    // Prepare
    const event = kinesisEvent(
      [0, 1, 2].map((i) => ({
        data: envelope(validReading(i)),
        sequenceNumber: sequenceNumber(i),
        arrivalMs: ARRIVAL,
      })),
    );
    // Act
    const response = await ingest.handler(event);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const rows = await raw();
    expect(rows.map((r) => r.key)).toEqual(
      Array(3).fill(`raw/water/dt=2024-01-01/hour=10/shardId-000000000000-${sequenceNumber(0)}.ndjson.gz`),
    );
    expect(rows.map((r) => r.row)).toEqual([0, 1, 2].map((i) => validReading(i)));
    expect(await quarantine()).toEqual([]);
  });

  it('sends invalid records to quarantine/ with a reason each and keeps the valid ones', async () => {
    // Prepare
    const event = kinesisEvent([
      { data: envelope(validReading(0)), sequenceNumber: sequenceNumber(0), arrivalMs: ARRIVAL },
      { data: 'not json', sequenceNumber: sequenceNumber(1), arrivalMs: ARRIVAL },
      {
        data: envelope({ ...validReading(1), consumption: -2 }),
        sequenceNumber: sequenceNumber(2),
        arrivalMs: ARRIVAL,
      },
      { data: envelope(validReading(2)), sequenceNumber: sequenceNumber(3), arrivalMs: ARRIVAL },
    ]);
    // Act
    const response = await ingest.handler(event);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await raw()).map((r) => r.row)).toEqual([validReading(0), validReading(2)]);
    const rejected = await quarantine();
    expect(rejected.map((q) => [q.row.sequenceNumber, q.row.reason])).toEqual([
      [sequenceNumber(1), expect.stringContaining('not JSON')],
      [sequenceNumber(2), 'consumption must be >= 0 m³, got -2'],
    ]);
    // Unreadable text names no pipeline: the run's quarantine object sits under unknown/.
    expect(rejected[0]?.key).toMatch(/^quarantine\/unknown\/dt=2024-01-01\/hour=10\//);
  });

  it('answers an empty batch with no failures and writes nothing', async () => {
    // Act
    const response = await ingest.handler(kinesisEvent([]));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await listKeys(emulators.s3, emulators.dataBucket, '')).toEqual([]);
  });

  it('quarantines a record over 1 MiB with its size and still lands the rest of the batch', async () => {
    // Prepare
    const huge = Buffer.alloc(1_100_000, 'x');
    const event = kinesisEvent([
      { data: huge, sequenceNumber: sequenceNumber(0), arrivalMs: ARRIVAL },
      { data: envelope(validReading(1)), sequenceNumber: sequenceNumber(1), arrivalMs: ARRIVAL },
    ]);
    // Act
    await ingest.handler(event);
    // Assess
    const [entry] = await quarantine();
    expect(entry?.row.reason).toBe('record is 1100000 bytes, over the 1 MiB (1048576 bytes) record limit');
    expect((await raw()).map((r) => r.row)).toEqual([validReading(1)]);
  });

  it('reports the run whose S3 write failed and everything after it, so Kinesis retries from there', async () => {
    // Prepare: two runs (arrivals in two hours); the second PutObject fails.
    const records = [
      ...[0, 1].map((i) => ({
        data: envelope(validReading(i)),
        sequenceNumber: sequenceNumber(i),
        arrivalMs: ARRIVAL,
      })),
      ...[2, 3].map((i) => ({
        data: envelope(validReading(i)),
        sequenceNumber: sequenceNumber(i),
        arrivalMs: NEXT_HOUR,
      })),
    ];
    const fault = failCommand(ingest.s3, 'PutObjectCommand', (call) => call === 2, slowDown);
    // Act
    const response = await ingest.handler(kinesisEvent(records));
    fault.remove();
    // Assess: the first run is stored, the failed run is reported in full.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      sequenceNumber(2),
      sequenceNumber(3),
    ]);
    expect((await raw()).map((r) => r.row)).toEqual([validReading(0), validReading(1)]);

    // Act again: Kinesis redelivers from the lowest reported record.
    const retry = await ingest.handler(kinesisEvent(records.slice(2)));
    // Assess: every record is stored exactly once.
    expect(retry.batchItemFailures).toEqual([]);
    const stored = (await raw()).map((r) => r.row);
    expect(stored).toHaveLength(4);
    expect(stored).toEqual(expect.arrayContaining([0, 1, 2, 3].map((i) => validReading(i))));
  });

  it('rewrites the same objects when a whole batch is delivered twice (a retry after a timeout)', async () => {
    // Prepare
    const event = kinesisEvent(
      [0, 1, 2].map((i) => ({
        data: envelope(validReading(i)),
        sequenceNumber: sequenceNumber(i),
        arrivalMs: ARRIVAL,
      })),
    );
    // Act
    await ingest.handler(event);
    await ingest.handler(event);
    // Assess
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'raw/')).toHaveLength(1);
    expect(await raw()).toHaveLength(3);
  });

  it('does not write a run again when a training run archived it before the batch was delivered again', async () => {
    // Prepare: a batch lands, a training run archives (moves) it, then the batch comes again
    const event = kinesisEvent(
      [0, 1, 2].map((i) => ({
        data: envelope(validReading(i)),
        sequenceNumber: sequenceNumber(i),
        arrivalMs: ARRIVAL,
      })),
    );
    await ingest.handler(event);
    const [rawKey] = await listKeys(emulators.s3, emulators.dataBucket, 'raw/');
    await moveToArchive(emulators.s3, emulators.dataBucket, rawKey as string);

    // Act
    const response = await ingest.handler(event);

    // Assess: the three readings are kept once, in archive/
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'raw/')).toEqual([]);
    expect(await readNdjsonUnder(emulators.s3, emulators.dataBucket, 'archive/')).toHaveLength(3);
  });

  it("files each system's records under its own raw/ prefix, and quarantines a system it was not given", async () => {
    // Prepare
    const event = kinesisEvent([
      { data: envelope(validReading(0)), sequenceNumber: sequenceNumber(0), arrivalMs: ARRIVAL },
      { data: envelope(sensorReading, 'sensors'), sequenceNumber: sequenceNumber(1), arrivalMs: ARRIVAL },
    ]);
    const waterOnly = ingest.createHandler([waterSystem]);
    // Act
    const deployed = await ingest.handler(event);
    const deployedRaw = await raw();
    const deployedKeys = await listKeys(emulators.s3, emulators.dataBucket, 'raw/');
    await emulators.s3.send(
      new DeleteObjectsCommand({
        Bucket: emulators.dataBucket,
        Delete: { Objects: deployedKeys.map((Key) => ({ Key })) },
      }),
    );
    const limited = await waterOnly(event);
    // Assess: the deployed ingest knows every system in the list (objects listed in key order).
    expect(deployed.batchItemFailures).toEqual([]);
    expect(deployedRaw.map((r) => [r.key.split('/')[1], r.row])).toEqual([
      ['sensors', sensorReading],
      ['water', validReading(0)],
    ]);
    // Assess: one given only water stores the water reading and quarantines the sensor one.
    expect(limited.batchItemFailures).toEqual([]);
    expect((await raw()).map((r) => r.row)).toEqual([validReading(0)]);
    expect((await quarantine()).map((q) => [q.key.split('/')[1], q.row.reason])).toEqual([
      ['unknown', 'unknown pipeline "sensors"'],
    ]);
  });

  it('quarantines the second of two readings with the same meter and hour in one batch', async () => {
    // Prepare
    const event = kinesisEvent([
      { data: envelope(validReading(5)), sequenceNumber: sequenceNumber(0), arrivalMs: ARRIVAL },
      { data: envelope(validReading(5)), sequenceNumber: sequenceNumber(1), arrivalMs: ARRIVAL },
    ]);
    // Act
    await ingest.handler(event);
    // Assess
    expect(await raw()).toHaveLength(1);
    expect((await quarantine()).map((q) => q.row.reason)).toEqual([
      `duplicate of the record at sequence number ${sequenceNumber(0)} in the same batch`,
    ]);
  });
});
