import {
  asBag,
  InputError,
  intField,
  optionalString,
  stringField,
  timeField,
} from '../../core/data/input-fields.js';
import { dayOfKey, rawPipelinePrefix } from '../../core/streaming/keys.js';
import { createS3Client } from '../commons/clients.js';
import { handlerEnv } from '../commons/env.js';
import { createLogger } from '../commons/logger.js';
import { getJson, listObjects, putJson } from '../commons/s3-objects.js';
import { type MoveOutcome, moveToArchive } from './move-object.js';

const logger = createLogger('archive');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

/** The list of raw objects a run consumes, kept in the artifacts bucket as the run's record. */
export interface ArchivePlan {
  runId: string;
  pipeline: string;
  /** Raw objects of days before this one (UTC) are archived. */
  beforeDay: string;
  batches: string[][];
  objectCount: number;
  createdAt: string;
}

export interface BatchResult {
  batchIndex: number;
  moved: number;
  alreadyArchived: number;
  missing: number;
  /** Objects rewritten since the run read them: left in raw/ for the next run. */
  changed: number;
}

/** What a training run consumed; written by the series step, read here to archive exactly that. */
export interface ConsumedManifest {
  consumed: { key: string; etag?: string }[];
}

const runPrefix = (pipeline: string, runId: string) => `runs/${pipeline}/archive/${runId}`;
const MOVE_CONCURRENCY = 8;

/** Lists the raw objects of finished days and writes the plan; returns only batch indexes (payloads stay small). */
async function plan(bag: Record<string, unknown>, execution: Record<string, unknown>) {
  const pipeline = stringField(bag, 'pipeline', 'water', /^[a-z][a-z0-9-]{0,31}$/);
  const scheduledTime = timeField(bag, 'scheduledTime', () => new Date());
  const beforeDay = optionalString(bag, 'beforeDay') ?? scheduledTime.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(beforeDay))
    throw new InputError(`beforeDay must be YYYY-MM-DD, got "${beforeDay}"`);
  const batchSize = intField(bag, 'batchSize', 200, 1, 1000);
  const runId = stringField(execution, 'name', `archive-${Date.now()}`, /^[\w.-]{1,80}$/);

  const keys = (await listObjects(s3, handlerEnv.dataBucket(), rawPipelinePrefix(pipeline)))
    .map((object) => object.key)
    .filter((key) => (dayOfKey(key) ?? '9999') < beforeDay)
    .sort();
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += batchSize) batches.push(keys.slice(i, i + batchSize));
  const archivePlan: ArchivePlan = {
    runId,
    pipeline,
    beforeDay,
    batches,
    objectCount: keys.length,
    createdAt: new Date().toISOString(),
  };
  // Written before anything moves: a crashed run can be re-run from the same plan.
  await putJson(s3, handlerEnv.artifactsBucket(), `${runPrefix(pipeline, runId)}/plan.json`, archivePlan);
  logger.info('archive planned', {
    runId,
    pipeline,
    beforeDay,
    objects: keys.length,
    batches: batches.length,
  });
  return { runId, pipeline, beforeDay, objectCount: keys.length, batchIndexes: batches.map((_, i) => i) };
}

async function moveKeys(objects: { key: string; etag?: string }[]): Promise<Omit<BatchResult, 'batchIndex'>> {
  const counts: Record<MoveOutcome, number> = { moved: 0, 'already-archived': 0, missing: 0, changed: 0 };
  const bucket = handlerEnv.dataBucket();
  for (let i = 0; i < objects.length; i += MOVE_CONCURRENCY) {
    const outcomes = await Promise.all(
      objects.slice(i, i + MOVE_CONCURRENCY).map(({ key, etag }) => moveToArchive(s3, bucket, key, etag)),
    );
    for (const outcome of outcomes) counts[outcome]++;
  }
  return {
    moved: counts.moved,
    alreadyArchived: counts['already-archived'],
    missing: counts.missing,
    changed: counts.changed,
  };
}

/**
 * Moves one batch of a plan, an explicit list of raw keys, or what a training run consumed
 * (`manifest`: a key in the artifacts bucket listing keys and ETags).
 */
async function move(bag: Record<string, unknown>): Promise<BatchResult> {
  if (Array.isArray(bag.keys)) {
    if (!bag.keys.every((key): key is string => typeof key === 'string' && key.startsWith('raw/'))) {
      throw new InputError('keys must be a list of raw/ object keys');
    }
    return { batchIndex: -1, ...(await moveKeys(bag.keys.map((key) => ({ key })))) };
  }
  const manifestKey = optionalString(bag, 'manifest');
  if (manifestKey) {
    const manifest = await getJson<ConsumedManifest>(s3, handlerEnv.artifactsBucket(), manifestKey);
    if (!manifest) throw new InputError(`no manifest at ${manifestKey} in the artifacts bucket`);
    const objects = manifest.consumed.filter((object) => object.key.startsWith('raw/'));
    const result = { batchIndex: -1, ...(await moveKeys(objects)) };
    logger.info('consumed raw objects archived', { manifestKey, ...result });
    return result;
  }
  const pipeline = stringField(bag, 'pipeline', 'water');
  const runId = stringField(bag, 'runId', '');
  const batchIndex = intField(bag, 'batchIndex', 0, 0, 1_000_000);
  const archivePlan = await getJson<ArchivePlan>(
    s3,
    handlerEnv.artifactsBucket(),
    `${runPrefix(pipeline, runId)}/plan.json`,
  );
  if (!archivePlan) throw new InputError(`no archive plan for run "${runId}" of pipeline "${pipeline}"`);
  const keys = archivePlan.batches[batchIndex];
  if (!keys) throw new InputError(`archive plan of run "${runId}" has no batch ${batchIndex}`);
  const result = { batchIndex, ...(await moveKeys(keys.map((key) => ({ key })))) };
  logger.info('archive batch moved', { runId, ...result });
  return result;
}

async function summarize(bag: Record<string, unknown>) {
  const pipeline = stringField(bag, 'pipeline', 'water');
  const runId = stringField(bag, 'runId', '');
  const results = (Array.isArray(bag.results) ? bag.results : []) as BatchResult[];
  const totals = results.reduce(
    (sum, r) => ({
      moved: sum.moved + r.moved,
      alreadyArchived: sum.alreadyArchived + r.alreadyArchived,
      missing: sum.missing + r.missing,
      changed: sum.changed + (r.changed ?? 0),
    }),
    { moved: 0, alreadyArchived: 0, missing: 0, changed: 0 },
  );
  const summary = {
    runId,
    pipeline,
    ...totals,
    batches: results.length,
    finishedAt: new Date().toISOString(),
  };
  await putJson(s3, handlerEnv.artifactsBucket(), `${runPrefix(pipeline, runId)}/summary.json`, summary);
  logger.info('archive run finished', summary);
  return summary;
}

/**
 * One function, three steps of the archive state machine: `plan` → `move` (in a Map, one batch
 * each) → `summarize`. The steps share the plan file, so they belong together.
 */
export async function handler(event: unknown) {
  const outer = asBag(event, 'archive input');
  const action = stringField(outer, 'action', '');
  const bag = asBag(outer.input, 'archive input');
  switch (action) {
    case 'plan':
      return plan(bag, asBag(outer.execution, 'execution'));
    case 'move':
      return move(bag);
    case 'summarize':
      return summarize(bag);
    default:
      throw new InputError(`action must be "plan", "move" or "summarize", got ${JSON.stringify(action)}`);
  }
}
