import { mergeIntoNdjsonObject } from '../../../adapters/s3-ndjson-merge.js';
import { getBytes, getJson, listObjects, putJson } from '../../../adapters/s3-object-store.js';
import { InputError, stringField } from '../../../core/data/input-fields.js';
import { groupIntoChunks } from '../../../core/features/chunks.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import { dayOfKey } from '../../../core/streaming/keys.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { mergeChunkReadings, toKeyedReading } from '../records/keyed.js';
import { type SensorReading, sensorRecordSpec } from '../records/reading.js';
import { SYSTEM, sensorKeys } from '../store/keys.js';

const logger = createLogger('sensors-chunks');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Manifest {
  runId: string;
  consumed: { key: string; etag?: string }[];
}

/** plan: the raw objects this run consumes (kept in a manifest), grouped by arrival day for the Map. */
const plan = defineStep({
  parse: () => ({}),
  async run(_input, { runId }) {
    const consumed = await listObjects(s3, handlerEnv.dataBucket(), sensorKeys.raw);
    const manifestKey = sensorKeys.manifest(runId);
    await putJson(s3, handlerEnv.artifactsBucket(), manifestKey, {
      runId,
      pipeline: SYSTEM,
      consumed,
      createdAt: new Date().toISOString(),
    } satisfies Manifest & Record<string, unknown>);
    const arrivalDays = [
      ...new Set(consumed.map((c) => dayOfKey(c.key)).filter((d) => d !== undefined)),
    ].sort();
    logger.info('planned', { runId, objects: consumed.length, arrivalDays: arrivalDays.length });
    return { runId, manifestKey, objects: consumed.length, arrivalDays };
  },
});

/** chunk: the raw objects of one arrival day → one chunk per event day × sensor. */
const chunk = defineStep({
  parse: (input) => {
    const manifestKey = stringField(input, 'manifestKey', '');
    if (!manifestKey) throw new InputError('manifestKey is required: the plan step gives it');
    const arrivalDay = stringField(input, 'arrivalDay', '', DAY);
    if (!arrivalDay) throw new InputError('arrivalDay (YYYY-MM-DD) is required');
    return { manifestKey, arrivalDay };
  },
  async run({ manifestKey, arrivalDay }) {
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
        sensorKeys.chunk(c.day, c.key),
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
  },
});

/** days: the event days the Map of chunk steps touched, once each: the features Map runs over them. */
const days = defineStep({
  parse: (input) => {
    if (!Array.isArray(input.results))
      throw new InputError("results must be the chunk steps' results (an array)");
    return input.results.map((r, i) => {
      const eventDays = (r as { eventDays?: unknown } | null)?.eventDays;
      if (!Array.isArray(eventDays) || !eventDays.every((d) => typeof d === 'string' && DAY.test(d)))
        throw new InputError(`results[${i}].eventDays must be a list of YYYY-MM-DD days`);
      return eventDays as string[];
    });
  },
  run: async (results) => ({ days: [...new Set(results.flat())].sort() }),
});

/** Adds readings to one chunk object (one reading per timestamp), safely beside concurrent writers. */
async function mergeIntoChunk(key: string, readings: SensorReading[]): Promise<number> {
  const { before, after } = await mergeIntoNdjsonObject<SensorReading>(
    s3,
    handlerEnv.dataBucket(),
    key,
    (existing) => mergeChunkReadings(existing, readings),
  );
  return after - before;
}

export const handler = stepHandler({
  steps: { plan, chunk, days },
  errors: { retryable: [PreconditionFailedError] },
});
