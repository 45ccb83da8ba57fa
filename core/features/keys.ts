/**
 * S3 layout of the clustering pipeline's intermediate data. Keys are deterministic: a retried Map
 * iteration writes the same keys, so it overwrites instead of duplicating.
 *
 *   chunks/<pipeline>/dt=YYYY-MM-DD/<encoded key>.ndjson.gz   one per UTC day × key
 *   features/<pipeline>/dt=YYYY-MM-DD/features.parquet        one per UTC day
 *
 * `dt=` makes the day a Hive partition, which Athena and DuckDB (`hive_partitioning`) read as a column.
 */
export const CHUNKS_PREFIX = 'chunks/';
export const FEATURES_PREFIX = 'features/';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PIPELINE = /^[a-z0-9][a-z0-9-]*$/;

function checkPipelineAndDay(pipeline: string, day: string): void {
  if (!PIPELINE.test(pipeline))
    throw new Error(`pipeline "${pipeline}" is not lowercase letters, digits and -`);
  if (!DAY.test(day)) throw new Error(`day "${day}" is not YYYY-MM-DD`);
}

/** Prefix listing every chunk of one day, the input of the features step. */
export function chunkDayPrefix(pipeline: string, day: string): string {
  checkPipelineAndDay(pipeline, day);
  return `${CHUNKS_PREFIX}${pipeline}/dt=${day}/`;
}

/**
 * The object key of one chunk. The key (sensor id) is percent-encoded rather than rejected, so an
 * id with a space or a slash still gets one object of its own and can be decoded back.
 */
export function chunkKey(pipeline: string, day: string, key: string): string {
  if (key.length === 0) throw new Error('chunk key (the id of the source of the readings) is empty');
  return `${chunkDayPrefix(pipeline, day)}${encodeURIComponent(key)}.ndjson.gz`;
}

/** The parts of a chunk key, or undefined for keys outside the layout. */
export function parseChunkKey(objectKey: string): { pipeline: string; day: string; key: string } | undefined {
  const match = /^chunks\/([a-z0-9][a-z0-9-]*)\/dt=(\d{4}-\d{2}-\d{2})\/([^/]+)\.ndjson\.gz$/.exec(objectKey);
  if (!match) return undefined;
  const [, pipeline, day, encoded] = match as unknown as [string, string, string, string];
  try {
    return { pipeline, day, key: decodeURIComponent(encoded) };
  } catch {
    return undefined;
  }
}

export function featuresKey(pipeline: string, day: string): string {
  checkPipelineAndDay(pipeline, day);
  return `${FEATURES_PREFIX}${pipeline}/dt=${day}/features.parquet`;
}
