import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listKeys } from '../../../local/inspect-data.js';
import {
  type Checkpoint,
  type OnlineTask,
  onlineTasks,
  runPrequential,
  type SequencedRecord,
} from '../../../systems/online/model/prequential.js';
import type { OnlineResult } from '../../../systems/online/model/result-types.js';
import { onlineSettings } from '../../../systems/online/model/settings.js';
import { generateOnlineRecords } from '../../../systems/online/records/generator.js';
import type { OnlineRecord } from '../../../systems/online/records/record.js';
import { readHistoryParquet } from '../../../systems/online/store/history-parquet.js';
import { ONLINE_MODELS, type OnlineModelName, onlineKeys } from '../../../systems/online/store/keys.js';
import { readHistorySince, readRecent } from '../../../systems/online/store/results-store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { sequenceNumber } from '../../support/kinesis-events.js';
import { emptyBuckets, onlineEvent, snapshotBuckets, watchS3 } from './online-support.js';

let emulators: TestEmulators;
let learner: typeof import('../../../systems/online/handlers/learner.js');
const buckets = () => [emulators.dataBucket, emulators.artifactsBucket];
const records = generateOnlineRecords({ seed: 3, count: 40 });
const SHARD = 'shardId-000000000000';

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // Handlers build their S3 client at module load: import once the environment is set.
  learner = await import('../../../systems/online/handlers/learner.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => emptyBuckets(emulators.s3, buckets()));

async function readJson<T>(bucket: string, key: string): Promise<T> {
  const response = await emulators.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await (response.Body?.transformToString() ?? Promise.resolve('null'))) as T;
}
const checkpointOf = (model: OnlineModelName) =>
  readJson<Checkpoint>(emulators.artifactsBucket, onlineKeys.checkpoint(model));
const latestOf = (model: OnlineModelName) =>
  readJson<OnlineResult>(emulators.dataBucket, onlineKeys.latest(model));

/** What an uninterrupted learner computes for these batches, in memory. */
function expected(model: OnlineModelName, batches: readonly OnlineRecord[][]) {
  let checkpoint: Checkpoint | undefined;
  const results: OnlineResult[] = [];
  let sequence = 0;
  for (const batch of batches) {
    const sequenced: SequencedRecord[] = batch.map((record) => ({
      record,
      shardId: SHARD,
      sequenceNumber: sequenceNumber(sequence++),
    }));
    const outcome = runPrequential(
      onlineTasks[model] as OnlineTask<OnlineModelName>,
      onlineSettings,
      checkpoint,
      sequenced,
      'any',
    );
    results.push(...outcome.results);
    checkpoint = outcome.checkpoint ?? checkpoint;
  }
  return { results, checkpoint: checkpoint as Checkpoint };
}
const withoutClock = <T extends { learnedAt?: string; updatedAt?: string }>(value: T) => ({
  ...value,
  learnedAt: undefined,
  updatedAt: undefined,
});

describe('online learner against the S3 emulator', () => {
  it('turns a batch into the latest result, the recent results, a Parquet history object and a checkpoint', async () => {
    // Prepare
    const event = onlineEvent(records.slice(0, 20), 0);
    // Act
    const response = await learner.handler(event);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    for (const model of ONLINE_MODELS) {
      expect(await latestOf(model)).toMatchObject({ model, tick: 19, learned: 20, metrics: { count: 20 } });
      const recent = await readRecent(emulators.s3, emulators.dataBucket, model);
      expect(recent.map((r) => r.tick)).toEqual(records.slice(0, 20).map((r) => r.tick));
      const historyKeys = await listKeys(emulators.s3, emulators.dataBucket, onlineKeys.historyRoot(model));
      expect(historyKeys).toEqual([
        `results/online/history/model=${model}/date=2024-01-01/hour=00/tick-000000000000.parquet`,
      ]);
      const parquet = await emulators.s3.send(
        new GetObjectCommand({ Bucket: emulators.dataBucket, Key: historyKeys[0] }),
      );
      const rows = await readHistoryParquet(
        model,
        (await parquet.Body?.transformToByteArray()) as Uint8Array,
      );
      expect(rows).toEqual(recent);
      const checkpoint = await checkpointOf(model);
      expect(checkpoint).toMatchObject({
        version: 1,
        lastTick: 19,
        learned: 20,
        generation: 1,
        lastSequenceNumbers: { [SHARD]: sequenceNumber(19) },
      });
      expect(withoutClock(checkpoint)).toEqual(
        withoutClock(expected(model, [records.slice(0, 20)]).checkpoint),
      );
    }
  });

  it('changes nothing when a batch is delivered again: every object byte for byte, learned counts unchanged', async () => {
    // Prepare
    const first = onlineEvent(records.slice(0, 20), 0);
    const second = onlineEvent(records.slice(20, 40), 20);
    await learner.handler(first);
    await learner.handler(second);
    const before = await snapshotBuckets(emulators.s3, buckets());
    // Act
    const responses = [await learner.handler(second), await learner.handler(first)];
    // Assess
    expect(responses.map((r) => r.batchItemFailures)).toEqual([[], []]);
    expect(await snapshotBuckets(emulators.s3, buckets())).toEqual(before);
    expect((await checkpointOf('classification')).learned).toBe(40);
    expect((await latestOf('regression')).learned).toBe(40);
  });

  it('refuses a stale writer (the checkpoint changed since it was read); the retry goes on from the newer checkpoint', async () => {
    // Prepare: ticks 0–19 learned; then, while this invocation learns 20–39, another writer
    // commits a checkpoint that has learned 20–29 (as an invocation with a smaller batch would).
    await learner.handler(onlineEvent(records.slice(0, 20), 0));
    const model: OnlineModelName = 'classification';
    const other = expected(model, [records.slice(0, 20), records.slice(20, 30)]).checkpoint;
    let interfered = false;
    const hook = watchS3(learner.s3, 'test-other-writer', async (command, input) => {
      if (
        interfered ||
        command !== 'PutObjectCommand' ||
        !input.Key?.startsWith(onlineKeys.historyRoot(model))
      )
        return;
      interfered = true;
      await emulators.s3.send(
        new PutObjectCommand({
          Bucket: emulators.artifactsBucket,
          Key: onlineKeys.checkpoint(model),
          Body: JSON.stringify(other),
        }),
      );
    });
    const batch = onlineEvent(records.slice(20, 40), 20);
    // Act
    const stale = await learner.handler(batch).then(
      () => 'accepted',
      (error: Error) => error.name,
    );
    hook.remove();
    const afterRefusal = await checkpointOf(model);
    const retry = await learner.handler(batch);
    // Assess
    expect(stale).toBe('PreconditionFailedError');
    expect(afterRefusal.lastTick).toBe(29);
    expect(retry.batchItemFailures).toEqual([]);
    const uninterrupted = expected(model, [records.slice(0, 20), records.slice(20, 40)]);
    expect(withoutClock(await checkpointOf(model))).toEqual(withoutClock(uninterrupted.checkpoint));
    const history = await readHistorySince(emulators.s3, emulators.dataBucket, model, { tick: 0 }, 5000);
    expect(history.map(withoutClock)).toEqual(uninterrupted.results.map(withoutClock));
    const recent = await readRecent(emulators.s3, emulators.dataBucket, model);
    expect(recent.map(withoutClock)).toEqual(uninterrupted.results.map(withoutClock));
    // The regression model's writer was never stale: it learned the batch the first time.
    expect((await checkpointOf('regression')).lastTick).toBe(39);
  });

  it('skips an invalid record without blocking the rest of its batch', async () => {
    // Prepare
    const batch = records.slice(0, 6);
    const broken = { raw: { pipeline: 'online', data: { ...batch[3], label: 7 } } };
    const event = onlineEvent([...batch.slice(0, 3), broken, { raw: 'not json' }, ...batch.slice(4)], 0);
    // Act
    const response = await learner.handler(event);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    for (const model of ONLINE_MODELS) {
      const recent = await readRecent(emulators.s3, emulators.dataBucket, model);
      expect(recent.map((r) => r.tick)).toEqual([0, 1, 2, 4, 5]);
      expect(await checkpointOf(model)).toMatchObject({ lastTick: 5, learned: 5 });
    }
  });
});
