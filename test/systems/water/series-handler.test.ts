import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../../adapters/s3-object-store.js';
import { initialDatasetKey } from '../../../core/streaming/dataset-keys.js';
import { encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import type { SeriesResult } from '../../../systems/water/handlers/series.js';
import { toHourlySeries } from '../../../systems/water/model/hourly-series.js';
import type { WaterReading } from '../../../systems/water/records/reading.js';
import { waterKeys } from '../../../systems/water/store/keys.js';
import { loadBuckets } from '../../../systems/water/store/series-store.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { beforeCommand } from '../../support/faults.js';

let emulators: TestEmulators;
let series: typeof import('../../../systems/water/handlers/series.js');

const reading = (hour: number, meterId = 'm1', consumption = 1): WaterReading => ({
  meterId,
  zone: 'zone-a',
  timestamp: new Date(Date.UTC(2024, 0, 1, hour)).toISOString(),
  consumption,
  temperature: 4,
  holiday: false,
});
const put = (key: string, rows: unknown[]) =>
  emulators.s3.send(
    new PutObjectCommand({ Bucket: emulators.dataBucket, Key: key, Body: encodeNdjsonGzip(rows) }),
  );
const collect = (runId: string) =>
  series.handler({ action: 'collect', input: {}, execution: { name: runId } }) as Promise<SeriesResult>;
const init = (runId: string) =>
  series.handler({ action: 'init', input: {}, execution: { name: runId } }) as Promise<SeriesResult>;
const storedKeys = async () => [...((await loadBuckets(emulators.s3))?.buckets.seen ?? [])].sort();
const keysOf = (readings: WaterReading[]) => readings.map((r) => `${r.meterId}|${r.timestamp}`).sort();
const deleteObject = (key: string) =>
  emulators.s3.send(new DeleteObjectCommand({ Bucket: emulators.dataBucket, Key: key }));

/** The initial share (hours 0–3 of two meters) and raw readings that arrived later (hours 4–9). */
const initialShare = [0, 1, 2, 3].flatMap((h) => [reading(h), reading(h, 'm2', 2)]);
const rawObjects: [string, WaterReading[]][] = [
  ['raw/water/dt=2024-01-01/hour=04/shardId-000000000000-4.ndjson.gz', [4, 5, 6].map((h) => reading(h))],
  [
    'raw/water/dt=2024-01-01/hour=07/shardId-000000000000-7.ndjson.gz',
    [7, 8, 9].map((h) => reading(h, 'm2', 2)),
  ],
];
const everyReading = [...initialShare, ...rawObjects.flatMap(([, rows]) => rows)];
async function putInitialAndRaw() {
  await put(initialDatasetKey('water'), initialShare);
  for (const [key, rows] of rawObjects) await put(key, rows);
}

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  series = await import('../../../systems/water/handlers/series.js');
});
afterAll(async () => emulators?.stop());
beforeEach(async () => {
  for (const key of await listKeys(emulators.s3, emulators.dataBucket, '')) {
    await emulators.s3.send(new DeleteObjectCommand({ Bucket: emulators.dataBucket, Key: key }));
  }
});

describe('series handler against the S3 emulator', () => {
  it('init builds the series from the valid rows of the initial share and pins the file it read by ETag', async () => {
    // Prepare
    await put(initialDatasetKey('water'), [reading(0), reading(1), { ...reading(2), consumption: 'NaN' }]);
    // Act
    const result = (await series.handler({
      action: 'init',
      input: {},
      execution: { name: 'init-1' },
    })) as SeriesResult;
    // Assess
    expect(result).toMatchObject({ newReadings: 2, rejected: 1, points: 2 });
    const manifest = await getJson<{ consumed: { key: string; etag: string }[] }>(
      emulators.s3,
      emulators.artifactsBucket,
      result.manifestKey,
    );
    expect(manifest?.consumed).toEqual([
      { key: initialDatasetKey('water'), etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) },
    ]);
  });

  it('collect merges every raw object once, counting a replayed reading once', async () => {
    // Prepare
    await put('raw/water/dt=2024-01-01/hour=00/shardId-000000000000-1.ndjson.gz', [reading(0), reading(1)]);
    await put('raw/water/dt=2024-01-01/hour=01/shardId-000000000000-9.ndjson.gz', [
      reading(1),
      reading(2, 'm2', 3),
    ]);
    // Act
    const result = await collect('collect-1');
    // Assess
    expect(result).toMatchObject({ newReadings: 3 });
    const stored = await loadBuckets(emulators.s3);
    expect(
      toHourlySeries(stored?.buckets ?? { format: 'hourly-buckets', version: 1, seen: [], hours: {} }).values,
    ).toEqual([1, 1, 3]);
  });

  it('refuses to overwrite a series another run changed in between, so no merge is lost', async () => {
    // Prepare: another run writes the series between this run's read and its write.
    await put('raw/water/dt=2024-01-01/hour=00/shardId-000000000000-1.ndjson.gz', [reading(0)]);
    await collect('first');
    await put('raw/water/dt=2024-01-01/hour=02/shardId-000000000000-5.ndjson.gz', [reading(2)]);
    const race = beforeCommand(
      series.s3,
      'PutObjectCommand',
      (_, input) => input.Key === waterKeys.hourlyBuckets,
      async () => {
        const current = await loadBuckets(emulators.s3);
        await emulators.s3.send(
          new PutObjectCommand({
            Bucket: emulators.dataBucket,
            Key: waterKeys.hourlyBuckets,
            Body: JSON.stringify({
              ...current?.buckets,
              seen: [...(current?.buckets.seen ?? []), 'm9|2024-01-01T00:00:00.000Z'],
            }),
          }),
        );
      },
    );
    // Act
    const lost = collect('second');
    // Assess
    await expect(lost).rejects.toMatchObject({ name: 'PreconditionFailedError' });
    race.remove();
    // Act again: the state machine's retry re-reads and merges on top of the other run's write.
    const retried = await collect('second-retry');
    // Assess
    expect(retried.newReadings).toBe(1);
    expect((await loadBuckets(emulators.s3))?.buckets.seen).toEqual(
      expect.arrayContaining(['m9|2024-01-01T00:00:00.000Z', 'm1|2024-01-01T02:00:00.000Z']),
    );
  });

  it('init merges into a series that already holds raw readings and keeps every one of them', async () => {
    // Prepare: a retrain merged the raw objects into the series, then archived them (gone from raw/).
    await putInitialAndRaw();
    await collect('retrain-1');
    for (const [key] of rawObjects) await deleteObject(key);
    // Act: init-model runs after it (a restart, or an operator starting it again).
    const result = await init('init-after-retrain');
    // Assess: the union; init reports the readings it added, not the ones already there.
    expect(await storedKeys()).toEqual(keysOf(everyReading));
    expect(result).toMatchObject({ newReadings: initialShare.length, rejected: 0, points: 10 });
    // Run again, it adds nothing and loses nothing.
    expect(await init('init-again')).toMatchObject({ newReadings: 0, points: 10 });
    expect(await storedKeys()).toEqual(keysOf(everyReading));
  });

  it.each([
    ['init, then collect', ['init', 'collect'] as const],
    ['collect, then init', ['collect', 'init'] as const],
  ])('%s: the series holds the union', async (_, order) => {
    // Prepare
    await putInitialAndRaw();
    // Act
    const results = [];
    for (const step of order) results.push(await (step === 'init' ? init('init') : collect('collect')));
    // Assess
    expect(await storedKeys()).toEqual(keysOf(everyReading));
    expect(results.reduce((sum, r) => sum + r.newReadings, 0)).toBe(everyReading.length);
  });

  it.each([
    ['init', 'collect'],
    ['collect', 'init'],
  ] as const)(
    '%s racing %s: the loser of the conditional write retries, and the series holds the union',
    async (loser, winner) => {
      // Prepare: the winner runs to the end between the loser's read and its write.
      await putInitialAndRaw();
      const run = (step: 'init' | 'collect', runId: string) =>
        step === 'init' ? init(runId) : collect(runId);
      const race = beforeCommand(
        series.s3,
        'PutObjectCommand',
        (call, input) => call === 1 && input.Key === waterKeys.hourlyBuckets,
        async () => {
          await run(winner, 'winner');
        },
      );
      // Act
      const lost = run(loser, 'loser');
      // Assess
      await expect(lost).rejects.toMatchObject({ name: 'PreconditionFailedError' });
      race.remove();
      expect(await storedKeys()).toEqual(
        keysOf(loser === 'init' ? rawObjects.flatMap(([, r]) => r) : initialShare),
      );
      // Act again: the state machine's retry re-reads and merges on top of the winner's write.
      const retried = await run(loser, 'loser-retry');
      // Assess
      expect(retried.newReadings).toBe(
        loser === 'init' ? initialShare.length : everyReading.length - initialShare.length,
      );
      expect(await storedKeys()).toEqual(keysOf(everyReading));
    },
  );

  it('refuses an input naming another system, before reading or writing anything', async () => {
    // Prepare
    await put(initialDatasetKey('water'), [reading(0)]);
    // Act
    const wrong = series.handler({
      action: 'init',
      input: { pipeline: 'sensors' },
      execution: { name: 'init-2' },
    });
    // Assess
    await expect(wrong).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('"sensors"'),
    });
    expect(await loadBuckets(emulators.s3)).toBeUndefined();
  });
});
