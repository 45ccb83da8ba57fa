import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { getJson, putGzipNdjson, putJson } from '../../adapters/s3-object-store.js';
import { InputError } from '../../core/data/input-fields.js';
import { cursorKey, initialDatasetKey } from '../../core/streaming/dataset-keys.js';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { type PutRecordsPort, putAllRecords } from '../../core/streaming/put-records.js';
import { type ReplayCursor, replaySlices, toPutEntries } from '../../core/streaming/replay.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { createKinesisClient, createS3Client } from '../platform/clients.js';
import { handlerEnv } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { requireSystem } from '../platform/model-key.js';
import { defineStep, stepHandler } from '../platform/step.js';
import { loadDataset } from './dataset.js';
import { type ProducerInput, parseProducerInput } from './input.js';

const logger = createLogger('producer');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
export const kinesis = createKinesisClient();

const kinesisPort: PutRecordsPort = {
  async putRecords(entries) {
    const response = await kinesis.send(
      new PutRecordsCommand({
        StreamName: handlerEnv.streamName(),
        Records: entries.map((entry) => ({ PartitionKey: entry.partitionKey, Data: entry.data })),
      }),
    );
    return (response.Records ?? []).map((r) => ({
      sequenceNumber: r.SequenceNumber,
      shardId: r.ShardId,
      errorCode: r.ErrorCode,
      errorMessage: r.ErrorMessage,
    }));
  },
};

export interface ProducerResult {
  pipeline: string;
  /** Records accepted by Kinesis in this run. */
  produced: number;
  /** Rows set aside in quarantine/ instead of being sent (too large, or undeliverable after retries). */
  quarantined: number;
  batches: number;
  cursor: { offset: number; total: number };
  /** True when the whole stream share has been sent. */
  exhausted: boolean;
  /** True when this run found nothing left to send. */
  noNewData: boolean;
  initialDatasetKey: string;
}

const sleep = (seconds: number) =>
  new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / handlerEnv.clockSpeed()));

/** The stream simulator: sends the next `numBatches × batchSize` rows and moves the cursor. */
async function produce(input: ProducerInput, system: SystemDefinition): Promise<ProducerResult> {
  const spec = system.recordSpec;
  const bucket = handlerEnv.dataBucket();
  const dataset = await loadDataset(input, system, s3);

  const stored = await getJson<ReplayCursor>(s3, bucket, cursorKey(input.pipeline));
  if (stored && stored.sourceId !== dataset.sourceId && !input.resetCursor) {
    throw new InputError(
      `the cursor in s3://${bucket}/${cursorKey(input.pipeline)} belongs to another data set or split (${stored.sourceId}, this one is ${dataset.sourceId}); pass resetCursor: true to start this one from the beginning`,
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
  }
  let offset = fresh ? 0 : (stored?.offset ?? 0);
  const total = dataset.stream.length;
  const slices = replaySlices(offset, total, input.batchSize, input.numBatches);

  let produced = 0;
  let quarantined = 0;
  for (const [index, slice] of slices.entries()) {
    if (index > 0 && input.intervalSeconds > 0) await sleep(input.intervalSeconds);
    const { entries, unsendable } = toPutEntries(spec, dataset.stream.slice(slice.start, slice.end));
    const outcome = await putAllRecords(kinesisPort, entries);
    const setAside = [
      ...unsendable,
      ...outcome.failed.map((f) => ({
        row: Buffer.from(f.entry.data).toString('utf8'),
        reason: `not accepted by Kinesis after retries: ${f.errorCode} ${f.errorMessage}`,
      })),
    ];
    if (setAside.length > 0) {
      // Deterministic key: a re-run of the same slice rewrites it rather than adding a copy.
      const key = `quarantine/${input.pipeline}/producer/${dataset.sourceId}-${String(slice.start).padStart(9, '0')}.ndjson.gz`;
      await putGzipNdjson(s3, bucket, key, encodeNdjsonGzip(setAside));
      logger.warn('rows set aside in quarantine', {
        key,
        count: setAside.length,
        firstReason: setAside[0]?.reason,
      });
    }
    produced += outcome.written;
    quarantined += setAside.length;
    offset = slice.end;
    // After every batch, so a crash re-sends at most one batch.
    const cursor: ReplayCursor = {
      sourceId: dataset.sourceId,
      offset,
      total,
      updatedAt: new Date().toISOString(),
    };
    await putJson(s3, bucket, cursorKey(input.pipeline), cursor);
    logger.info('batch sent', {
      batch: index + 1,
      of: slices.length,
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
    batches: slices.length,
    cursor: { offset, total },
    exhausted: offset >= total,
    noNewData: slices.length === 0,
    initialDatasetKey: initialDatasetKey(input.pipeline),
  };
  if (result.noNewData) logger.info('no new data: the whole data set has been streamed', { total });
  return result;
}

/** The producer for the given systems (the deployed one serves every system in the list). */
export function createHandler(systems: readonly SystemDefinition[]) {
  const step = defineStep({
    parse: (input, bound) => parseProducerInput(input, systems, bound),
    run: (input) => produce(input, requireSystem(systems, input.pipeline)),
  });
  return stepHandler({ steps: { produce: step } });
}

export const handler = createHandler(allSystems);
