import { type MoveOutcome, moveToArchive } from '../../adapters/s3-move-object.js';
import { getJson, listObjects, putJson } from '../../adapters/s3-object-store.js';
import {
  InputError,
  intField,
  optionalString,
  stringField,
  timeField,
} from '../../core/data/input-fields.js';
import { dayOfKey, rawPipelinePrefix } from '../../core/streaming/keys.js';
import { createS3Client } from '../platform/clients.js';
import { handlerEnv } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { defineStep, type StepContext, stepHandler } from '../platform/step.js';

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

const PIPELINE = /^[a-z][a-z0-9-]{0,31}$/;

/** The system whose raw data to archive: required, the archive serves every system alike. */
function pipelineOf(bag: Record<string, unknown>): string {
  const pipeline = optionalString(bag, 'pipeline');
  if (!pipeline) throw new InputError('pipeline is required: the system whose raw/ data to archive');
  if (!PIPELINE.test(pipeline))
    throw new InputError(
      `pipeline must be a system name (lowercase letters, digits, "-"), got "${pipeline}"`,
    );
  return pipeline;
}

interface PlanInput {
  pipeline: string;
  beforeDay: string;
  batchSize: number;
}

/** Lists the raw objects of finished days and writes the plan; returns only batch indexes (payloads stay small). */
async function plan({ pipeline, beforeDay, batchSize }: PlanInput, { runId }: StepContext) {
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
type MoveInput =
  | { kind: 'keys'; keys: string[] }
  | { kind: 'manifest'; manifestKey: string }
  | { kind: 'batch'; pipeline: string; runId: string; batchIndex: number };

function parseMove(bag: Record<string, unknown>): MoveInput {
  if (Array.isArray(bag.keys)) {
    if (!bag.keys.every((key): key is string => typeof key === 'string' && key.startsWith('raw/')))
      throw new InputError('keys must be a list of raw/ object keys');
    return { kind: 'keys', keys: bag.keys };
  }
  const manifestKey = optionalString(bag, 'manifest');
  if (manifestKey) return { kind: 'manifest', manifestKey };
  return {
    kind: 'batch',
    pipeline: pipelineOf(bag),
    runId: stringField(bag, 'runId', ''),
    batchIndex: intField(bag, 'batchIndex', 0, 0, 1_000_000),
  };
}

async function move(input: MoveInput): Promise<BatchResult> {
  if (input.kind === 'keys')
    return { batchIndex: -1, ...(await moveKeys(input.keys.map((key) => ({ key })))) };
  if (input.kind === 'manifest') {
    const { manifestKey } = input;
    const manifest = await getJson<ConsumedManifest>(s3, handlerEnv.artifactsBucket(), manifestKey);
    if (!manifest) throw new InputError(`no manifest at ${manifestKey} in the artifacts bucket`);
    const objects = manifest.consumed.filter((object) => object.key.startsWith('raw/'));
    const result = { batchIndex: -1, ...(await moveKeys(objects)) };
    logger.info('consumed raw objects archived', { manifestKey, ...result });
    return result;
  }
  const { pipeline, runId, batchIndex } = input;
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

async function summarize({
  pipeline,
  runId,
  results,
}: {
  pipeline: string;
  runId: string;
  results: BatchResult[];
}) {
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
 * each) → `summarize`. The steps share the plan file, so they belong together. Retrains also
 * call `move` with the manifest of what they consumed.
 */
export const handler = stepHandler({
  steps: {
    plan: defineStep({
      parse: (bag): PlanInput => {
        const scheduledTime = timeField(bag, 'scheduledTime', () => new Date());
        const beforeDay = optionalString(bag, 'beforeDay') ?? scheduledTime.toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(beforeDay))
          throw new InputError(`beforeDay must be YYYY-MM-DD, got "${beforeDay}"`);
        return { pipeline: pipelineOf(bag), beforeDay, batchSize: intField(bag, 'batchSize', 200, 1, 1000) };
      },
      run: plan,
    }),
    move: defineStep({ parse: parseMove, run: move }),
    summarize: defineStep({
      parse: (bag) => ({
        pipeline: pipelineOf(bag),
        runId: stringField(bag, 'runId', ''),
        results: (Array.isArray(bag.results) ? bag.results : []) as BatchResult[],
      }),
      run: summarize,
    }),
  },
});
