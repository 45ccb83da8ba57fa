import { getJson, getObject, listObjects, putJson, putObject } from '../../../adapters/s3-object-store.js';
import { asBag, InputError, timeField } from '../../../core/data/input-fields.js';
import { restoreClassifier } from '../../../core/online/classifiers.js';
import { restoreRegressor } from '../../../core/online/regressors.js';
import type { ClassifierState, RegressorState } from '../../../core/online/types.js';
import { ARCHIVE_PREFIX, RAW_PREFIX } from '../../../core/streaming/keys.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import { analyseVariables, type ModelImportance, normaliseImportance } from '../model/variable-analysis.js';
import { type OnlineRecord, onlineRecordSpec } from '../records/record.js';
import { onlineKeys } from '../store/keys.js';

const logger = createLogger('online-analysis');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A month of records at one every 2 s is 1.3 million: about what 300 s and 1 GB can read. */
const MAX_RANGE_MS = 31 * DAY_MS;
/**
 * raw/ is partitioned by arrival hour and a record's time is when the source produced it; a
 * record can arrive a little after its time, so the listing reaches an hour past each end.
 */
const ARRIVAL_SLACK_MS = HOUR_MS;

export interface AnalysisInput {
  startTime: Date;
  endTime: Date;
}

export interface AnalysisResult {
  startTime: string;
  endTime: string;
  records: number;
  reportKey: string;
  pictures: string[];
  /** The three features most related to the label and to the target (|Pearson|). */
  strongest: { label: string[]; target: string[] };
}

export const reportPrefix = (day: string) => `reports/online/analysis/${day}/`;

function parseAnalysisInput(input: Record<string, unknown>, now: Date): AnalysisInput {
  const bag = asBag(input, 'analysis input');
  const endTime = timeField(bag, 'endTime', () => timeField(bag, 'scheduledTime', () => now));
  const startTime = timeField(bag, 'startTime', () => new Date(endTime.getTime() - DAY_MS));
  if (startTime >= endTime)
    throw new InputError(
      `startTime (${startTime.toISOString()}) must be before endTime (${endTime.toISOString()})`,
    );
  if (endTime.getTime() - startTime.getTime() > MAX_RANGE_MS)
    throw new InputError(
      'the range from startTime to endTime may be at most 31 days; analyse a longer period in parts',
    );
  return { startTime, endTime };
}

/** The `dt=YYYY-MM-DD/` partitions of raw/ and archive/ that may hold records of the range. */
function partitionPrefixes(start: Date, end: Date): string[] {
  const prefixes: string[] = [];
  const first = Math.floor((start.getTime() - ARRIVAL_SLACK_MS) / DAY_MS) * DAY_MS;
  for (let day = first; day <= end.getTime() + ARRIVAL_SLACK_MS; day += DAY_MS) {
    const dt = new Date(day).toISOString().slice(0, 10);
    for (const root of [RAW_PREFIX, ARCHIVE_PREFIX]) prefixes.push(`${root}online/dt=${dt}/`);
  }
  return prefixes;
}

/** Whether a raw/ or archive/ key's arrival hour can hold records of the range. */
function hourInRange(key: string, start: Date, end: Date): boolean {
  const match = /\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\//.exec(key);
  if (!match) return false;
  const hourStart = Date.parse(`${match[1]}T${match[2]}:00:00Z`);
  return (
    hourStart + HOUR_MS > start.getTime() - ARRIVAL_SLACK_MS && hourStart <= end.getTime() + ARRIVAL_SLACK_MS
  );
}

async function readRecords(start: Date, end: Date): Promise<OnlineRecord[]> {
  const bucket = handlerEnv.dataBucket();
  const records: OnlineRecord[] = [];
  for (const prefix of partitionPrefixes(start, end)) {
    for (const { key } of await listObjects(s3, bucket, prefix)) {
      if (!key.endsWith('.ndjson.gz') || !hourInRange(key, start, end)) continue;
      const object = await getObject(s3, bucket, key);
      if (!object) continue; // archived between the listing and the read: found under archive/
      for (const row of decodeNdjsonGzip(object.bytes)) {
        // Ingest validated them; checked again so a hand-placed file cannot poison the report.
        const checked = onlineRecordSpec.validate(row, Number.MAX_SAFE_INTEGER);
        if (!checked.ok) continue;
        const ms = Date.parse(checked.value.time);
        if (ms >= start.getTime() && ms < end.getTime()) records.push(checked.value);
      }
    }
  }
  return records;
}

interface StoredCheckpoint<State> {
  model: State;
}

/** The models' importances from their checkpoints (none before the learner's first batch). */
async function readImportances(): Promise<{
  classification?: ModelImportance;
  regression?: ModelImportance;
}> {
  const bucket = handlerEnv.artifactsBucket();
  const classifier = await getJson<StoredCheckpoint<ClassifierState>>(
    s3,
    bucket,
    onlineKeys.checkpoint('classification'),
  );
  const regressor = await getJson<StoredCheckpoint<RegressorState>>(
    s3,
    bucket,
    onlineKeys.checkpoint('regression'),
  );
  const describe = (
    state: ClassifierState | RegressorState,
    importance: Record<string, number>,
  ): ModelImportance => ({
    modelName: state.config.model,
    learned: state.learned,
    importance: normaliseImportance(importance),
  });
  return {
    ...(classifier
      ? { classification: describe(classifier.model, restoreClassifier(classifier.model).importance()) }
      : {}),
    ...(regressor
      ? { regression: describe(regressor.model, restoreRegressor(regressor.model).importance()) }
      : {}),
  };
}

async function analyse(input: AnalysisInput): Promise<AnalysisResult> {
  const records = await readRecords(input.startTime, input.endTime);
  const { report, pictures } = analyseVariables({
    startTime: input.startTime.toISOString(),
    endTime: input.endTime.toISOString(),
    createdAt: new Date().toISOString(),
    records,
    models: await readImportances(),
  });
  const bucket = handlerEnv.artifactsBucket();
  // Named by the range's last day: the daily run at 04:00 writes the report of the day it ends.
  const prefix = reportPrefix(new Date(input.endTime.getTime() - 1).toISOString().slice(0, 10));
  const pictureKeys = [`${prefix}correlations.svg`, `${prefix}importance.svg`];
  await putObject(s3, bucket, pictureKeys[0] as string, pictures.correlations, {
    contentType: 'image/svg+xml',
  });
  await putObject(s3, bucket, pictureKeys[1] as string, pictures.importance, {
    contentType: 'image/svg+xml',
  });
  // The report last: whoever finds it finds its pictures too.
  await putJson(s3, bucket, `${prefix}report.json`, { ...report, pictures: pictureKeys });
  const strongest = (against: 'label' | 'target') =>
    [...report.features]
      .sort((a, b) => Math.abs(b[against].pearson ?? 0) - Math.abs(a[against].pearson ?? 0))
      .slice(0, 3)
      .map((row) => row.feature);
  const result: AnalysisResult = {
    startTime: report.startTime,
    endTime: report.endTime,
    records: report.records,
    reportKey: `${prefix}report.json`,
    pictures: pictureKeys,
    strongest: { label: strongest('label'), target: strongest('target') },
  };
  logger.info('variable analysis written', { ...result });
  return result;
}

export const handler = stepHandler({
  steps: {
    analyse: defineStep({
      parse: (input) => parseAnalysisInput(input, new Date()),
      run: (input) => analyse(input),
    }),
  },
});
