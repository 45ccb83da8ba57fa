import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../../core/online/classifiers.js';
import { createRegressor } from '../../../core/online/regressors.js';
import {
  type Checkpoint,
  decodeBatch,
  type OnlineTask,
  onlineTasks,
  runPrequential,
  type SequencedRecord,
} from '../../../systems/online/model/prequential.js';
import type { OnlineResult } from '../../../systems/online/model/result-types.js';
import { type OnlineSettings, onlineSettings } from '../../../systems/online/model/settings.js';
import { generateOnlineRecords } from '../../../systems/online/records/generator.js';
import { ONLINE_MODELS, type OnlineModelName } from '../../../systems/online/store/keys.js';

const LEARNED_AT = '2024-01-02T00:00:00.000Z';
const task = (model: OnlineModelName) => onlineTasks[model] as OnlineTask<OnlineModelName>;

function sequenced(count: number, startTick = 0): SequencedRecord[] {
  return generateOnlineRecords({ seed: 7, count, startTick }).map((record) => ({
    record,
    shardId: 'shardId-000000000000',
    sequenceNumber: String(1_000 + record.tick),
  }));
}

/** Runs batches one after another as the learner does: the checkpoint goes through JSON between them. */
function runBatches(
  model: OnlineModelName,
  batches: readonly SequencedRecord[][],
  settings: OnlineSettings = onlineSettings,
  start?: Checkpoint,
): { results: OnlineResult[]; checkpoint: Checkpoint | undefined } {
  let checkpoint = start;
  const results: OnlineResult[] = [];
  for (const batch of batches) {
    const outcome = runPrequential(task(model), settings, checkpoint, batch, LEARNED_AT);
    results.push(...outcome.results);
    if (outcome.checkpoint) checkpoint = JSON.parse(JSON.stringify(outcome.checkpoint)) as Checkpoint;
  }
  return { results, checkpoint };
}

describe('prequential evaluation', () => {
  it("predicts each record before learning it: the first prediction is the untrained model's", () => {
    // Prepare
    const records = sequenced(2);
    const [first, second] = records.map((r) => r.record) as [
      SequencedRecord['record'],
      SequencedRecord['record'],
    ];
    const classifier = createClassifier(onlineSettings.classification);
    const regressor = createRegressor(onlineSettings.regression);
    const untrained = {
      probability: classifier.predictProbability(first.features),
      prediction: regressor.predict(first.features),
    };
    classifier.learn(first.features, first.label);
    regressor.learn(first.features, first.target);
    const afterFirst = {
      probability: classifier.predictProbability(second.features),
      prediction: regressor.predict(second.features),
    };
    // Act
    const classification = runPrequential(
      task('classification'),
      onlineSettings,
      undefined,
      records,
      LEARNED_AT,
    );
    const regression = runPrequential(task('regression'), onlineSettings, undefined, records, LEARNED_AT);
    // Assess
    const [c0, c1] = classification.results as Extract<OnlineResult, { model: 'classification' }>[];
    const [r0, r1] = regression.results;
    expect(c0?.probability).toBe(untrained.probability);
    expect(r0?.prediction).toBe(untrained.prediction);
    expect(c1?.probability).toBe(afterFirst.probability);
    expect(r1?.prediction).toBe(afterFirst.prediction);
    expect(c0).toMatchObject({ tick: 0, truth: first.label, learned: 1, metrics: { count: 1 } });
    expect(r0).toMatchObject({ tick: 0, truth: first.target, learned: 1, metrics: { count: 1 } });
    expect(classification.checkpoint).toMatchObject({ lastTick: 1, learned: 2, generation: 1 });
  });

  it.each(ONLINE_MODELS)(
    '%s: re-sent ticks and retried batches give exactly the results of the stream sent once',
    (model) => {
      // Prepare: the same 300 records, once in clean batches, once with every batch re-sending
      // the previous batch's last 15 records and one tick twice in a row (a poller's re-send).
      const records = sequenced(300);
      const clean = [0, 1, 2, 3, 4, 5].map((b) => records.slice(b * 50, b * 50 + 50));
      const resent = clean.map((batch, b) => {
        const previousTail = b === 0 ? [] : records.slice(b * 50 - 15, b * 50);
        return [...previousTail, ...batch.slice(0, 10), batch[9] as SequencedRecord, ...batch.slice(10)];
      });
      // Act
      const once = runBatches(model, clean);
      const withRetries = runBatches(model, [
        ...resent.slice(0, 3),
        resent[2] as SequencedRecord[],
        ...resent.slice(3),
      ]);
      // Assess
      expect(withRetries.results.map((r) => r.tick)).toEqual(records.map((r) => r.record.tick));
      expect(withRetries.results).toEqual(once.results);
      expect(withRetries.checkpoint).toEqual(once.checkpoint);
    },
  );

  it('learns one long batch and the same records in small batches through JSON checkpoints alike', () => {
    // Prepare
    const records = sequenced(240);
    const small = Array.from({ length: 24 }, (_, b) => records.slice(b * 10, b * 10 + 10));
    for (const model of ONLINE_MODELS) {
      // Act
      const long = runBatches(model, [records]);
      const split = runBatches(model, small);
      // Assess
      expect(split.results).toEqual(long.results);
      expect(split.checkpoint).toEqual(long.checkpoint);
    }
  });

  it('skips a batch the checkpoint already covers: no results and no checkpoint to write', () => {
    // Prepare
    const records = sequenced(20);
    const { checkpoint } = runBatches('classification', [records]);
    // Act
    const again = runPrequential(task('classification'), onlineSettings, checkpoint, records, LEARNED_AT);
    // Assess
    expect(again).toEqual({ results: [], checkpoint: undefined, skipped: 20, newGeneration: false });
  });

  it('records the last sequence number learned per shard', () => {
    // Prepare
    const records = sequenced(4).map((r, i) => ({ ...r, shardId: i % 2 === 0 ? 'shard-a' : 'shard-b' }));
    // Act
    const { checkpoint } = runBatches('regression', [records]);
    // Assess
    expect(checkpoint?.lastSequenceNumbers).toEqual({ 'shard-a': '1002', 'shard-b': '1003' });
  });

  it('starts a new model generation when the configured model changes, without relearning old ticks', () => {
    // Prepare
    const records = sequenced(60);
    const { checkpoint } = runBatches('classification', [records.slice(0, 30)]);
    const changed: OnlineSettings = {
      ...onlineSettings,
      classification: { model: 'gaussian-nb' },
    };
    // Act
    const outcome = runPrequential(task('classification'), changed, checkpoint, records, LEARNED_AT);
    // Assess
    expect(outcome.newGeneration).toBe(true);
    expect(outcome.results.map((r) => r.tick)).toEqual(records.slice(30).map((r) => r.record.tick));
    expect(outcome.results[0]).toMatchObject({ modelName: 'gaussian-nb', learned: 1, metrics: { count: 1 } });
    expect(outcome.checkpoint).toMatchObject({ generation: 2, learned: 30, lastTick: 59 });
  });

  it('keeps the model but restarts the metrics when the metrics window changes', () => {
    // Prepare
    const records = sequenced(40);
    const { checkpoint } = runBatches('regression', [records.slice(0, 20)]);
    // Act
    const outcome = runPrequential(
      task('regression'),
      { ...onlineSettings, window: 50 },
      checkpoint,
      records,
      LEARNED_AT,
    );
    // Assess
    expect(outcome.newGeneration).toBe(false);
    expect(outcome.results[0]).toMatchObject({ tick: 20, learned: 21, metrics: { count: 1 } });
  });
});

describe('decoding a batch', () => {
  it('keeps valid records in order and gives every invalid one a reason, without dropping the rest', () => {
    // Prepare
    const [a, b] = generateOnlineRecords({ seed: 7, count: 2 });
    const arrivalMs = Date.parse('2024-01-01T00:10:00Z');
    const entry = (sequenceNumber: string, text: string) => ({
      shardId: 's',
      sequenceNumber,
      arrivalMs,
      text,
    });
    // Act
    const batch = decodeBatch([
      entry('1', JSON.stringify({ pipeline: 'online', data: a })),
      entry('2', 'not json'),
      entry('3', JSON.stringify({ pipeline: 'water', data: a })),
      entry('4', JSON.stringify({ pipeline: 'online', data: { ...b, label: 2 } })),
      entry('5', JSON.stringify({ pipeline: 'online', data: b })),
    ]);
    // Assess
    expect(batch.records.map((r) => [r.sequenceNumber, r.record.tick])).toEqual([
      ['1', 0],
      ['5', 1],
    ]);
    expect(batch.invalid.map((i) => i.sequenceNumber)).toEqual(['2', '3', '4']);
    expect(batch.invalid[2]?.reason).toMatch(/label must be 0 or 1/);
  });
});
