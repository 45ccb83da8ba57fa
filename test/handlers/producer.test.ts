import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toCsv } from '../../core/data/csv.js';
import { splitInitialShare } from '../../core/streaming/replay.js';
import type { ProducerResult } from '../../lambdas/producer/index.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { generateWaterReadings } from '../../systems/water/records/generator.js';
import { WATER_FIELDS } from '../../systems/water/records/reading.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { throttlePutRecordsEntries } from '../support/faults.js';
import { readWholeStream } from '../support/stream-reader.js';

let emulators: TestEmulators;
let producer: typeof import('../../lambdas/producer/index.js');
let stream: string;

/** A small generated data set: 2 days × 2 meters = 96 rows, 20% kept for initial training. */
const source = { kind: 'generated', days: 2, zones: 1, metersPerZone: 2, seed: 7 } as const;
const options = {
  seed: 7,
  start: '2024-01-01T00:00:00Z',
  hours: 48,
  zones: 1,
  metersPerZone: 2,
  missingRate: 0.003,
  malformedRate: 0.002,
};
const streamShare = () =>
  splitInitialShare(
    generateWaterReadings(options).map((r) => r.data),
    0.2,
  ).stream;
const naturalKey = (data: Record<string, unknown>) => `${data.meterId}|${data.timestamp}`;

/** Starts the producer as the water-stream state machine does: the input, with the pipeline beside it. */
const streamWater = async (input: Record<string, unknown>) =>
  (await producer.handler({
    input,
    pipeline: 'water',
    execution: { name: 'water-stream-test', startTime: '2024-03-01T13:00:00Z' },
  })) as ProducerResult;

/** Starts the producer from the console: the input alone, naming its pipeline. */
const consoleStart = async (input: Record<string, unknown>) =>
  (await producer.handler({ pipeline: 'water', ...input })) as ProducerResult;

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: true });
  producer = await import('../../lambdas/producer/index.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => {
  stream = await emulators.createStream(2);
  for (const key of await listKeys(emulators.s3, emulators.dataBucket, '')) {
    await emulators.s3.send(new DeleteObjectCommand({ Bucket: emulators.dataBucket, Key: key }));
  }
});

describe('producer handler against the Kinesis and S3 emulators', () => {
  it('starts from {} with defaults: keeps 20% for initial training and streams the next slice', async () => {
    // Act
    const result = await streamWater({});
    // Assess
    expect(result).toMatchObject({
      pipeline: 'water',
      produced: 600,
      batches: 3,
      exhausted: false,
      noNewData: false,
    });
    const initial = await readNdjsonUnder(emulators.s3, emulators.dataBucket, 'datasets/water/');
    expect(initial.length).toBeGreaterThan(1000);
    expect(result.cursor.offset).toBe(600);
    expect(result.cursor.total).toBeGreaterThan(4 * initial.length - 10);
    expect(await readWholeStream(emulators.requireKinesis(), stream)).toHaveLength(600);
  });

  it('continues from its cursor on the next run and sends each row once', async () => {
    // Act
    const first = await streamWater({ source, batchSize: 15, numBatches: 2 });
    const second = await streamWater({ source, batchSize: 15, numBatches: 2 });
    // Assess
    expect([first.cursor.offset, second.cursor.offset]).toEqual([30, 60]);
    const sent = await readWholeStream(emulators.requireKinesis(), stream);
    expect(new Set(sent.map((r) => naturalKey(r.data))).size).toBe(60);
    expect(sent.map((r) => naturalKey(r.data)).sort()).toEqual(
      streamShare()
        .slice(0, 60)
        .map((r) => naturalKey(r as Record<string, unknown>))
        .sort(),
    );
    expect(sent.every((r) => r.pipeline === 'water' && r.partitionKey === r.data.meterId)).toBe(true);
  });

  it('re-sends only the entries Kinesis throttled, so the stream holds every row exactly once', async () => {
    // Prepare: the first two PutRecords calls lose every third entry to throttling.
    const fault = throttlePutRecordsEntries(
      producer.kinesis,
      (call) => call <= 2,
      (i) => i % 3 === 0,
    );
    // Act
    const result = await consoleStart({ source, batchSize: 50, numBatches: 1 });
    fault.remove();
    // Assess
    expect(fault.calls()).toBeGreaterThanOrEqual(3);
    expect(result.produced).toBe(50);
    const keys = (await readWholeStream(emulators.requireKinesis(), stream)).map((r) => naturalKey(r.data));
    expect(keys).toHaveLength(50);
    expect(new Set(keys).size).toBe(50);
  });

  it('quarantines entries still throttled after every retry, with the reason, and moves on', async () => {
    // Prepare: entry 0 of every call is throttled, forever.
    const fault = throttlePutRecordsEntries(
      producer.kinesis,
      () => true,
      (i) => i === 0,
    );
    // Act
    const result = await consoleStart({ source, batchSize: 10, numBatches: 1 });
    fault.remove();
    // Assess: 9 sent, 1 set aside with its reason; the cursor passed it, so nothing repeats.
    expect(result).toMatchObject({ produced: 9, quarantined: 1, cursor: { offset: 10 } });
    const [setAside] = await readNdjsonUnder<{ reason: string; row: string }>(
      emulators.s3,
      emulators.dataBucket,
      'quarantine/water/producer/',
    );
    expect(setAside?.row.reason).toMatch(
      /^not accepted by Kinesis after retries: ProvisionedThroughputExceededException/,
    );
    expect(await readWholeStream(emulators.requireKinesis(), stream)).toHaveLength(9);
  });

  it('says there is no new data once the data set is exhausted', async () => {
    // Prepare
    await consoleStart({ source, batchSize: 500, numBatches: 1 });
    // Act
    const result = await consoleStart({ source, batchSize: 500, numBatches: 1 });
    // Assess
    expect(result).toMatchObject({ produced: 0, noNewData: true, exhausted: true });
  });

  it('streams a user CSV from S3 and names missing columns when the header is wrong', async () => {
    // Prepare
    const rows = streamShare().slice(0, 30) as Record<string, unknown>[];
    await emulators.s3.send(
      new PutObjectCommand({
        Bucket: emulators.dataBucket,
        Key: 'uploads/mine.csv',
        Body: toCsv(WATER_FIELDS, rows),
      }),
    );
    await emulators.s3.send(
      new PutObjectCommand({
        Bucket: emulators.dataBucket,
        Key: 'uploads/bad.csv',
        Body: 'meterId,timestamp\nm1,2024-01-01T00:00:00Z\n',
      }),
    );
    // Act
    const result = await consoleStart({
      source: { uri: `s3://${emulators.dataBucket}/uploads/mine.csv` },
      initialShare: 0,
      batchSize: 100,
      numBatches: 1,
    });
    const bad = consoleStart({
      source: { uri: `s3://${emulators.dataBucket}/uploads/bad.csv` },
      resetCursor: true,
    });
    // Assess
    expect(result.produced).toBe(30);
    await expect(bad).rejects.toThrow('lacks column(s) zone, consumption, temperature, holiday');
  });

  it('refuses to continue a cursor made on another data set unless told to reset it', async () => {
    // Prepare
    await consoleStart({ source, batchSize: 10, numBatches: 1 });
    // Act
    const other = consoleStart({ source: { ...source, seed: 8 }, batchSize: 10, numBatches: 1 });
    // Assess
    await expect(other).rejects.toThrow(/belongs to another data set or split .* pass resetCursor: true/);
    await expect(
      consoleStart({ source: { ...source, seed: 8 }, batchSize: 10, numBatches: 1, resetCursor: true }),
    ).resolves.toMatchObject({
      cursor: { offset: 10 },
    });
  });

  it('rejects bad input with an InputError naming the field', async () => {
    // Act / Assess
    await expect(consoleStart({ batchSize: 0 })).rejects.toMatchObject({
      name: 'InputError',
      message: 'batchSize must be a whole number from 1 to 10000, got 0',
    });
  });

  it('rejects a console start that names no system, naming the systems, and sends nothing', async () => {
    // Act / Assess
    await expect(producer.handler({})).rejects.toMatchObject({
      name: 'InputError',
      message: 'pipeline must name a system ("water", "sensors"), got null',
    });
    await expect(producer.handler({ pipeline: 'sewage' })).rejects.toMatchObject({
      name: 'InputError',
      message: 'pipeline must name a system ("water", "sensors"), got "sewage"',
    });
    expect(await readWholeStream(emulators.requireKinesis(), stream)).toHaveLength(0);
    expect(await listKeys(emulators.s3, emulators.dataBucket, '')).toEqual([]);
  });
});
