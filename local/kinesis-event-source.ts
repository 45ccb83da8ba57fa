import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventSourceDefinition } from '../lib/config/system-definition.js';
import { LOCAL_REGION } from './local-environment.js';

/** What Lambda sends to an on-failure destination for Kinesis, in the same shape. */
export interface OnFailureMessage {
  requestContext: {
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext?: { functionError?: string };
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  timestamp: string;
}

export type EventSourceActivity =
  | { type: 'batch'; shardId: string; records: number; failedRecords: number; ms: number }
  | { type: 'error'; shardId: string; records: number; message: string }
  | { type: 'bisect'; shardId: string; records: number }
  | { type: 'on-failure'; message: OnFailureMessage };

export interface EventSourceOptions {
  client: KinesisClient;
  streamName: string;
  streamArn: string;
  settings: EventSourceDefinition;
  invoke: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined | null>;
  onFailure: (message: OnFailureMessage) => Promise<void>;
  activity?: (activity: EventSourceActivity) => void;
  /** Idle wait between GetRecords calls; real Lambda polls each shard about once a second. */
  pollIntervalMs?: number;
  /** Wait before retrying a failed batch. */
  retryDelayMs?: number;
  /**
   * Where the last handled sequence number of each shard is kept, written after every batch:
   * polling resumes after it when the event source starts again.
   * @default - in memory only (the stream is read from `startingPosition` at every start)
   */
  checkpointFile?: string;
  /**
   * Lambda's event filter: only records whose data matches reach the function; the rest are
   * passed over (and the checkpoint moves past them) as the event source mapping does.
   * @default - every record is delivered
   */
  filter?: (data: Uint8Array) => boolean;
}

interface ShardState {
  shardId: string;
  buffer: KinesisRecord[];
  caughtUp: boolean;
  busy: boolean;
  /** When the latest GetRecords that found nothing new started (ms since epoch). */
  emptyReadStartedAt?: number;
  /** Last sequence number handled; polling resumes after it if it has to start over. */
  checkpoint?: string;
  /** How far the latest GetRecords read was behind the shard's tip (Kinesis' iterator lag). */
  millisBehindLatest?: number;
}

/** Where one shard's poller is, for status pages: a copy, never the live state. */
export interface ShardPosition {
  shardId: string;
  /** From the latest GetRecords answer; undefined before the first read. */
  millisBehindLatest: number | undefined;
  /** Records read but not yet delivered to the function. */
  buffered: number;
  checkpoint: string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Does locally what Lambda's Kinesis event source mapping does on AWS, with the same settings:
 * polls every shard, batches up to `batchSize` within `maxBatchingWindowSeconds`, honours partial
 * batch responses (checkpoint before the lowest failed record, retry from it), retries up to
 * `retryAttempts`, bisects a batch on function errors, skips records older than
 * `maxRecordAgeSeconds`, and sends what it gives up on to the on-failure destination.
 */
export class KinesisEventSource {
  private running = false;
  private readonly shards: ShardState[] = [];
  private loops: Promise<void>[] = [];

  constructor(private readonly options: EventSourceOptions) {}

  async start(): Promise<void> {
    const { Shards = [] } = await this.options.client.send(
      new ListShardsCommand({ StreamName: this.options.streamName }),
    );
    const saved = await this.readCheckpoints();
    this.running = true;
    for (const shard of Shards) {
      if (!shard.ShardId) continue;
      const checkpoint = saved[shard.ShardId];
      const state: ShardState = {
        shardId: shard.ShardId,
        buffer: [],
        caughtUp: false,
        busy: false,
        ...(checkpoint ? { checkpoint } : {}),
      };
      this.shards.push(state);
      this.loops.push(this.pollUntilStopped(state));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  /** Each shard's iterator lag and backlog, read-only (the local console shows them). */
  shardPositions(): ShardPosition[] {
    return this.shards.map((shard) => ({
      shardId: shard.shardId,
      millisBehindLatest: shard.millisBehindLatest,
      buffered: shard.buffer.length,
      checkpoint: shard.checkpoint,
    }));
  }

  /**
   * True when every shard has been read to its end by a GetRecords call that started at or after
   * `since` and every fetched record is handled: a record put before `since` has been delivered.
   */
  isIdleSince(since: number): boolean {
    return this.shards.every(
      (shard) => shard.buffer.length === 0 && !shard.busy && (shard.emptyReadStartedAt ?? -1) >= since,
    );
  }

  /**
   * Resolves once every record put before the call has been delivered (or given up on): each
   * shard answered an empty read that started after the call. Facts, not a quiet period, so the
   * answer does not depend on how fast this machine polls.
   */
  async waitUntilIdle(timeoutMs = 120_000): Promise<void> {
    const since = Date.now();
    const deadline = since + timeoutMs;
    while (Date.now() < deadline) {
      if (this.isIdleSince(since)) return;
      await sleep(20);
    }
    throw new Error(`the ${this.options.streamName} event source did not drain within ${timeoutMs / 1000} s`);
  }

  /** A failed GetRecords (emulator restarting, throttling) is retried, as Lambda's poller does. */
  private async pollUntilStopped(shard: ShardState): Promise<void> {
    while (this.running) {
      try {
        await this.poll(shard);
      } catch (error) {
        if (!this.running) return;
        this.options.activity?.({
          type: 'error',
          shardId: shard.shardId,
          records: 0,
          message: `polling failed: ${(error as Error).message}`,
        });
        await sleep(1_000);
      }
    }
  }

  private async poll(shard: ShardState): Promise<void> {
    const { client, streamName, settings } = this.options;
    const pollMs = this.options.pollIntervalMs ?? 250;
    shard.buffer = [];
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.shardId,
          ...(shard.checkpoint
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: shard.checkpoint }
            : { ShardIteratorType: settings.startingPosition }),
        }),
      )
    ).ShardIterator;
    let windowStartedAt: number | undefined;

    while (this.running && iterator) {
      if (shard.buffer.length < settings.batchSize) {
        const startedAt = Date.now();
        const response = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        iterator = response.NextShardIterator;
        const read = response.Records ?? [];
        const { filter } = this.options;
        const records = filter ? read.filter((record) => filter(record.Data ?? new Uint8Array())) : read;
        shard.buffer.push(...records);
        const lastRead = read[read.length - 1]?.SequenceNumber;
        if (shard.buffer.length === 0 && records.length < read.length && lastRead) {
          // Everything read was filtered out: nothing is pending, so the position moves on.
          shard.checkpoint = lastRead;
          await this.writeCheckpoints();
        }
        shard.caughtUp = read.length === 0 || response.MillisBehindLatest === 0;
        shard.millisBehindLatest = response.MillisBehindLatest ?? shard.millisBehindLatest;
        if (read.length === 0) shard.emptyReadStartedAt = startedAt;
      }
      if (shard.buffer.length === 0) {
        windowStartedAt = undefined;
        await sleep(pollMs);
        continue;
      }
      windowStartedAt ??= Date.now();
      const windowOpen = Date.now() - windowStartedAt < settings.maxBatchingWindowSeconds * 1000;
      if (shard.buffer.length < settings.batchSize && windowOpen && !shard.caughtUp) {
        await sleep(Math.min(pollMs, 100));
        continue;
      }
      const batch = shard.buffer.slice(0, settings.batchSize);
      shard.busy = true;
      try {
        await this.deliver(shard.shardId, this.dropExpired(shard.shardId, batch));
        await this.reportExpired(shard.shardId);
      } finally {
        shard.busy = false;
      }
      shard.buffer.splice(0, batch.length);
      shard.checkpoint = batch[batch.length - 1]?.SequenceNumber ?? shard.checkpoint;
      await this.writeCheckpoints();
      windowStartedAt = undefined;
    }
  }

  private async readCheckpoints(): Promise<Record<string, string>> {
    const file = this.options.checkpointFile;
    if (!file) return {};
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`cannot read the event source checkpoints ${file}: ${(error as Error).message}`);
    }
  }

  /**
   * Written to a new file and renamed over the old one, so a kill mid-write leaves the previous
   * checkpoints whole: at worst one batch is delivered again, which ingest writes to the same keys.
   */
  private writeCheckpoints(): Promise<void> {
    // Shards poll concurrently: their writes are queued, each writes every shard's latest.
    this.checkpointWrites = this.checkpointWrites
      .catch(() => undefined) // a failed write was reported to its own caller; the next one retries
      .then(() => this.writeCheckpointFile());
    return this.checkpointWrites;
  }

  private checkpointWrites: Promise<void> = Promise.resolve();

  private async writeCheckpointFile(): Promise<void> {
    const file = this.options.checkpointFile;
    if (!file) return;
    const checkpoints = Object.fromEntries(
      this.shards.flatMap((shard) => (shard.checkpoint ? [[shard.shardId, shard.checkpoint]] : [])),
    );
    const temporary = `${file}.${process.pid}.tmp`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(checkpoints)}\n`);
    await rename(temporary, file);
  }

  private expired: { shardId: string; records: KinesisRecord[] }[] = [];

  private dropExpired(shardId: string, batch: KinesisRecord[]): KinesisRecord[] {
    const maxAgeMs = this.options.settings.maxRecordAgeSeconds * 1000;
    const now = Date.now();
    const expired = batch.filter((r) => now - (r.ApproximateArrivalTimestamp?.getTime() ?? now) > maxAgeMs);
    if (expired.length > 0) this.expired.push({ shardId, records: expired });
    return batch.filter((r) => !expired.includes(r));
  }

  private async reportExpired(shardId: string): Promise<void> {
    const mine = this.expired.filter((e) => e.shardId === shardId);
    this.expired = this.expired.filter((e) => e.shardId !== shardId);
    for (const { records } of mine) await this.sendToOnFailure(shardId, records, 'RecordAgeExceeded', 0);
  }

  /** Delivers a batch until it succeeds or is given up on; the whole batch is handled on return. */
  private async deliver(shardId: string, batch: KinesisRecord[]): Promise<void> {
    const { settings } = this.options;
    let pending = batch;
    let invokes = 0;
    while (pending.length > 0) {
      invokes++;
      const started = Date.now();
      let failedFrom: number;
      let functionError: string | undefined;
      try {
        const response = await this.options.invoke(toEvent(shardId, this.options.streamArn, pending));
        failedFrom = lowestFailure(pending, response);
        this.options.activity?.({
          type: 'batch',
          shardId,
          records: pending.length,
          failedRecords: pending.length - failedFrom,
          ms: Date.now() - started,
        });
      } catch (error) {
        functionError = (error as Error).message;
        failedFrom = 0;
        this.options.activity?.({ type: 'error', shardId, records: pending.length, message: functionError });
        if (settings.bisectBatchOnError && pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          this.options.activity?.({ type: 'bisect', shardId, records: pending.length });
          await this.deliver(shardId, pending.slice(0, half));
          await this.deliver(shardId, pending.slice(half));
          return;
        }
      }
      // Checkpoint before the lowest failed record; everything before it is done.
      pending = pending.slice(failedFrom);
      if (pending.length === 0) return;
      if (invokes > settings.retryAttempts) {
        await this.sendToOnFailure(shardId, pending, 'RetryAttemptsExhausted', invokes, functionError);
        return;
      }
      await sleep(this.options.retryDelayMs ?? 200);
      if (!this.running) return;
    }
  }

  private async sendToOnFailure(
    shardId: string,
    records: KinesisRecord[],
    condition: OnFailureMessage['requestContext']['condition'],
    invokes: number,
    functionError?: string,
  ): Promise<void> {
    const first = records[0];
    const last = records[records.length - 1];
    if (!first || !last) return;
    const message: OnFailureMessage = {
      requestContext: { condition, approximateInvokeCount: invokes },
      ...(functionError ? { responseContext: { functionError } } : {}),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber ?? '',
        endSequenceNumber: last.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: first.ApproximateArrivalTimestamp?.toISOString() ?? '',
        approximateArrivalOfLastRecord: last.ApproximateArrivalTimestamp?.toISOString() ?? '',
        batchSize: records.length,
        streamArn: this.options.streamArn,
      },
      timestamp: new Date().toISOString(),
    };
    await this.options.onFailure(message);
    this.options.activity?.({ type: 'on-failure', message });
  }
}

/** Index of the lowest reported failure, or the batch length when there is none. */
function lowestFailure(
  batch: KinesisRecord[],
  response: KinesisStreamBatchResponse | undefined | null,
): number {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return batch.length;
  const ids = new Set(failures.map((f) => f.itemIdentifier));
  const index = batch.findIndex((r) => r.SequenceNumber !== undefined && ids.has(r.SequenceNumber));
  // Lambda treats an identifier it cannot match as a failure of the whole batch.
  return index === -1 ? 0 : index;
}

function toEvent(shardId: string, streamArn: string, records: KinesisRecord[]): KinesisStreamEvent {
  return {
    Records: records.map(
      (record): KinesisStreamRecord => ({
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${record.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/local-ingest',
        awsRegion: LOCAL_REGION,
        eventSourceARN: streamArn,
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: record.PartitionKey ?? '',
          sequenceNumber: record.SequenceNumber ?? '',
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
        },
      }),
    ),
  };
}
