import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getBytes } from '../../../adapters/s3-object-store.js';
import { chunkKey } from '../../../core/features/keys.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import type { SensorReading } from '../../../systems/sensors/records/reading.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { beforeCommand } from '../../support/faults.js';

let emulators: TestEmulators;
let chunks: typeof import('../../../systems/sensors/handlers/chunks.js');

const reading = (sensorId: string, iso: string, vibration = 2): SensorReading => ({
  sensorId,
  timestamp: iso,
  temperature: 40,
  vibration,
  pressure: 5,
  rpm: 1500,
  current: 12,
});
const putRaw = (key: string, rows: unknown[]) =>
  emulators.s3.send(
    new PutObjectCommand({ Bucket: emulators.dataBucket, Key: key, Body: encodeNdjsonGzip(rows) }),
  );
const chunkRows = async (day: string, sensor: string) =>
  decodeNdjsonGzip<SensorReading>(
    (await getBytes(emulators.s3, emulators.dataBucket, chunkKey('sensors', day, sensor))) ??
      new Uint8Array(),
  );

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  chunks = await import('../../../systems/sensors/handlers/chunks.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => {
  for (const key of await listKeys(emulators.s3, emulators.dataBucket, '')) {
    await emulators.s3.send(new DeleteObjectCommand({ Bucket: emulators.dataBucket, Key: key }));
  }
});

async function planAndChunk(runId: string) {
  const plan = (await chunks.handler({ action: 'plan', input: {}, execution: { name: runId } })) as {
    manifestKey: string;
    arrivalDays: string[];
  };
  const results = [];
  for (const arrivalDay of plan.arrivalDays)
    results.push(
      await chunks.handler({ action: 'chunk', input: { manifestKey: plan.manifestKey, arrivalDay } }),
    );
  return { plan, results };
}

describe('sensors-chunks handler against the S3 emulator', () => {
  it('splits readings into one chunk per UTC day × sensor: 23:59:59.999Z stays, midnight moves on, offsets count in UTC', async () => {
    // Prepare
    await putRaw('raw/sensors/dt=2024-03-02/hour=00/shardId-000000000000-1.ndjson.gz', [
      reading('s1', '2024-03-01T23:59:59.999Z'),
      reading('s1', '2024-03-02T00:00:00.000Z'),
      reading('s1', '2024-03-02T01:30:00+02:00'),
      reading('s2', '2024-03-01T12:00:00Z'),
      { ...reading('s2', '2024-03-01T13:00:00Z'), vibration: -1 },
    ]);
    // Act
    const { plan, results } = await planAndChunk('run-1');
    // Assess
    expect(plan.arrivalDays).toEqual(['2024-03-02']);
    expect(results[0]).toMatchObject({ readings: 4, rejected: 1, eventDays: ['2024-03-01', '2024-03-02'] });
    // 01:30+02:00 on March 2 is 23:30Z on March 1: it sorts before 23:59:59.999Z.
    expect((await chunkRows('2024-03-01', 's1')).map((r) => Date.parse(r.timestamp))).toEqual([
      Date.parse('2024-03-01T23:30:00Z'),
      Date.parse('2024-03-01T23:59:59.999Z'),
    ]);
    expect((await chunkRows('2024-03-02', 's1')).map((r) => r.timestamp)).toEqual([
      '2024-03-02T00:00:00.000Z',
    ]);
    expect(await chunkRows('2024-03-01', 's2')).toHaveLength(1);
  });

  it('merges a chunk written by another iteration in between instead of overwriting it', async () => {
    // Prepare: a Map iteration for another arrival day writes the same sensor-day first.
    await putRaw('raw/sensors/dt=2024-03-02/hour=00/shardId-000000000000-1.ndjson.gz', [
      reading('s1', '2024-03-01T10:00:00Z'),
    ]);
    const key = chunkKey('sensors', '2024-03-01', 's1');
    let injected = false;
    const race = beforeCommand(
      chunks.s3,
      'PutObjectCommand',
      (_, input) => input.Key === key && !injected,
      async () => {
        injected = true;
        await emulators.s3.send(
          new PutObjectCommand({
            Bucket: emulators.dataBucket,
            Key: key,
            Body: encodeNdjsonGzip([reading('s1', '2024-03-01T09:00:00Z')]),
          }),
        );
      },
    );
    // Act
    await planAndChunk('run-2');
    race.remove();
    // Assess: both readings survive, in time order.
    expect((await chunkRows('2024-03-01', 's1')).map((r) => r.timestamp)).toEqual([
      '2024-03-01T09:00:00Z', // written by the other iteration, as it wrote it
      '2024-03-01T10:00:00.000Z',
    ]);
  });
});
