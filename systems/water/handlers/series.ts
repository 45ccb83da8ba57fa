import { getObject, listObjects, putJson } from '../../../adapters/s3-object-store.js';
import { InputError } from '../../../core/data/input-fields.js';
import { reasonKind } from '../../../core/pipelines/validation-helpers.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import {
  emptyBuckets,
  type HourlyBuckets,
  mergeReadings,
  toHourlySeries,
  trimBuckets,
} from '../model/hourly-series.js';
import { PIPELINE, refuseOtherPipeline } from '../names.js';
import { type WaterReading, waterRecordSpec } from '../records/reading.js';
import { waterKeys } from '../store/keys.js';
import { loadBuckets, saveBuckets } from '../store/series-store.js';

const logger = createLogger('water-series');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** Buckets keep a little more than the largest training window. */
const KEEP_HOURS = 8_760;

export interface SeriesResult {
  runId: string;
  pipeline: typeof PIPELINE;
  /** Readings the series did not count before (0: nothing to retrain on; init run again: 0). */
  newReadings: number;
  rejected: number;
  points: number;
  /** The run's record of what it consumed (artifacts bucket); archive moves exactly these. */
  manifestKey: string;
  /**
   * Raw objects consumed. With no new readings they were merged by a run that failed before its
   * archive step: the state machine archives them without training.
   */
  rawObjects: number;
}

interface Consumed {
  key: string;
  etag?: string;
}

interface Merged {
  source: 'initial' | 'raw';
  consumed: Consumed[];
  newReadings: number;
  rejected: number;
  /** Rejected rows by kind of reason. */
  reasons: Record<string, number>;
}

/** Rows of the initial share come unvalidated from the data set; only valid readings count. */
function validReadings(rows: unknown[], reasons: Record<string, number>): WaterReading[] {
  const readings: WaterReading[] = [];
  for (const row of rows) {
    const result = waterRecordSpec.validate(row, Date.now());
    if (result.ok) readings.push(result.value);
    else {
      const reason = reasonKind(result.reason);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  return readings;
}

/** Trims and saves the series (conditionally on what was read), and records what the run consumed. */
async function finish(
  runId: string,
  buckets: HourlyBuckets,
  readEtag: string | undefined,
  merged: Merged,
): Promise<SeriesResult> {
  trimBuckets(buckets, KEEP_HOURS);
  await saveBuckets(s3, buckets, readEtag);
  const points = toHourlySeries(buckets).values.length;
  const manifestKey = waterKeys.run(runId).data;
  await putJson(s3, handlerEnv.artifactsBucket(), manifestKey, {
    runId,
    pipeline: PIPELINE,
    ...merged,
    points,
    createdAt: new Date().toISOString(),
  });
  const { newReadings, rejected } = merged;
  logger.info('series updated', { runId, source: merged.source, newReadings, rejected, points });
  const rawObjects = merged.consumed.filter((object) => object.key.startsWith(waterKeys.rawPrefix)).length;
  return { runId, pipeline: PIPELINE, newReadings, rejected, points, manifestKey, rawObjects };
}

/**
 * init: the initial training share merged into the stored series, exactly as collect merges raw
 * objects. It never starts over: a retrain may already have merged (and then archived) raw
 * objects, and a series rebuilt from the initial share alone would lose them for good. Readings
 * the series already counts are skipped, so running init again changes nothing.
 */
const init = defineStep({
  parse: (input) => refuseOtherPipeline(input),
  async run(_, { runId }) {
    const bucket = handlerEnv.dataBucket();
    const key = waterKeys.initialDataset;
    const object = await getObject(s3, bucket, key);
    if (!object)
      throw new InputError(
        `no initial training share at s3://${bucket}/${key}: run the water-stream state machine once first`,
      );
    const reasons: Record<string, number> = {};
    const rows = decodeNdjsonGzip(object.bytes);
    const readings = validReadings(rows, reasons);
    // Read after the share is decoded, so the window between this read and the conditional
    // write stays short; a run that saved in between makes the write fail and the retry merge again.
    const stored = await loadBuckets(s3);
    const buckets = stored?.buckets ?? emptyBuckets();
    const newReadings = mergeReadings(buckets, readings);
    return finish(runId, buckets, stored?.etag, {
      source: 'initial',
      consumed: [{ key, etag: object.etag }],
      newReadings,
      rejected: rows.length - readings.length,
      reasons,
    });
  },
});

/** collect: every raw object still in raw/water/ merged into the stored series (deduplicated by meter and hour). */
const collect = defineStep({
  parse: (input) => refuseOtherPipeline(input),
  async run(_, { runId }) {
    const bucket = handlerEnv.dataBucket();
    const consumed: Consumed[] = await listObjects(s3, bucket, waterKeys.rawPrefix);
    const stored = await loadBuckets(s3);
    const buckets = stored?.buckets ?? emptyBuckets();
    const reasons: Record<string, number> = {};
    let newReadings = 0;
    let rows = 0;
    let valid = 0;
    for (const object of consumed) {
      const bytes = (await getObject(s3, bucket, object.key))?.bytes;
      const objectRows = bytes ? decodeNdjsonGzip(bytes) : [];
      // Raw rows passed ingest's validation; validating again costs little and keeps the series clean.
      const readings = validReadings(objectRows, reasons);
      newReadings += mergeReadings(buckets, readings);
      rows += objectRows.length;
      valid += readings.length;
    }
    return finish(runId, buckets, stored?.etag, {
      source: 'raw',
      consumed,
      newReadings,
      rejected: rows - valid,
      reasons,
    });
  },
});

export const handler = stepHandler({
  steps: { init, collect },
  // A concurrent run saved the series first: the retry re-reads and merges on top of it.
  errors: { retryable: [PreconditionFailedError] },
});
