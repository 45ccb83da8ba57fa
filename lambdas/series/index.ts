import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { asBag, InputError, stringField } from '../../core/data/input-fields.js';
import { reasonKind } from '../../core/pipelines/validation-helpers.js';
import { initialDatasetKey } from '../../core/streaming/dataset-keys.js';
import { rawPipelinePrefix } from '../../core/streaming/keys.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import {
  emptyBuckets,
  type HourlyBuckets,
  mergeReadings,
  toHourlySeries,
  trimBuckets,
} from '../../core/water/hourly-series.js';
import { type WaterReading, waterRecordSpec } from '../../core/water/reading.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { getBytes, listObjects, putJson } from '../commons/s3-objects.js';
import { loadBuckets, saveBuckets } from '../commons/water-series-store.js';

const logger = createLogger('series');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** Buckets keep a little more than the largest training window. */
const KEEP_HOURS = 8_760;

export interface SeriesResult {
  runId: string;
  pipeline: string;
  /** Readings not counted before (0: nothing to retrain on). */
  newReadings: number;
  rejected: number;
  points: number;
  /** The run's record of what it consumed (artifacts bucket); archive moves exactly these. */
  manifestKey: string;
}

interface Consumed {
  key: string;
  etag?: string;
}

async function readRows(bucket: string, key: string): Promise<unknown[]> {
  const bytes = await getBytes(s3, bucket, key);
  return bytes ? decodeNdjsonGzip(bytes) : [];
}

/** Rows of the initial share come unvalidated from the data set; only valid readings count. */
function validReadings(rows: unknown[]): {
  readings: WaterReading[];
  rejected: number;
  reasons: Record<string, number>;
} {
  const readings: WaterReading[] = [];
  const reasons: Record<string, number> = {};
  for (const row of rows) {
    const result = waterRecordSpec.validate(row, Date.now());
    if (result.ok) readings.push(result.value);
    else {
      const reason = reasonKind(result.reason);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  return { readings, rejected: rows.length - readings.length, reasons };
}

async function finish(
  pipeline: string,
  runId: string,
  buckets: HourlyBuckets,
  readEtag: string | undefined,
  details: {
    source: string;
    consumed: Consumed[];
    newReadings: number;
    rejected: number;
    reasons: Record<string, number>;
  },
): Promise<SeriesResult> {
  trimBuckets(buckets, KEEP_HOURS);
  await saveBuckets(s3, pipeline, buckets, readEtag);
  const points = toHourlySeries(buckets).values.length;
  const manifestKey = `runs/${pipeline}/${runId}/data.json`;
  await putJson(s3, handlerEnv.artifactsBucket(), manifestKey, {
    runId,
    pipeline,
    ...details,
    points,
    createdAt: new Date().toISOString(),
  });
  logger.info('series updated', {
    runId,
    source: details.source,
    newReadings: details.newReadings,
    rejected: details.rejected,
    points,
  });
  return {
    runId,
    pipeline,
    newReadings: details.newReadings,
    rejected: details.rejected,
    points,
    manifestKey,
  };
}

/** init: the series from the initial training share, from scratch. */
async function init(pipeline: string, runId: string): Promise<SeriesResult> {
  const key = initialDatasetKey(pipeline);
  const bytes = await getBytes(s3, handlerEnv.dataBucket(), key);
  if (!bytes)
    throw new InputError(
      `no initial training share at s3://${handlerEnv.dataBucket()}/${key}: run the stream state machine once first`,
    );
  const { readings, rejected, reasons } = validReadings(decodeNdjsonGzip(bytes));
  const buckets = emptyBuckets();
  const newReadings = mergeReadings(buckets, readings);
  // init starts the series over, replacing any earlier one (still a conditional write).
  const existing = await loadBuckets(s3, pipeline);
  const head = await s3.send(new HeadObjectCommand({ Bucket: handlerEnv.dataBucket(), Key: key }));
  return finish(pipeline, runId, buckets, existing?.etag, {
    source: 'initial',
    consumed: [{ key, ...(head.ETag ? { etag: head.ETag } : {}) }],
    newReadings,
    rejected,
    reasons,
  });
}

/** collect: every raw object still in raw/ merged into the stored series (deduplicated by meter and hour). */
async function collect(pipeline: string, runId: string): Promise<SeriesResult> {
  const bucket = handlerEnv.dataBucket();
  const consumed: Consumed[] = await listObjects(s3, bucket, rawPipelinePrefix(pipeline));

  const stored = await loadBuckets(s3, pipeline);
  const buckets = stored?.buckets ?? emptyBuckets();
  let newReadings = 0;
  let rejected = 0;
  const reasons: Record<string, number> = {};
  for (const object of consumed) {
    // Raw rows passed ingest's validation; validating again costs little and keeps the series clean.
    const result = validReadings(await readRows(bucket, object.key));
    newReadings += mergeReadings(buckets, result.readings);
    rejected += result.rejected;
    for (const [reason, count] of Object.entries(result.reasons))
      reasons[reason] = (reasons[reason] ?? 0) + count;
  }
  return finish(pipeline, runId, buckets, stored?.etag, {
    source: 'raw',
    consumed,
    newReadings,
    rejected,
    reasons,
  });
}

export async function handler(event: unknown): Promise<SeriesResult> {
  const outer = asBag(event, 'series input');
  const action = stringField(outer, 'action', '');
  const bag = asBag(outer.input, 'series input');
  const pipeline = stringField(bag, 'pipeline', 'water', /^water$/);
  const runId = stringField(
    asBag(outer.execution, 'execution'),
    'name',
    `run-${Date.now()}`,
    /^[\w.-]{1,80}$/,
  );
  if (action === 'init') return init(pipeline, runId);
  if (action === 'collect') return collect(pipeline, runId);
  throw new InputError(`action must be "init" or "collect", got ${JSON.stringify(action)}`);
}
