import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../adapters/s3-object-store.js';
import { toCsv } from '../../core/data/csv.js';
import { type ReplayCursor, splitInitialShare } from '../../core/streaming/replay.js';
import type { ProducerResult } from '../../lambdas/producer/index.js';
import { listKeys, readNdjsonUnder } from '../../local/inspect-data.js';
import { generateWaterReadings } from '../../systems/water/records/generator.js';
import { WATER_FIELDS } from '../../systems/water/records/reading.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import {
  beforeCommand,
  failCommand,
  type InjectedFault,
  slowDown,
  throttlePutRecordsEntries,
} from '../support/faults.js';
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
const CURSOR_KEY = 'state/water/producer-cursor.json';

/** Faults a test injected; removed after each test, also when it fails before removing them. */
const injected: InjectedFault[] = [];
const inject = (fault: InjectedFault) => {
  injected.push(fault);
  return fault;
};

/**
 * Fails (with an S3 503) the first write of the producer's cursor that moves it to `offset`:
 * the write after the PutRecords of the rows before it. Other writes go through.
 */
const failCursorWriteTo = (offset: number) => {
  let failed = false;
  return inject(
    failCommand(
      producer.s3,
      'PutObjectCommand',
      (_call, input) => {
        if (failed || input.Key !== CURSOR_KEY) return false;
        failed = (JSON.parse(String(input.Body)) as { offset: number }).offset === offset;
        return failed;
      },
      slowDown,
    ),
  );
};

/** Every row of the stream share before `offset` is on the stream exactly once, and nothing else is. */
const expectStreamHoldsEachRowOnce = async (offset: number) => {
  const sent = (await readWholeStream(emulators.requireKinesis(), stream)).map((r) => naturalKey(r.data));
  const expected = streamShare()
    .slice(0, offset)
    .map((r) => naturalKey(r as Record<string, unknown>));
  const twice = sent.filter((key, i) => sent.indexOf(key) !== i);
  expect(twice, 'rows on the stream more than once').toEqual([]);
  expect(sent.sort()).toEqual(expected.sort());
};

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
afterEach(() => {
  for (const fault of injected.splice(0)) fault.remove();
});
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

  it.each([
    [0, ['cursor 0, pending 0-20', 'put', 'cursor 20, pending 20-40', 'put', 'cursor 40']],
    [1, ['cursor 0, pending 0-20', 'put', 'cursor 20', 'cursor 20, pending 20-40', 'put', 'cursor 40']],
  ])(
    'names each slice in its cursor before putting it (intervalSeconds %i)',
    async (intervalSeconds, expected) => {
      // Prepare: a log of the cursor writes and PutRecords calls, in order
      const log: string[] = [];
      inject(
        beforeCommand(
          producer.s3,
          'PutObjectCommand',
          (_call, input) => {
            if (input.Key !== CURSOR_KEY) return false;
            const { offset, pending } = JSON.parse(String(input.Body)) as ReplayCursor;
            log.push(`cursor ${offset}${pending ? `, pending ${pending.start}-${pending.end}` : ''}`);
            return false;
          },
          async () => {},
        ),
      );
      inject(
        beforeCommand(
          producer.kinesis,
          'PutRecordsCommand',
          () => {
            log.push('put');
            return false;
          },
          async () => {},
        ),
      );
      // Act
      const result = await consoleStart({ source, batchSize: 20, numBatches: 2, intervalSeconds });
      // Assess
      expect(log).toEqual(expected);
      expect(result).toMatchObject({ produced: 40, alreadySent: 0, cursor: { offset: 40 } });
    },
  );

  it('does not send a batch again when the cursor write after its PutRecords failed (issue 9)', async () => {
    // Prepare: batch 1 (rows 0-20) reaches the stream, then the cursor write after it fails
    const fault = failCursorWriteTo(20);
    const first = consoleStart({ source, batchSize: 20, numBatches: 2 });
    await expect(first).rejects.toThrow('Please reduce your request rate.');
    fault.remove();
    // Act: the retry, with the same input
    const second = await consoleStart({ source, batchSize: 20, numBatches: 2 });
    // Assess: rows 0-20 found on the stream and not sent again; rows 20-40 sent once
    await expectStreamHoldsEachRowOnce(40);
    expect(second).toMatchObject({ produced: 20, alreadySent: 20, batches: 2, cursor: { offset: 40 } });
    const cursor = await getJson<Record<string, unknown>>(emulators.s3, emulators.dataBucket, CURSOR_KEY);
    expect(cursor).toMatchObject({ offset: 40 });
    expect(cursor).not.toHaveProperty('pending');
  });

  it('completes a slice of which only part reached the stream, without duplicates (issue 9)', async () => {
    // Prepare: every PutRecords of the first run loses its entries 0, 3, 6, … to throttling, so
    // 29 of the 30 rows get through the retries and one is set aside in quarantine; then the
    // cursor write after the put fails
    const throttle = inject(
      throttlePutRecordsEntries(
        producer.kinesis,
        () => true,
        (i) => i % 3 === 0,
      ),
    );
    const fault = failCursorWriteTo(30);
    await expect(consoleStart({ source, batchSize: 30, numBatches: 1 })).rejects.toThrow(
      'Please reduce your request rate.',
    );
    throttle.remove();
    fault.remove();
    const partial = await readWholeStream(emulators.requireKinesis(), stream);
    const setAside = await readNdjsonUnder(emulators.s3, emulators.dataBucket, 'quarantine/water/producer/');
    // Act
    const second = await consoleStart({ source, batchSize: 30, numBatches: 1 });
    // Assess: the 29 rows on the stream are not sent again, the other one is, and the
    // quarantine object of that slice no longer holds it
    expect(partial).toHaveLength(29);
    expect(setAside).toHaveLength(1);
    await expectStreamHoldsEachRowOnce(30);
    expect(second).toMatchObject({ produced: 1, alreadySent: 29, quarantined: 0, cursor: { offset: 30 } });
    expect(await readNdjsonUnder(emulators.s3, emulators.dataBucket, 'quarantine/water/producer/')).toEqual(
      [],
    );
  });

  it('completes a slice whose run stopped in the middle of its PutRecords retries (issue 9)', async () => {
    // Prepare: the first call loses every other entry to throttling, and the run dies on the
    // retry (as a Lambda killed or timed out there would), before any cursor write after the put
    const throttle = inject(
      throttlePutRecordsEntries(
        producer.kinesis,
        (call) => call === 1,
        (i) => i % 2 === 1,
      ),
    );
    const killed = inject(
      failCommand(
        producer.kinesis,
        'PutRecordsCommand',
        (call) => call === 2,
        () => new Error('Lambda stopped (injected)'),
      ),
    );
    await expect(consoleStart({ source, batchSize: 24, numBatches: 1 })).rejects.toThrow(
      'Lambda stopped (injected)',
    );
    throttle.remove();
    killed.remove();
    // Act
    const second = await consoleStart({ source, batchSize: 24, numBatches: 2 });
    // Assess: 12 rows were on the stream; the other 12 and the next batch are sent once
    await expectStreamHoldsEachRowOnce(48);
    expect(second).toMatchObject({ produced: 12 + 24, alreadySent: 12, cursor: { offset: 48 } });
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
      message: 'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got null',
    });
    await expect(producer.handler({ pipeline: 'sewage' })).rejects.toMatchObject({
      name: 'InputError',
      message: 'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got "sewage"',
    });
    expect(await readWholeStream(emulators.requireKinesis(), stream)).toHaveLength(0);
    expect(await listKeys(emulators.s3, emulators.dataBucket, '')).toEqual([]);
  });
});
