import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { listKeys } from '../../local/inspect-data.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { failCommand, slowDown } from '../support/faults.js';

let emulators: TestEmulators;
let archive: typeof import('../../lambdas/archive/index.js');

const rawKeys = [
  'raw/water/dt=2024-01-01/hour=10/shardId-000000000000-100.ndjson.gz',
  'raw/water/dt=2024-01-01/hour=11/shardId-000000000000-200.ndjson.gz',
  'raw/water/dt=2024-01-01/hour=11/shardId-000000000001-300.ndjson.gz',
  'raw/water/dt=2024-01-02/hour=00/shardId-000000000000-400.ndjson.gz',
];
const bodyOf = (key: string) => encodeNdjsonGzip([{ key }]);

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  archive = await import('../../lambdas/archive/index.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => {
  for (const bucket of [emulators.dataBucket, emulators.artifactsBucket]) {
    for (const key of await listKeys(emulators.s3, bucket, ''))
      await emulators.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  for (const key of rawKeys)
    await emulators.s3.send(
      new PutObjectCommand({ Bucket: emulators.dataBucket, Key: key, Body: bodyOf(key) }),
    );
});

async function readBytes(key: string): Promise<Buffer> {
  const response = await emulators.s3.send(new GetObjectCommand({ Bucket: emulators.dataBucket, Key: key }));
  return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
}

describe('archive handler against the S3 emulator', () => {
  it('plans the raw objects of finished days, moves them batch by batch and records a summary', async () => {
    // Act
    const plan = await archive.handler({
      action: 'plan',
      input: { pipeline: 'water', scheduledTime: '2024-01-02T01:00:00Z', batchSize: 2 },
      execution: { name: 'run-1' },
    });
    const results = [];
    for (const batchIndex of (plan as { batchIndexes: number[] }).batchIndexes) {
      results.push(
        await archive.handler({ action: 'move', input: { pipeline: 'water', runId: 'run-1', batchIndex } }),
      );
    }
    const summary = await archive.handler({
      action: 'summarize',
      input: { pipeline: 'water', runId: 'run-1', results },
    });
    // Assess: day 1 archived byte for byte, day 2 (not finished) left in raw/.
    expect(plan).toMatchObject({
      runId: 'run-1',
      beforeDay: '2024-01-02',
      objectCount: 3,
      batchIndexes: [0, 1],
    });
    expect(summary).toMatchObject({ moved: 3, alreadyArchived: 0, missing: 0, batches: 2 });
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'raw/')).toEqual([rawKeys[3]]);
    const archived = await listKeys(emulators.s3, emulators.dataBucket, 'archive/');
    expect(archived).toEqual(rawKeys.slice(0, 3).map((k) => k.replace(/^raw\//, 'archive/')));
    for (const key of rawKeys.slice(0, 3))
      expect(await readBytes(key.replace(/^raw\//, 'archive/'))).toEqual(bodyOf(key));
    expect(await listKeys(emulators.s3, emulators.artifactsBucket, 'runs/water/archive/run-1/')).toEqual([
      'runs/water/archive/run-1/plan.json',
      'runs/water/archive/run-1/summary.json',
    ]);
  });

  it('finishes a move that crashed halfway when run again, without losing or doubling an object', async () => {
    // Prepare: a plan, then a crash after the second copy, before its delete.
    await archive.handler({
      action: 'plan',
      input: { pipeline: 'water', beforeDay: '2024-01-03' },
      execution: { name: 'run-2' },
    });
    const crash = failCommand(archive.s3, 'DeleteObjectCommand', (call) => call === 2, slowDown);
    // Act
    const firstTry = archive.handler({
      action: 'move',
      input: { pipeline: 'water', runId: 'run-2', batchIndex: 0 },
    });
    await expect(firstTry).rejects.toThrow('Please reduce your request rate.');
    crash.remove();
    const secondTry = await archive.handler({
      action: 'move',
      input: { pipeline: 'water', runId: 'run-2', batchIndex: 0 },
    });
    // Assess
    expect(secondTry).toMatchObject({ moved: expect.any(Number), missing: 0 });
    const { moved, alreadyArchived } = secondTry as { moved: number; alreadyArchived: number };
    expect(moved + alreadyArchived).toBe(4);
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'raw/')).toEqual([]);
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'archive/')).toHaveLength(4);
    for (const key of rawKeys)
      expect(await readBytes(key.replace(/^raw\//, 'archive/'))).toEqual(bodyOf(key));
  });

  it('counts objects moved by an earlier run as already archived', async () => {
    // Prepare
    await archive.handler({ action: 'move', input: { keys: rawKeys } });
    // Act
    const again = await archive.handler({ action: 'move', input: { keys: rawKeys } });
    // Assess
    expect(again).toMatchObject({ moved: 0, alreadyArchived: 4, missing: 0 });
  });

  it('rejects keys outside raw/ and unknown actions with an InputError', async () => {
    // Act / Assess
    await expect(
      archive.handler({ action: 'move', input: { keys: ['models/x.json'] } }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'keys must be a list of raw/ object keys',
    });
    await expect(archive.handler({ action: 'delete-everything' })).rejects.toMatchObject({
      name: 'InputError',
      message: 'action must be "plan", "move" or "summarize", got "delete-everything"',
    });
  });

  it('requires the pipeline to plan, move a batch of a plan or summarize: no system is the default', async () => {
    // Act
    const errors = [];
    for (const event of [
      { action: 'plan', input: { beforeDay: '2024-01-03' }, execution: { name: 'run-3' } },
      { action: 'move', input: { runId: 'run-3', batchIndex: 0 } },
      { action: 'summarize', input: { runId: 'run-3', results: [] } },
      { action: 'plan', input: { pipeline: '../water', beforeDay: '2024-01-03' } },
    ])
      errors.push(await archive.handler(event).catch((error: unknown) => error));
    // Assess: each is an InputError naming the field, and nothing moved or was recorded.
    for (const error of errors)
      expect(error).toMatchObject({ name: 'InputError', message: expect.stringMatching(/^pipeline /) });
    expect(await listKeys(emulators.s3, emulators.dataBucket, 'raw/')).toEqual(rawKeys);
    expect(await listKeys(emulators.s3, emulators.artifactsBucket, '')).toEqual([]);
  });
});
