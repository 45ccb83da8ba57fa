import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestEventSource } from '../../lib/config/platform-definition.js';
import { KinesisEventSource, type OnFailureMessage } from '../../local/kinesis-event-source.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';

/** The local stand-in for Lambda's event source mapping, against the real Kinesis emulator. */
let emulators: TestEmulators;
let source: KinesisEventSource | undefined;

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: true });
});
afterEach(async () => source?.stop());
afterAll(async () => emulators?.stop());

async function streamWith(count: number): Promise<string> {
  const stream = await emulators.createStream(1);
  await emulators.requireKinesis().send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: Array.from({ length: count }, (_, i) => ({
        PartitionKey: 'pk',
        Data: Buffer.from(String(i)),
      })),
    }),
  );
  return stream;
}

const numbersOf = (event: KinesisStreamEvent) =>
  event.Records.map((r) => Number(Buffer.from(r.kinesis.data, 'base64').toString()));

async function run(
  count: number,
  invoke: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined>,
  settings: Partial<typeof ingestEventSource> = {},
) {
  const stream = await streamWith(count);
  const failures: OnFailureMessage[] = [];
  source = new KinesisEventSource({
    client: emulators.requireKinesis(),
    streamName: stream,
    streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
    settings: { ...ingestEventSource, batchSize: 10, maxBatchingWindowSeconds: 0, ...settings },
    invoke,
    onFailure: async (message) => {
      failures.push(message);
    },
    pollIntervalMs: 20,
    retryDelayMs: 1,
  });
  await source.start();
  await source.waitUntilIdle(20_000);
  return failures;
}

describe('local Kinesis event source mapping', () => {
  it('delivers every record once, in order, in batches of at most batchSize', async () => {
    // Prepare
    const batches: number[][] = [];
    // Act
    const failures = await run(25, async (event) => {
      batches.push(numbersOf(event));
      return { batchItemFailures: [] };
    });
    // Assess
    expect(batches.every((b) => b.length <= 10)).toBe(true);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(failures).toEqual([]);
  });

  it('retries from the lowest failed record of a partial batch response, never before it', async () => {
    // Prepare
    const seen: number[][] = [];
    let failedOnce = false;
    // Act
    await run(10, async (event) => {
      const numbers = numbersOf(event);
      seen.push(numbers);
      if (!failedOnce && numbers.includes(6)) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: event.Records[6]?.kinesis.sequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    });
    // Assess
    expect(seen).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [6, 7, 8, 9],
    ]);
  });

  it('bisects a batch that makes the function throw, isolates the bad record and sends it to the on-failure destination', async () => {
    // Prepare
    const delivered: number[] = [];
    // Act
    const failures = await run(8, async (event) => {
      const numbers = numbersOf(event);
      if (numbers.includes(5)) throw new Error('poison record');
      delivered.push(...numbers);
      return { batchItemFailures: [] };
    });
    // Assess
    expect(delivered.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: ingestEventSource.retryAttempts + 1,
      },
      responseContext: { functionError: 'poison record' },
      KinesisBatchInfo: { batchSize: 1 },
    });
  });

  it('sends records older than maxRecordAgeSeconds to the on-failure destination without invoking', async () => {
    // Prepare
    let invoked = 0;
    // Act
    const failures = await run(
      3,
      async () => {
        invoked++;
        return { batchItemFailures: [] };
      },
      { maxRecordAgeSeconds: 0 },
    );
    // Assess
    expect(invoked).toBe(0);
    expect(failures.map((f) => [f.requestContext.condition, f.KinesisBatchInfo.batchSize])).toEqual([
      ['RecordAgeExceeded', 3],
    ]);
  });
});
