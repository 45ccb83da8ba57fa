import { getBytes, listObjects, putObject } from '../../../adapters/s3-object-store.js';
import { InputError, stringField } from '../../../core/data/input-fields.js';
import { featureCreator } from '../../../core/features/chunk-features.js';
import type { Chunk } from '../../../core/features/chunks.js';
import { parseChunkKey } from '../../../core/features/keys.js';
import { writeFeatureParquet } from '../../../core/features/parquet.js';
import { memoryRecord, memorySnapshot, shapeRecord } from '../../../core/features/shapes.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { publishMetrics } from '../../../lambdas/platform/metrics.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { SENSOR_SAMPLING_MS, toKeyedReading } from '../records/keyed.js';
import { SENSOR_CHANNELS, type SensorReading } from '../records/reading.js';
import { SYSTEM, sensorKeys } from '../store/keys.js';

const logger = createLogger('sensors-features');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const creator = featureCreator({ channels: SENSOR_CHANNELS, samplingIntervalMs: SENSOR_SAMPLING_MS });
const METRICS = { namespace: 'StreamingMlPipelines', dimensions: { Pipeline: SYSTEM } };

/**
 * features: every chunk of one UTC day → one feature row per sensor → one Parquet file per day
 * (`features/sensors/dt=YYYY-MM-DD/features.parquet`, read by pandas, DuckDB, Athena), with the
 * shapes of the data at each stage and the memory used as CloudWatch metrics.
 */
const features = defineStep({
  parse: (input) => {
    const day = stringField(input, 'day', '', /^\d{4}-\d{2}-\d{2}$/);
    if (!day) throw new InputError('day (YYYY-MM-DD) is required');
    return { day };
  },
  async run({ day }, { runId }) {
    const bucket = handlerEnv.dataBucket();
    const keys = (await listObjects(s3, bucket, sensorKeys.chunkDay(day))).map((object) => object.key);
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
      metadata: { pipeline: SYSTEM, day, runId },
    });
    const featuresKey = sensorKeys.features(day);
    await putObject(s3, bucket, featuresKey, parquet, { contentType: 'application/vnd.apache.parquet' });

    publishMetrics([
      shapeRecord(METRICS, { stage: 'chunks', rows: readings, columns: SENSOR_CHANNELS.length + 2 }),
      shapeRecord(METRICS, {
        stage: 'features',
        rows: rows.length,
        columns: creator.columns.length,
        bytes: parquet.byteLength,
      }),
      memoryRecord(METRICS, 'features', memorySnapshot()),
    ]);
    logger.info('features written', {
      day,
      chunks: chunks.length,
      readings,
      rows: rows.length,
      bytes: parquet.byteLength,
    });
    return { day, sensors: rows.length, readings, featuresKey };
  },
});

export const handler = stepHandler({ steps: { features } });
