import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import {
  type DecodedBatch,
  decodeBatch,
  type OnlineTask,
  onlineTasks,
  runPrequential,
  type StreamEntry,
} from '../model/prequential.js';
import { type OnlineSettings, onlineSettings } from '../model/settings.js';
import { assertCheckpointUnchanged, readCheckpoint, writeCheckpoint } from '../store/checkpoint-store.js';
import { ONLINE_MODELS, type OnlineModelName } from '../store/keys.js';
import { mergeRecent, updateLatest, writeHistory } from '../store/results-store.js';

const logger = createLogger('online-learner');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * The online learner: for each batch of the system's records, in stream order, each model
 * predicts, is scored, then learns (prequential), exactly once per tick.
 *
 * Exactly once rests on three things. (1) The checkpoint (model, metrics, last tick and sequence
 * numbers) is read at the batch's start and only ticks after its last one are learned. (2) Results
 * are written before the checkpoint, under keys the batch's first unlearned tick decides: a crash
 * anywhere leaves the old checkpoint, and the retry recomputes the same results (the models are
 * deterministic) and overwrites the same keys. (3) The checkpoint is written with If-Match on the
 * ETag read at the start: a stale writer is refused and its batch fails, so Lambda retries it from
 * the newer checkpoint, where its ticks are already learned.
 *
 * A failure throws, and Lambda retries the whole batch (the models' ticks already learned are then
 * skipped); invalid records are counted and skipped, they never block a batch.
 */
export function createLearnerHandler(settings: OnlineSettings = onlineSettings) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const batch = decodeBatch(toEntries(event));
    for (const invalid of batch.invalid.slice(0, 5))
      logger.warn('invalid record skipped', {
        sequenceNumber: invalid.sequenceNumber,
        reason: invalid.reason,
      });
    const learnedAt = new Date().toISOString();
    // The two models have separate checkpoints and keys, so they go side by side; both must
    // finish (or fail) before the batch is answered.
    const outcomes = await Promise.allSettled(
      ONLINE_MODELS.map((model) =>
        learnModel(onlineTasks[model] as OnlineTask<OnlineModelName>, settings, batch, learnedAt),
      ),
    );
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    const counts = Object.fromEntries(
      outcomes.map((o, i) => [ONLINE_MODELS[i], o.status === 'fulfilled' ? o.value : 'failed']),
    );
    logger.info('batch learned', {
      records: event.Records?.length ?? 0,
      valid: batch.records.length,
      invalid: batch.invalid.length,
      ...counts,
    });
    if (failed[0]) throw failed[0].reason;
    return { batchItemFailures: [] };
  };
}

export const handler = createLearnerHandler();

interface ModelCounts {
  learned: number;
  skipped: number;
  lastTick: number | null;
  generation: number | null;
  historyObjects: number;
}

async function learnModel<M extends OnlineModelName>(
  task: OnlineTask<M>,
  settings: OnlineSettings,
  batch: DecodedBatch,
  learnedAt: string,
): Promise<ModelCounts> {
  const artifacts = handlerEnv.artifactsBucket();
  const data = handlerEnv.dataBucket();
  const read = await readCheckpoint(s3, artifacts, task.model);
  const outcome = runPrequential(task, settings, read?.checkpoint, batch.records, learnedAt);
  const last = outcome.results.at(-1);
  if (!outcome.checkpoint || !last)
    return {
      learned: 0,
      skipped: outcome.skipped,
      lastTick: read?.checkpoint.lastTick ?? null,
      generation: read?.checkpoint.generation ?? null,
      historyObjects: 0,
    };
  if (outcome.newGeneration)
    logger.info('the configured model changed: a new generation starts', {
      model: task.model,
      generation: outcome.checkpoint.generation,
    });
  // Results first, checkpoint last: see the handler's comment.
  await assertCheckpointUnchanged(s3, artifacts, task.model, read?.etag);
  const historyKeys = await writeHistory(s3, data, task.model, outcome.results);
  await mergeRecent(s3, data, task.model, outcome.results);
  await updateLatest(s3, data, task.model, last);
  await writeCheckpoint(s3, artifacts, task.model, outcome.checkpoint, read?.etag);
  return {
    learned: outcome.results.length,
    skipped: outcome.skipped,
    lastTick: outcome.checkpoint.lastTick,
    generation: outcome.checkpoint.generation,
    historyObjects: historyKeys.length,
  };
}

/** Lambda's Kinesis event → the entries prequential decodes (eventID is `<shardId>:<sequenceNumber>`). */
function toEntries(event: KinesisStreamEvent): StreamEntry[] {
  if (!event || !Array.isArray(event.Records))
    throw new Error('the online learner expects a Kinesis event with a Records array');
  return event.Records.map((record) => ({
    shardId: record.eventID.split(':')[0] ?? 'unknown-shard',
    sequenceNumber: record.kinesis.sequenceNumber,
    arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
    text: Buffer.from(record.kinesis.data, 'base64').toString('utf8'),
  }));
}
