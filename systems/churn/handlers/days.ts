import { planRunInputs } from '../../../adapters/initial-share.js';
import { mergeIntoNdjsonObject } from '../../../adapters/s3-ndjson-merge.js';
import { getBytes, getJson, putJson } from '../../../adapters/s3-object-store.js';
import { InputError, stringField } from '../../../core/data/input-fields.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import { dayOfKey } from '../../../core/streaming/keys.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { CUSTOMER_COLUMNS, SUMMARY_COLUMNS, summarizeDay } from '../model/daily-summary.js';
import { groupByEventDay, mergeDayEvents } from '../model/day-events.js';
import type { ChurnEvent } from '../model/types.js';
import { churnRecordSpec } from '../records/event.js';
import { churnKeys, SYSTEM } from '../store/keys.js';
import { writeTableDay } from '../store/tables.js';

const logger = createLogger('churn-days');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Manifest {
  runId: string;
  /** Raw objects (the archive step moves exactly these). */
  consumed: { key: string; etag?: string }[];
  /** The producer's initial share, when this run reads it (once per data set). */
  initial?: { key: string; etag: string };
}

/** The collect step's name for the initial share among the arrival days. */
const INITIAL = 'initial';

const dayField = (input: Record<string, unknown>, name: string): string => {
  const day = stringField(input, name, '', DAY);
  if (!day) throw new InputError(`${name} (YYYY-MM-DD) is required`);
  return day;
};

/** plan: the raw objects this run consumes (kept in a manifest), grouped by arrival day for the Map. */
const plan = defineStep({
  parse: () => ({}),
  async run(_input, { runId }) {
    const manifestKey = churnKeys.manifest(runId);
    const { consumed, initial } = await planRunInputs(s3, {
      dataBucket: handlerEnv.dataBucket(),
      artifactsBucket: handlerEnv.artifactsBucket(),
      pipeline: SYSTEM,
      runId,
      rawPrefix: churnKeys.raw,
      initialReadKey: churnKeys.initialRead,
      manifestKey,
    });
    const arrivalDays = [
      ...(initial ? [INITIAL] : []),
      ...[...new Set(consumed.map((c) => dayOfKey(c.key)).filter((d) => d !== undefined))].sort(),
    ];
    logger.info('planned', {
      runId,
      objects: consumed.length,
      initial: Boolean(initial),
      arrivalDays: arrivalDays.length,
    });
    return { runId, manifestKey, objects: consumed.length, batches: arrivalDays.length, arrivalDays };
  },
});

/** collect: the raw objects of one arrival day → the events of each event day, merged without duplicates. */
const collect = defineStep({
  parse: (input) => {
    const manifestKey = stringField(input, 'manifestKey', '');
    if (!manifestKey) throw new InputError('manifestKey is required: the plan step gives it');
    const arrivalDay = input.arrivalDay === INITIAL ? INITIAL : dayField(input, 'arrivalDay');
    return { manifestKey, arrivalDay };
  },
  async run({ manifestKey, arrivalDay }) {
    const manifest = await getJson<Manifest>(s3, handlerEnv.artifactsBucket(), manifestKey);
    if (!manifest) throw new InputError(`no manifest at ${manifestKey}`);
    const events: ChurnEvent[] = [];
    let rejected = 0;
    const objects =
      arrivalDay === INITIAL
        ? manifest.initial
          ? [manifest.initial]
          : []
        : manifest.consumed.filter((c) => dayOfKey(c.key) === arrivalDay);
    for (const object of objects) {
      const bytes = await getBytes(s3, handlerEnv.dataBucket(), object.key);
      for (const row of bytes ? decodeNdjsonGzip(bytes) : []) {
        // Ingest validated these already; a record it let through under an older spec is skipped here.
        const result = churnRecordSpec.validate(row, Date.now());
        if (result.ok) events.push(result.value);
        else rejected++;
      }
    }
    let added = 0;
    let duplicates = 0;
    const byDay = groupByEventDay(events);
    for (const [day, dayEvents] of byDay) {
      const merged = await mergeIntoDay(day, dayEvents);
      added += merged.added;
      duplicates += merged.duplicates;
    }
    const eventDays = [...byDay.keys()].sort();
    const result = { arrivalDay, events: events.length, added, duplicates, rejected, eventDays };
    logger.info('collected', result);
    return result;
  },
});

/** days: the event days the collect steps touched, once each, and the newest day with events. */
const days = defineStep({
  parse: (input) => {
    if (!Array.isArray(input.results))
      throw new InputError("results must be the collect steps' results (an array)");
    const manifestKey = stringField(input, 'manifestKey', '');
    if (!manifestKey) throw new InputError('manifestKey is required: the plan step gives it');
    const results = input.results.map((r, i) => {
      const eventDays = (r as { eventDays?: unknown } | null)?.eventDays;
      if (!Array.isArray(eventDays) || !eventDays.every((d) => typeof d === 'string' && DAY.test(d)))
        throw new InputError(`results[${i}].eventDays must be a list of YYYY-MM-DD days`);
      return eventDays as string[];
    });
    return { manifestKey, results };
  },
  async run({ manifestKey, results }) {
    // Every collect step succeeded: the initial share is in the day events and is not read again.
    const manifest = await getJson<Manifest>(s3, handlerEnv.artifactsBucket(), manifestKey);
    if (manifest?.initial)
      await putJson(s3, handlerEnv.dataBucket(), churnKeys.initialRead, manifest.initial);
    const touched = [...new Set(results.flat())].sort();
    return { days: touched, count: touched.length };
  },
});

/** summarize: one event day → its customer-day summary and its customer events, as Parquet. */
const summarize = defineStep({
  parse: (input) => ({ day: dayField(input, 'day') }),
  async run({ day }) {
    const bytes = await getBytes(s3, handlerEnv.dataBucket(), churnKeys.events.key(day));
    const events = bytes ? decodeNdjsonGzip<ChurnEvent>(bytes) : [];
    const { summaries, customers } = summarizeDay(day, events);
    await writeTableDay(s3, churnKeys.summaries, day, summaries, SUMMARY_COLUMNS);
    await writeTableDay(s3, churnKeys.customers, day, customers, CUSTOMER_COLUMNS);
    const result = {
      day,
      events: events.length,
      customerDays: summaries.length,
      customerEvents: customers.length,
    };
    logger.info('summarized', result);
    return result;
  },
});

/** Adds events to one day's object (one event per id), safely beside concurrent collect steps. */
async function mergeIntoDay(
  day: string,
  events: ChurnEvent[],
): Promise<{ added: number; duplicates: number }> {
  let duplicates = 0;
  const { before, after } = await mergeIntoNdjsonObject<ChurnEvent>(
    s3,
    handlerEnv.dataBucket(),
    churnKeys.events.key(day),
    (existing) => {
      const merge = mergeDayEvents(existing, events);
      duplicates = merge.duplicates;
      return merge.added === 0 ? undefined : merge.merged;
    },
  );
  return { added: after - before, duplicates };
}

export const handler = stepHandler({
  steps: { plan, collect, days, summarize },
  errors: { retryable: [PreconditionFailedError] },
});
