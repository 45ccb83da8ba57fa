import { chunkDayPrefix, chunkKey, FEATURES_PREFIX, featuresKey } from '../../../core/features/keys.js';
import { rawPipelinePrefix } from '../../../core/streaming/keys.js';

/**
 * Every S3 key the sensors system reads or writes, in one place. Keys are deterministic: a
 * retried step (or Map iteration) writes the same keys, so it overwrites instead of duplicating.
 *
 * Data bucket:
 *   raw/sensors/dt=…/hour=…/*.ndjson.gz                   what ingest wrote (the platform's layout)
 *   chunks/sensors/dt=YYYY-MM-DD/<sensorId>.ndjson.gz     one per UTC day × sensor
 *   features/sensors/dt=YYYY-MM-DD/features.parquet       one row per sensor of that day
 *   predictions/sensors/dt=YYYY-MM-DD/assignments.ndjson.gz   cluster of each sensor-day
 * Artifacts bucket:
 *   models/sensors/clusters/…                             the registry (core/registry/layout.ts)
 *   runs/sensors/<runId>/{data,training,drift,decision}.json
 *   reports/sensors/<runId|latest>/report.{json,svg}
 */
export const SYSTEM = 'sensors';
/** The system's one model key in the registry (`models/sensors/clusters/`). */
export const MODEL = 'clusters';

export const sensorKeys = {
  raw: rawPipelinePrefix(SYSTEM),
  chunkDay: (day: string) => chunkDayPrefix(SYSTEM, day),
  chunk: (day: string, sensorId: string) => chunkKey(SYSTEM, day, sensorId),
  featuresPrefix: `${FEATURES_PREFIX}${SYSTEM}/`,
  features: (day: string) => featuresKey(SYSTEM, day),
  /** The day of a features key, or undefined for any other key. */
  dayOfFeatures: (key: string) => /\/dt=(\d{4}-\d{2}-\d{2})\/features\.parquet$/.exec(key)?.[1],
  assignments: (day: string) => `predictions/${SYSTEM}/dt=${day}/assignments.ndjson.gz`,
  /** The raw objects a training run consumed, with their ETags (the archive step reads it). */
  manifest: (runId: string) => `runs/${SYSTEM}/${runId}/data.json`,
  training: (runId: string) => `runs/${SYSTEM}/${runId}/training.json`,
  drift: (runId: string) => `runs/${SYSTEM}/${runId}/drift.json`,
  /** A run's report (`report.json`, `report.svg`); every report is also copied under `latest`. */
  reportPrefix: (runIdOrLatest: string) => `reports/${SYSTEM}/${runIdOrLatest}/`,
} as const;
