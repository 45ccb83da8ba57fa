import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { headEtag, putGzipNdjson } from '../../adapters/s3-object-store.js';
import { ingestMetricSets } from '../../core/metrics/platform-metrics.js';
import { RecordSpecs } from '../../core/pipelines/record-specs.js';
import { type IngestRun, planIngest } from '../../core/streaming/ingest-plan.js';
import { archiveKeyFor } from '../../core/streaming/keys.js';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems as allSystems } from '../../systems/index.js';
import { createS3Client } from '../platform/clients.js';
import { handlerEnv } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { publishMetrics } from '../platform/metrics.js';
import { toStreamRecords } from './kinesis-event.js';

const logger = createLogger('ingest');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/**
 * A batch delivered again (a crash or timeout after some of its runs were written) rebuilds the
 * same keys, so rewriting raw/ is harmless, unless a training run has archived that object in
 * between: then the run is already kept, and writing it again would count it twice.
 */
async function writeRun(bucket: string, run: IngestRun): Promise<void> {
  if (run.raw && (await headEtag(s3, bucket, archiveKeyFor(run.raw.key))) === undefined)
    await putGzipNdjson(s3, bucket, run.raw.key, encodeNdjsonGzip(run.raw.records));
  for (const quarantine of run.quarantines)
    await putGzipNdjson(s3, bucket, quarantine.key, encodeNdjsonGzip(quarantine.entries));
}

/**
 * Kinesis → raw/ and quarantine/. Records are written as runs (consecutive records of one hour
 * partition) in sequence order under keys built from shard and first sequence number.
 *
 * Why not Powertools' BatchProcessor: it handles records one at a time, which would mean one S3
 * object per record. Here a batch becomes a few objects, and the partial batch response follows
 * the same contract: the first run that cannot be written and every record after it are reported,
 * Kinesis checkpoints before them and retries from that run's first record, which rewrites the
 * same keys. Records already written are never reported, so a retry never duplicates them.
 */
export function createHandler(systems: readonly SystemDefinition[]) {
  const specs = new RecordSpecs(systems.map((system) => system.recordSpec));
  return (event: KinesisStreamEvent) => ingest(event, specs);
}

/** The deployed ingest: every system in the list. */
export const handler = createHandler(allSystems);

async function ingest(event: KinesisStreamEvent, specs: RecordSpecs): Promise<KinesisStreamBatchResponse> {
  const records = toStreamRecords(event);
  if (records.length === 0) {
    logger.info('empty batch: nothing to write');
    return { batchItemFailures: [] };
  }
  const bucket = handlerEnv.dataBucket();
  const runs = planIngest(records, specs);
  let valid = 0;
  let quarantined = 0;
  for (const [index, run] of runs.entries()) {
    try {
      await writeRun(bucket, run);
    } catch (error) {
      const failedSequenceNumbers = runs.slice(index).flatMap((r) => r.sequenceNumbers);
      logger.error('could not write a run; reporting it and the rest of the batch for retry', {
        error: error as Error,
        runKey: run.raw?.key ?? run.quarantines[0]?.key,
        failedRecords: failedSequenceNumbers.length,
        written: { valid, quarantined },
      });
      countWritten(runs.slice(0, index));
      return { batchItemFailures: failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
    }
    valid += run.raw?.records.length ?? 0;
    for (const quarantine of run.quarantines) {
      quarantined += quarantine.entries.length;
      logger.warn('records quarantined', {
        key: quarantine.key,
        count: quarantine.entries.length,
        firstReason: quarantine.entries[0]?.reason,
      });
    }
  }
  countWritten(runs);
  logger.info('batch ingested', { records: records.length, valid, quarantined, objects: runs.length });
  return { batchItemFailures: [] };
}

/**
 * Records landed and quarantined, per system and reason, as CloudWatch metrics (the deployment's
 * dashboard graphs them). Only what was written counts; the data is already safe, so a metric
 * that cannot be published is logged, never a reason to fail the batch.
 */
function countWritten(written: readonly IngestRun[]): void {
  if (written.length === 0) return;
  try {
    publishMetrics(ingestMetricSets(handlerEnv.metricsNamespace(), written));
  } catch (error) {
    logger.warn('could not publish the ingest metrics', { error: error as Error });
  }
}
