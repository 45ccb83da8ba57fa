import { createClassifier, restoreClassifier } from '../../../core/online/classifiers.js';
import {
  predictedClass,
  RollingClassificationMetrics,
} from '../../../core/online/metrics/classification-metrics.js';
import { RollingRegressionMetrics } from '../../../core/online/metrics/regression-metrics.js';
import { createRegressor, restoreRegressor } from '../../../core/online/regressors.js';
import type { ClassifierState, Features, RegressorState } from '../../../core/online/types.js';
import { type OnlineRecord, onlineRecordSpec } from '../records/record.js';
import type { OnlineModelName } from '../store/keys.js';
import type { ClassificationResult, ResultOf } from './result-types.js';
import type { OnlineSettings } from './settings.js';

/**
 * Prequential evaluation, pure: each record is first predicted, the prediction scored against
 * the truth, and only then learned, so every metric is on data the model had not seen. Given a
 * checkpoint and a batch in stream order it returns the results and the next checkpoint; ticks
 * the checkpoint has already learned are skipped, so a retried batch (or a tick the poller sent
 * twice) is never learned twice, and the models being deterministic, a retry recomputes exactly
 * the results a crash interrupted.
 */

/** `checkpoints/online/<model>.json`: everything the one writer of a model needs to go on. */
export interface Checkpoint<State = ClassifierState | RegressorState> {
  version: 1;
  model: State;
  /** The rolling metrics' own state (restored with the metrics class's `restore`). */
  metrics: unknown;
  /** The last tick learned; -1 before the first. */
  lastTick: number;
  /** Per shard, the sequence number of the last record learned from it. */
  lastSequenceNumbers: Record<string, string>;
  /** Records this generation has learned. */
  learned: number;
  /** 1 for the first model; + 1 each time the configured model changes. */
  generation: number;
  updatedAt: string;
}

/** A record as it came off the stream, its data still text. */
export interface StreamEntry {
  shardId: string;
  sequenceNumber: string;
  /** When the stream accepted it: the record spec judges "far future" times against it. */
  arrivalMs: number;
  text: string;
}
export interface SequencedRecord {
  record: OnlineRecord;
  shardId: string;
  sequenceNumber: string;
}
export interface DecodedBatch {
  records: SequencedRecord[];
  invalid: { sequenceNumber: string; reason: string }[];
}

/** The envelope `{pipeline: 'online', data}` → validated records, and the rest with a reason. */
export function decodeBatch(entries: readonly StreamEntry[]): DecodedBatch {
  const records: SequencedRecord[] = [];
  const invalid: DecodedBatch['invalid'] = [];
  for (const entry of entries) {
    const reason = decodeEntry(entry, records);
    if (reason) invalid.push({ sequenceNumber: entry.sequenceNumber, reason });
  }
  return { records, invalid };
}

function decodeEntry(entry: StreamEntry, into: SequencedRecord[]): string | undefined {
  let envelope: unknown;
  try {
    envelope = JSON.parse(entry.text);
  } catch {
    return 'the record is not JSON';
  }
  const { pipeline, data } = (envelope ?? {}) as { pipeline?: unknown; data?: unknown };
  if (pipeline !== onlineRecordSpec.pipeline)
    return `the envelope's pipeline is ${JSON.stringify(pipeline) ?? 'missing'}, not "${onlineRecordSpec.pipeline}"`;
  const validation = onlineRecordSpec.validate(data, entry.arrivalMs);
  if (!validation.ok) return validation.reason;
  into.push({ record: validation.value, shardId: entry.shardId, sequenceNumber: entry.sequenceNumber });
  return undefined;
}

/** One model with its metrics, as one prequential step sees it. */
interface Session<M extends OnlineModelName> {
  /** Predict, score, learn: everything of the result that comes from the model. */
  step(
    record: OnlineRecord,
  ): Pick<ResultOf<M>, 'truth' | 'prediction' | 'metrics'> &
    Partial<Pick<ClassificationResult, 'probability'>>;
  modelState(): Checkpoint['model'];
  metricsState(): unknown;
  driftResets(): number;
}

/** What differs between the two tasks: how a model is made, restored and scored. */
export interface OnlineTask<M extends OnlineModelName> {
  model: M;
  /** The configured model's state before learning anything: its config is the one to compare. */
  freshState(settings: OnlineSettings): Checkpoint['model'];
  open(modelState: Checkpoint['model'] | undefined, metrics: unknown, settings: OnlineSettings): Session<M>;
}

/** A model as a session drives it (a classifier or a regressor). */
interface TaskModel<Y> {
  learn(x: Features, y: Y): void;
  state(): ClassifierState | RegressorState;
}
/** Rolling metrics as a session drives them. */
interface TaskMetrics<Y, V> {
  update(y: Y, prediction: number): void;
  value(): V;
  state(): unknown;
}

/** The parts of a task that differ: its model, its metrics, its truth and how a prediction reads. */
interface TaskParts<M extends OnlineModelName, Y, Model extends TaskModel<Y>> {
  model: M;
  create(settings: OnlineSettings): Model;
  restore(state: Checkpoint['model']): Model;
  newMetrics(window: number): TaskMetrics<Y, ResultOf<M>['metrics']>;
  restoreMetrics(state: unknown): TaskMetrics<Y, ResultOf<M>['metrics']>;
  truth(record: OnlineRecord): Y;
  /** What the metrics score: P(y = 1) for a classifier, the estimate for a regressor. */
  predict(model: Model, features: Features): number;
  /** The result's truth and prediction (and a classifier's probability). */
  scored(
    truth: Y,
    predicted: number,
  ): Pick<ResultOf<M>, 'truth' | 'prediction'> & Partial<Pick<ClassificationResult, 'probability'>>;
}

/** A task from its parts; the prequential step (predict, score, then learn) is the same for both. */
function defineTask<M extends OnlineModelName, Y, Model extends TaskModel<Y>>(
  parts: TaskParts<M, Y, Model>,
): OnlineTask<M> {
  return {
    model: parts.model,
    freshState: (settings) => parts.create(settings).state(),
    open(modelState, metricsState, settings) {
      const model = modelState ? parts.restore(modelState) : parts.create(settings);
      const metrics =
        metricsState === undefined ? parts.newMetrics(settings.window) : parts.restoreMetrics(metricsState);
      return {
        step(record) {
          const truth = parts.truth(record);
          const predicted = parts.predict(model, record.features);
          metrics.update(truth, predicted);
          model.learn(record.features, truth);
          return { ...parts.scored(truth, predicted), metrics: metrics.value() };
        },
        modelState: () => model.state(),
        metricsState: () => metrics.state(),
        driftResets: () => model.state().drift?.resets ?? 0,
      };
    },
  };
}

export const classificationTask: OnlineTask<'classification'> = defineTask({
  model: 'classification',
  create: (settings) => createClassifier(settings.classification),
  restore: (state) => restoreClassifier(state as ClassifierState),
  newMetrics: (window) => new RollingClassificationMetrics(window),
  restoreMetrics: (state) => RollingClassificationMetrics.restore(state as never),
  truth: (record) => record.label,
  predict: (classifier, features) => classifier.predictProbability(features),
  scored: (truth, probability) => ({ truth, probability, prediction: predictedClass(probability) }),
});

export const regressionTask: OnlineTask<'regression'> = defineTask({
  model: 'regression',
  create: (settings) => createRegressor(settings.regression),
  restore: (state) => restoreRegressor(state as RegressorState),
  newMetrics: (window) => new RollingRegressionMetrics(window),
  restoreMetrics: (state) => RollingRegressionMetrics.restore(state as never),
  truth: (record) => record.target,
  predict: (regressor, features) => regressor.predict(features),
  scored: (truth, prediction) => ({ truth, prediction }),
});

export const onlineTasks = { classification: classificationTask, regression: regressionTask } as const;

export interface PrequentialOutcome<M extends OnlineModelName> {
  /** One per record learned, in tick order. */
  results: ResultOf<M>[];
  /** The checkpoint after the batch; undefined when nothing was learned (nothing to write). */
  checkpoint: Checkpoint | undefined;
  /** Records whose tick had already been learned. */
  skipped: number;
  /** True when the configured model differs from the checkpoint's: a new generation began. */
  newGeneration: boolean;
}

/**
 * Runs one batch through one model. `records` must be in stream order (one shard, one partition
 * key); `learnedAt` stamps the batch's results and checkpoint.
 */
export function runPrequential<M extends OnlineModelName>(
  task: OnlineTask<M>,
  settings: OnlineSettings,
  previous: Checkpoint | undefined,
  records: readonly SequencedRecord[],
  learnedAt: string,
): PrequentialOutcome<M> {
  const lastTick = previous?.lastTick ?? -1;
  // A tick is a record's identity: a retried batch and a poller's re-sent record (a new sequence
  // number, the same tick) both show up here as ticks at or below the last one learned.
  const fresh = records.filter((r) => r.record.tick > lastTick);
  // Ticks strictly increase in the source; a record out of order inside the batch is skipped too.
  const toLearn: SequencedRecord[] = [];
  for (const r of fresh) if (r.record.tick > (toLearn.at(-1)?.record.tick ?? lastTick)) toLearn.push(r);
  const skipped = records.length - toLearn.length;
  const newGeneration = previous !== undefined && !sameConfig(previous.model, task.freshState(settings));
  if (toLearn.length === 0) return { results: [], checkpoint: undefined, skipped, newGeneration: false };

  const restart = previous === undefined || newGeneration;
  // A new metrics window restarts the metrics, not the model.
  const sameWindow = (previous?.metrics as { window?: unknown } | undefined)?.window === settings.window;
  const session = restart
    ? task.open(undefined, undefined, settings)
    : task.open(previous.model, sameWindow ? previous.metrics : undefined, settings);
  let learned = restart ? 0 : previous.learned;
  const modelName = task.freshState(settings).config.model;
  const lastSequenceNumbers = { ...(previous?.lastSequenceNumbers ?? {}) };
  const results: ResultOf<M>[] = [];
  for (const { record, shardId, sequenceNumber } of toLearn) {
    const scored = session.step(record);
    learned++;
    lastSequenceNumbers[shardId] = sequenceNumber;
    results.push({
      model: task.model,
      tick: record.tick,
      time: record.time,
      learnedAt,
      ...scored,
      learned,
      driftResets: session.driftResets(),
      modelName,
    } as unknown as ResultOf<M>);
  }
  const last = toLearn.at(-1) as SequencedRecord;
  return {
    results,
    checkpoint: {
      version: 1,
      model: session.modelState(),
      metrics: session.metricsState(),
      lastTick: last.record.tick,
      lastSequenceNumbers,
      learned,
      generation: restart ? (previous?.generation ?? 0) + 1 : previous.generation,
      updatedAt: learnedAt,
    },
    skipped,
    newGeneration,
  };
}

/** Configs compare as data (key order aside): the model's own normalised config against the settings'. */
function sameConfig(a: { config: unknown }, b: { config: unknown }): boolean {
  return canonicalJson(a.config) === canonicalJson(b.config);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
