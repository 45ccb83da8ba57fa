import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { getObject, putGzipNdjson, putObject } from '../../adapters/s3-object-store.js';
import { InputError } from '../../core/data/input-fields.js';
import { PreconditionFailedError } from '../../core/registry/object-store.js';
import { cursorKey, initialDatasetKey } from '../../core/streaming/dataset-keys.js';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import {
  cursorAt,
  cursorProblem,
  entriesToResend,
  findOnStream,
  idsOfSlice,
  PENDING_LEASE_MS,
  pendingHeldBy,
  planBatches,
  type StreamScanPort,
} from '../../core/streaming/pending-slice.js';
import { putAllRecords } from '../../core/streaming/put-records.js';
import { type ReplayCursor, toPutEntries } from '../../core/streaming/replay.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { createKinesisClient, createS3Client } from '../platform/clients.js';
import { handlerEnv } from '../platform/env.js';
import { kinesisPutRecordsPort } from '../platform/kinesis-put-records.js';
import { createLogger } from '../platform/logger.js';
import { requireSystem } from '../platform/model-key.js';
import { defineStep, stepHandler } from '../platform/step.js';
import { loadDataset } from './dataset.js';
import { type ProducerInput, parseProducerInput } from './input.js';

const logger = createLogger('producer');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
export const kinesis = createKinesisClient();

const kinesisPort = kinesisPutRecordsPort(kinesis);

/** Reads the stream back, to see which rows of a pending slice an earlier run already put. */
const streamScanPort: StreamScanPort = {
  async listShards() {
    const shards: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: handlerEnv.streamName() }),
      );
      for (const shard of page.Shards ?? []) if (shard.ShardId) shards.push(shard.ShardId);
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  },
  async iteratorAt(shardId, since) {
    const response = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: handlerEnv.streamName(),
        ShardId: shardId,
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: since,
      }),
    );
    return response.ShardIterator;
  },
  async getRecords(iterator, limit) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    return {
      records: (page.Records ?? []).map((record) => ({
        data: record.Data ?? new Uint8Array(),
        ...(record.ApproximateArrivalTimestamp
          ? { arrivalMs: record.ApproximateArrivalTimestamp.getTime() }
          : {}),
      })),
      ...(page.NextShardIterator ? { nextIterator: page.NextShardIterator } : {}),
      ...(page.MillisBehindLatest !== undefined ? { millisBehindLatest: page.MillisBehindLatest } : {}),
    };
  },
};

export interface ProducerResult {
  pipeline: string;
  /** Records accepted by Kinesis in this run. */
  produced: number;
  /** Rows set aside in quarantine/ instead of being sent (too large, or undeliverable after retries). */
  quarantined: number;
  /**
   * Rows of a slice an earlier run left pending (it failed or was stopped after announcing the
   * slice) that were found on the stream and not sent again; the rest of that slice is in `produced`.
   */
  alreadySent: number;
  batches: number;
  cursor: { offset: number; total: number };
  /** True when the whole stream share has been sent. */
  exhausted: boolean;
  /** True when this run found nothing left to send. */
  noNewData: boolean;
  /** Why this run sent nothing though rows are left: another run is sending this system's next slice. */
  skipped?: string;
  initialDatasetKey: string;
}

const sleep = (seconds: number) =>
  new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / handlerEnv.clockSpeed()));

/**
 * The stream simulator: sends the next `numBatches × batchSize` rows and moves the cursor. One
 * run at a time per system: every cursor write is conditional on the one read or written last,
 * so of two runs that read the same cursor only one announces the next slice; the other gets a
 * PreconditionFailedError (retried: it then finds the slice taken and stops without sending).
 */
async function produce(
  input: ProducerInput,
  system: SystemDefinition,
  runId: string,
): Promise<ProducerResult> {
  const spec = system.recordSpec;
  const bucket = handlerEnv.dataBucket();
  const dataset = await loadDataset(input, system, s3);

  const key = cursorKey(input.pipeline);
  const read = await getObject(s3, bucket, key);
  const stored = read ? (JSON.parse(Buffer.from(read.bytes).toString('utf8')) as ReplayCursor) : undefined;
  let etag = read?.etag;
  if (stored && stored.sourceId !== dataset.sourceId && !input.resetCursor) {
    throw new InputError(
      `the cursor in s3://${bucket}/${key} belongs to another data set or split (${stored.sourceId}, this one is ${dataset.sourceId}); pass resetCursor: true to start this one from the beginning`,
    );
  }
  const fresh = !stored || stored.sourceId !== dataset.sourceId;
  if (fresh) {
    // Written once per data set, before streaming starts: the initial model trains on it.
    await putGzipNdjson(s3, bucket, initialDatasetKey(input.pipeline), encodeNdjsonGzip(dataset.initial));
    logger.info('initial training share written', {
      rows: dataset.initial.length,
      key: initialDatasetKey(input.pipeline),
    });
  } else {
    const problem = cursorProblem(stored);
    if (problem)
      throw new InputError(`the cursor in s3://${bucket}/${key} is not one the producer wrote: ${problem}`);
  }
  const total = dataset.stream.length;
  let offset = fresh ? 0 : (stored?.offset ?? 0);
  // Locally the clock runs faster: so does the lease (on AWS the speed is 1).
  const holder = fresh
    ? undefined
    : pendingHeldBy(stored?.pending, runId, new Date(), PENDING_LEASE_MS / handlerEnv.clockSpeed());
  if (holder) {
    const reason = `run ${holder} is sending rows ${stored?.pending?.start}–${stored?.pending?.end} of this data set (since ${stored?.pending?.since}); this run sent nothing`;
    logger.warn('another producer run holds the cursor', { holder, runId });
    return {
      pipeline: input.pipeline,
      produced: 0,
      quarantined: 0,
      alreadySent: 0,
      batches: 0,
      cursor: { offset, total },
      exhausted: offset >= total,
      noNewData: false,
      skipped: reason,
      initialDatasetKey: initialDatasetKey(input.pipeline),
    };
  }
  const batches = planBatches(
    offset,
    fresh ? undefined : stored?.pending,
    total,
    input.batchSize,
    input.numBatches,
  );
  const writeCursor = async (announce?: { start: number; end: number; since?: string }) => {
    const cursor = cursorAt({ sourceId: dataset.sourceId, total }, offset, new Date(), announce, runId);
    const written = await putObject(s3, bucket, key, `${JSON.stringify(cursor, null, 2)}\n`, {
      contentType: 'application/json',
      ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' }),
    });
    etag = written.etag;
  };

  let produced = 0;
  let quarantined = 0;
  let alreadySent = 0;
  // Whether the cursor in S3 already names the next batch as pending (a stored pending slice does).
  let announced = batches[0]?.recoverSince !== undefined;
  // A slice left by another run whose lease ran out: take it over first, so no third run does.
  const takeOver = batches[0];
  if (announced && takeOver && stored?.pending?.owner !== runId)
    await writeCursor({ start: takeOver.start, end: takeOver.end, since: takeOver.recoverSince });
  for (const [index, batch] of batches.entries()) {
    if (index > 0 && input.intervalSeconds > 0) await sleep(input.intervalSeconds);
    // Write-ahead: if this write fails, nothing of the batch was sent and a retry may send it all.
    if (!announced) await writeCursor(batch);
    const origin = { sourceId: dataset.sourceId, firstIndex: batch.start };
    const { entries, unsendable } = toPutEntries(spec, dataset.stream.slice(batch.start, batch.end), origin);
    let toSend = entries;
    if (batch.recoverSince !== undefined) {
      const scan = await findOnStream(
        streamScanPort,
        new Date(batch.recoverSince),
        idsOfSlice(dataset.sourceId, batch),
      );
      const split = entriesToResend(entries, scan.found);
      toSend = split.resend;
      alreadySent += split.alreadySent;
      logger.warn('pending slice from an interrupted run: sending only the rows not on the stream', {
        start: batch.start,
        end: batch.end,
        since: batch.recoverSince,
        alreadySent: split.alreadySent,
        toSend: toSend.length,
        scanned: { shards: scan.shards, pages: scan.pages, records: scan.records },
      });
    }
    const outcome = await putAllRecords(kinesisPort, toSend);
    const setAside = [
      ...unsendable,
      ...outcome.failed.map((f) => ({
        row: Buffer.from(f.entry.data).toString('utf8'),
        reason: `not accepted by Kinesis after retries: ${f.errorCode} ${f.errorMessage}`,
      })),
    ];
    // Deterministic key: a re-run of the same slice rewrites it rather than adding a copy. A
    // pending slice that needed rows sent again rewrites it even when empty: the interrupted run
    // may have set aside rows that are now on the stream.
    const resentPending = batch.recoverSince !== undefined && toSend.length > 0;
    if (setAside.length > 0 || resentPending) {
      const quarantineKey = `quarantine/${input.pipeline}/producer/${dataset.sourceId}-${String(batch.start).padStart(9, '0')}.ndjson.gz`;
      await putGzipNdjson(s3, bucket, quarantineKey, encodeNdjsonGzip(setAside));
      if (setAside.length > 0)
        logger.warn('rows set aside in quarantine', {
          key: quarantineKey,
          count: setAside.length,
          firstReason: setAside[0]?.reason,
        });
    }
    produced += outcome.written;
    quarantined += setAside.length;
    offset = batch.end;
    // After every batch. When the next batch follows at once, the same write announces it.
    const next = batches[index + 1];
    announced = next !== undefined && input.intervalSeconds === 0;
    await writeCursor(announced ? next : undefined);
    logger.info('batch sent', {
      batch: index + 1,
      of: batches.length,
      written: outcome.written,
      resent: outcome.resent,
      offset,
      total,
    });
  }

  const result: ProducerResult = {
    pipeline: input.pipeline,
    produced,
    quarantined,
    alreadySent,
    batches: batches.length,
    cursor: { offset, total },
    exhausted: offset >= total,
    noNewData: batches.length === 0,
    initialDatasetKey: initialDatasetKey(input.pipeline),
  };
  if (result.noNewData) logger.info('no new data: the whole data set has been streamed', { total });
  return result;
}

/** The producer for the given systems (the deployed one serves every system in the list). */
export function createHandler(systems: readonly SystemDefinition[]) {
  const step = defineStep({
    parse: (input, bound) => parseProducerInput(input, systems, bound),
    run: (input, { runId }) => produce(input, requireSystem(systems, input.pipeline), runId),
  });
  // Another run moved the cursor first (a conditional write lost): the retry re-reads it.
  return stepHandler({ steps: { produce: step }, errors: { retryable: [PreconditionFailedError] } });
}

export const handler = createHandler(allSystems);
