import { DeleteObjectsCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KinesisStreamEvent } from 'aws-lambda';
import { listKeys } from '../../../local/inspect-data.js';
import { generateOnlineRecords } from '../../../systems/online/records/generator.js';
import type { OnlineRecord } from '../../../systems/online/records/record.js';
import { kinesisEvent, sequenceNumber } from '../../support/kinesis-events.js';

/**
 * What the online learner's tests share: Kinesis events of online records as Lambda delivers
 * them, and a byte-exact snapshot of the buckets to compare before and after.
 */

/** Each entry a record (put in the system's envelope) or raw data, numbered from `firstSequence`. */
export function onlineEvent(
  entries: readonly (OnlineRecord | { raw: unknown })[],
  firstSequence: number,
): KinesisStreamEvent {
  return kinesisEvent(
    entries.map((entry, i) => {
      const data = 'raw' in entry ? (entry.raw as object) : { pipeline: 'online', data: entry };
      // Arrival a second after the record's time, as the poller puts it right away.
      const time = 'raw' in entry ? Date.parse('2024-01-01T00:00:00Z') : Date.parse(entry.time);
      return {
        data,
        sequenceNumber: sequenceNumber(firstSequence + i),
        arrivalMs: time + 1_000,
        partitionKey: 'online',
      };
    }),
  );
}

/** Every object in the buckets: key → its bytes (base64), to compare byte for byte. */
export async function snapshotBuckets(
  s3: S3Client,
  buckets: readonly string[],
): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  for (const bucket of buckets)
    for (const key of await listKeys(s3, bucket, '')) {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
      snapshot.set(`${bucket}/${key}`, Buffer.from(bytes).toString('base64'));
    }
  return snapshot;
}

export async function emptyBuckets(s3: S3Client, buckets: readonly string[]): Promise<void> {
  for (const bucket of buckets) {
    const keys = await listKeys(s3, bucket, '');
    for (let i = 0; i < keys.length; i += 1000)
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
        }),
      );
  }
}

/** Runs a hook before each S3 request a client sends (with the command's name and input). */
export function watchS3(
  client: S3Client,
  name: string,
  before: (command: string, input: { Key?: string; IfMatch?: string }) => Promise<void> | void,
): { remove: () => void } {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: { Key?: string; IfMatch?: string } }) => {
      await before(context.commandName ?? 'unknown', args.input);
      return next(args);
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name });
  return { remove: () => client.middlewareStack.remove(name) };
}

export const STREAM_SIZE = 240;
export const BATCH_SIZE = 20;
/** 2 s a tick from midnight: tick 1,800 starts hour 01, inside batch 5 (ticks 1,790–1,809). */
export const STREAM_START_TICK = 1_690;

/**
 * The exactly-once test's stream: 240 records in 12 batches, with what a real stream has: batch 5
 * starts with the last 5 records of batch 4 sent again (a poller that crashed before moving its
 * cursor) and crosses an hour (two history partitions), and batch 7 holds an invalid record.
 */
export function exactlyOnceStream(): (OnlineRecord | { raw: unknown })[][] {
  const records = generateOnlineRecords({ seed: 11, count: STREAM_SIZE, startTick: STREAM_START_TICK });
  const batches: (OnlineRecord | { raw: unknown })[][] = [];
  for (let start = 0; start < STREAM_SIZE; start += BATCH_SIZE)
    batches.push(records.slice(start, start + BATCH_SIZE));
  batches[5] = [...records.slice(95, 100), ...(batches[5] ?? [])];
  batches[7]?.splice(3, 0, { raw: { pipeline: 'online', data: { tick: -1 } } });
  return batches;
}
