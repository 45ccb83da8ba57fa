import { asBag, InputError, stringField } from '../../core/data/input-fields.js';
import { groupIntoChunks } from '../../core/features/chunks.js';
import { chunkKey } from '../../core/features/keys.js';
import { PreconditionFailedError } from '../../core/registry/object-store.js';
import { mergeChunkReadings, toKeyedReading } from '../../core/sensors/keyed.js';
import { type SensorReading, sensorRecordSpec } from '../../core/sensors/reading.js';
import { dayOfKey, rawPipelinePrefix } from '../../core/streaming/keys.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import {
  getBytes,
  getBytesWithEtag,
  getJson,
  listObjects,
  putGzipIfUnchanged,
  putJson,
} from '../commons/s3-objects.js';

const logger = createLogger('sensor-chunks');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const PIPELINE = 'sensors';
/** Two Map iterations can add to the same chunk: read-merge-write is retried on a conflict. */
const MERGE_ATTEMPTS = 5;

interface Manifest {
  runId: string;
  consumed: { key: string; etag?: string }[];
}

/** plan: the raw objects this run consumes (kept in a manifest), grouped by arrival day for the Map. */
async function plan(runId: string) {
  const consumed = await listObjects(s3, handlerEnv.dataBucket(), rawPipelinePrefix(PIPELINE));
  const manifestKey = `runs/${PIPELINE}/${runId}/data.json`;
  await putJson(s3, handlerEnv.artifactsBucket(), manifestKey, {
    runId,
    pipeline: PIPELINE,
    consumed,
    createdAt: new Date().toISOString(),
  } satisfies Manifest & Record<string, unknown>);
  const arrivalDays = [
    ...new Set(consumed.map((c) => dayOfKey(c.key)).filter((d): d is string => !!d)),
  ].sort();
  logger.info('planned', { runId, objects: consumed.length, arrivalDays: arrivalDays.length });
  return { runId, manifestKey, objects: consumed.length, arrivalDays };
}

/** Adds readings to one chunk object: read, merge (one reading per timestamp), conditional write. */
async function mergeIntoChunk(key: string, readings: SensorReading[]): Promise<number> {
  const bucket = handlerEnv.dataBucket();
  for (let attempt = 1; ; attempt++) {
    const current = await getBytesWithEtag(s3, bucket, key);
    const existing = current ? decodeNdjsonGzip<SensorReading>(current.bytes) : [];
    const merged = mergeChunkReadings(existing, readings);
    try {
      await putGzipIfUnchanged(s3, bucket, key, encodeNdjsonGzip(merged), current?.etag);
      return merged.length - existing.length;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || attempt >= MERGE_ATTEMPTS) throw error;
    }
  }
}

/** chunk: the raw objects of one arrival day → one chunk per event day × sensor. */
async function chunk(manifestKey: string, arrivalDay: string) {
  const manifest = await getJson<Manifest>(s3, handlerEnv.artifactsBucket(), manifestKey);
  if (!manifest) throw new InputError(`no manifest at ${manifestKey}`);
  const readings: SensorReading[] = [];
  let rejected = 0;
  for (const object of manifest.consumed.filter((c) => dayOfKey(c.key) === arrivalDay)) {
    const bytes = await getBytes(s3, handlerEnv.dataBucket(), object.key);
    for (const row of bytes ? decodeNdjsonGzip(bytes) : []) {
      const result = sensorRecordSpec.validate(row, Date.now());
      if (result.ok) readings.push(result.value);
      else rejected++;
    }
  }
  const { chunks, duplicates } = groupIntoChunks(readings.map(toKeyedReading));
  let added = 0;
  for (const c of chunks)
    added += await mergeIntoChunk(
      chunkKey(PIPELINE, c.day, c.key),
      c.readings.map((r) => r.reading),
    );
  const eventDays = [...new Set(chunks.map((c) => c.day))].sort();
  const result = {
    arrivalDay,
    readings: readings.length,
    chunks: chunks.length,
    added,
    duplicates,
    rejected,
    eventDays,
  };
  logger.info('chunked', result);
  return result;
}

export async function handler(event: unknown) {
  const outer = asBag(event, 'sensor-chunks input');
  const action = stringField(outer, 'action', '');
  const input = asBag(outer.input, 'sensor-chunks input');
  const runId = stringField(
    asBag(outer.execution, 'execution'),
    'name',
    `run-${Date.now()}`,
    /^[\w.-]{1,80}$/,
  );
  if (action === 'plan') return plan(runId);
  if (action === 'chunk')
    return chunk(
      stringField(input, 'manifestKey', ''),
      stringField(input, 'arrivalDay', '', /^\d{4}-\d{2}-\d{2}$/),
    );
  if (action === 'days') {
    // The event days the Map of chunk steps touched, once each: the features Map runs over them.
    const results = Array.isArray(input.results) ? (input.results as { eventDays?: string[] }[]) : [];
    return { days: [...new Set(results.flatMap((r) => r.eventDays ?? []))].sort() };
  }
  throw new InputError(`action must be "plan", "chunk" or "days", got ${JSON.stringify(action)}`);
}
