import { PutObjectCommand } from '@aws-sdk/client-s3';
import { asBag, InputError, stringField } from '../../core/data/input-fields.js';
import { featureCreator } from '../../core/features/chunk-features.js';
import type { Chunk } from '../../core/features/chunks.js';
import { chunkDayPrefix, featuresKey, parseChunkKey } from '../../core/features/keys.js';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import { memoryRecord, memorySnapshot, shapeRecord } from '../../core/features/shapes.js';
import { SENSOR_SAMPLING_MS, toKeyedReading } from '../../core/sensors/keyed.js';
import { SENSOR_CHANNELS, type SensorReading } from '../../core/sensors/reading.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { publishMetrics } from '../commons/metrics.js';
import { getBytes, listObjects } from '../commons/s3-objects.js';

const logger = createLogger('sensor-features');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const PIPELINE = 'sensors';
const creator = featureCreator({ channels: SENSOR_CHANNELS, samplingIntervalMs: SENSOR_SAMPLING_MS });

/**
 * features: every chunk of one UTC day → one feature row per sensor → one Parquet file per day
 * (`features/sensors/dt=YYYY-MM-DD/features.parquet`, read by pandas, DuckDB, Athena), with the
 * shapes of the data at each stage and the memory used as CloudWatch metrics.
 */
async function features(day: string, runId: string) {
  const bucket = handlerEnv.dataBucket();
  const keys = (await listObjects(s3, bucket, chunkDayPrefix(PIPELINE, day))).map((object) => object.key);

  const chunks: Chunk[] = [];
  let readings = 0;
  for (const key of keys.sort()) {
    const parsed = parseChunkKey(key);
    const bytes = await getBytes(s3, bucket, key);
    if (!parsed || !bytes) continue;
    const rows = decodeNdjsonGzip<SensorReading>(bytes).map(toKeyedReading);
    readings += rows.length;
    chunks.push({ key: parsed.key, day: parsed.day, readings: rows });
  }
  const rows = chunks.map((c) => creator.rowOf(c));
  const parquet = writeFeatureParquet(rows, creator.columns, {
    metadata: { pipeline: PIPELINE, day, runId },
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: featuresKey(PIPELINE, day),
      Body: parquet,
      ContentType: 'application/vnd.apache.parquet',
    }),
  );

  const context = { namespace: 'StreamingMlPipelines', dimensions: { Pipeline: PIPELINE } };
  publishMetrics([
    shapeRecord(context, { stage: 'chunks', rows: readings, columns: SENSOR_CHANNELS.length + 2 }),
    shapeRecord(context, {
      stage: 'features',
      rows: rows.length,
      columns: creator.columns.length,
      bytes: parquet.byteLength,
    }),
    memoryRecord(context, 'features', memorySnapshot()),
  ]);
  logger.info('features written', {
    day,
    chunks: chunks.length,
    readings,
    rows: rows.length,
    bytes: parquet.byteLength,
  });
  return { day, sensors: rows.length, readings, featuresKey: featuresKey(PIPELINE, day) };
}

export async function handler(event: unknown) {
  const outer = asBag(event, 'sensor-features input');
  const input = asBag(outer.input, 'sensor-features input');
  const runId = stringField(
    asBag(outer.execution, 'execution'),
    'name',
    `run-${Date.now()}`,
    /^[\w.-]{1,80}$/,
  );
  const day = stringField(input, 'day', '', /^\d{4}-\d{2}-\d{2}$/);
  if (!day) throw new InputError('day (YYYY-MM-DD) is required');
  return features(day, runId);
}
