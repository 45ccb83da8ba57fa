import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { parseChallengeResult } from '../../../core/lifecycle/index.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import {
  defaultSensorGeneratorOptions,
  generateSensorReadings,
} from '../../../systems/sensors/records/generator.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';

/**
 * The sensors handlers against the S3 emulator, step by step as the training state machine calls
 * them: chunks → features → cluster train → the platform's promote step (decide) → predict → report.
 */
let emulators: TestEmulators;
let chunks: typeof import('../../../systems/sensors/handlers/chunks.js');
let features: typeof import('../../../systems/sensors/handlers/features.js');
let cluster: typeof import('../../../systems/sensors/handlers/cluster.js');
let promote: typeof import('../../../lambdas/promote/index.js');
let registry: ModelRegistry;
let metricsDir: string;
const DAYS = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'];

interface TrainResult {
  challenger: { version: string; label: string; metrics: Record<string, number | null> };
  champion?: { version: string; label: string };
  days: string[];
  sensorDays: number;
  candidates: { k: number }[];
  warmStarted: boolean;
}
interface Decision {
  promoted: boolean;
  reason: string;
  championVersion: string | null;
  challengerVersion: string;
}

const step = <T>(
  fn: (event: unknown) => Promise<unknown>,
  action: string,
  runId: string,
  input: unknown = {},
) => fn({ action, input, execution: { name: runId } }) as Promise<T>;

/** What the state machine does after the feature Map: train, then decide on $.train.result. */
async function trainAndDecide(runId: string, input: Record<string, unknown> = {}) {
  const train = await step<TrainResult>(cluster.handler, 'train', runId, input);
  const decision = await step<Decision>(promote.handler, 'decide', runId, {
    ...input,
    train: { result: train },
  });
  return { train, decision };
}

beforeAll(async () => {
  // Prepare (shared): 4 days of 10 sensors in raw/, chunked and featurized by the real handlers.
  emulators = await startTestEmulators({ kinesis: false });
  // CloudWatch embedded metrics go to a file, as in the local runtime, where the test can read them.
  metricsDir = mkdtempSync(path.join(tmpdir(), 'smlp-sensors-metrics-'));
  process.env.METRICS_FILE = path.join(metricsDir, 'metrics.ndjson');
  chunks = await import('../../../systems/sensors/handlers/chunks.js');
  features = await import('../../../systems/sensors/handlers/features.js');
  cluster = await import('../../../systems/sensors/handlers/cluster.js');
  promote = await import('../../../lambdas/promote/index.js');
  registry = new ModelRegistry({
    store: new S3ObjectStore(emulators.s3, emulators.artifactsBucket),
    pipeline: 'sensors',
    model: 'clusters',
  });
  const generation = generateSensorReadings({
    ...defaultSensorGeneratorOptions,
    seed: 3,
    days: 4,
    sensors: 10,
  });
  for (const day of DAYS)
    await emulators.s3.send(
      new PutObjectCommand({
        Bucket: emulators.dataBucket,
        Key: `raw/sensors/dt=${day}/hour=00/shardId-000000000000-${day}.ndjson.gz`,
        Body: encodeNdjsonGzip(
          generation.rows
            .map((row) => row.data)
            .filter((data) => String((data as { timestamp?: unknown }).timestamp).startsWith(day)),
        ),
      }),
    );
  const plan = await step<{ manifestKey: string; arrivalDays: string[] }>(chunks.handler, 'plan', 'prep');
  const results = [];
  for (const arrivalDay of plan.arrivalDays)
    results.push(await step(chunks.handler, 'chunk', 'prep', { manifestKey: plan.manifestKey, arrivalDay }));
  const touched = await step<{ days: string[] }>(chunks.handler, 'days', 'prep', { results });
  for (const day of touched.days) await step(features.handler, 'features', 'prep', { day });
}, 120_000);
afterAll(async () => {
  await emulators?.stop();
  delete process.env.METRICS_FILE;
  rmSync(metricsDir, { recursive: true, force: true });
});

/** The SensorDaysInCluster metric values published so far, summed over clusters. */
function sensorDaysInClusterMetric(): number {
  const file = process.env.METRICS_FILE ?? '';
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { SensorDaysInCluster?: number })
    .reduce((sum, record) => sum + (record.SensorDaysInCluster ?? 0), 0);
}

describe('sensors-cluster handler and the platform promote step against the S3 emulator', () => {
  it('registers a challenger the promote step accepts and promotes for want of a champion, and records the run', async () => {
    // Act
    const { train, decision } = await trainAndDecide('run-first', { kMin: 3, kMax: 5 });
    // Assess: the result is the lifecycle's ChallengeResult plus the sensors extras
    expect(() => parseChallengeResult(train)).not.toThrow();
    expect(train).toMatchObject({ pipeline: 'sensors', model: 'clusters', runId: 'run-first', days: DAYS });
    expect(train.sensorDays).toBe(40);
    expect(train.candidates.map((c) => c.k)).toEqual([3, 4, 5]);
    expect(train.challenger.label).toMatch(/^k=[345]$/);
    expect(decision).toMatchObject({ promoted: true, challengerVersion: train.challenger.version });
    expect(decision.reason).toMatch(/^no champion yet/);
    expect((await registry.champion())?.version).toBe(train.challenger.version);
    // Registered under the system's model key, pinned to the feature files it was trained on.
    const version = await registry.getVersion(train.challenger.version);
    expect(version?.metadata.trainedOn.map((t) => t.key)).toEqual(
      DAYS.map((day) => `features/sensors/dt=${day}/features.parquet`),
    );
    expect(version?.metadata.trainedOn.every((t) => t.etag.length > 0)).toBe(true);
    expect(
      await listKeys(emulators.s3, emulators.artifactsBucket, 'models/sensors/clusters/champion.json'),
    ).toHaveLength(1);
    const recorded = await getJson<TrainResult>(
      emulators.s3,
      emulators.artifactsBucket,
      'runs/sensors/run-first/training.json',
    );
    expect(recorded?.challenger.version).toBe(train.challenger.version);
  });

  it('warm-starts the next challenger from the champion and has both judged on the same sensor-days', async () => {
    // Prepare
    if (!(await registry.champion())) await trainAndDecide('run-setup', { kMin: 3, kMax: 5 });
    const champion = (await registry.champion())?.version;
    // Act
    const { train, decision } = await trainAndDecide('run-next', {
      kMin: 3,
      kMax: 5,
      maxSilhouetteDrop: 0.05,
    });
    // Assess
    expect(train.warmStarted).toBe(true);
    expect(train.champion?.version).toBe(champion);
    expect(decision.reason).toContain('on the same data');
    expect(decision.championVersion).toBe(decision.promoted ? train.challenger.version : champion);
  });

  it('assigns every sensor-day of the chosen days with the champion, and the report carries the decision', async () => {
    // Prepare
    const { decision } = await trainAndDecide('run-report', { kMin: 3, kMax: 5 });
    const champion = (await registry.champion())?.version;
    const publishedBefore = sensorDaysInClusterMetric();
    // Act
    const predicted = await step<{
      modelVersion: string;
      distribution: Record<string, Record<string, number>>;
    }>(cluster.handler, 'predict', 'run-report', { days: DAYS.slice(-2) });
    const drift = await step(cluster.handler, 'drift', 'run-report', { referenceDays: 3 });
    const report = await step<{ reportKey: string }>(cluster.handler, 'report', 'run-report', {
      drift: { result: drift },
      decision: { result: decision },
    });
    // Assess
    expect(predicted.modelVersion).toBe(champion);
    expect(Object.keys(predicted.distribution)).toEqual(DAYS.slice(-2));
    for (const counts of Object.values(predicted.distribution))
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(10);
    expect(sensorDaysInClusterMetric() - publishedBefore).toBe(20);
    const summary = await getJson<{ training: Decision; clusterSizes: Record<string, unknown> }>(
      emulators.s3,
      emulators.artifactsBucket,
      report.reportKey,
    );
    expect(summary?.training.reason).toBe(decision.reason);
    expect(await listKeys(emulators.s3, emulators.artifactsBucket, 'reports/sensors/latest/')).toEqual([
      'reports/sensors/latest/report.json',
      'reports/sensors/latest/report.svg',
    ]);
  });

  it('refuses a window with too few sensor-days for kMax as InputError and registers nothing', async () => {
    // Prepare
    const before = await registry.listVersions();
    // Act
    const attempt = step(cluster.handler, 'train', 'run-small', { windowDays: 1, kMin: 3, kMax: 12 });
    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'InputError',
      message:
        '10 sensor-days in the last 1 feature day(s) are too few to cluster into up to 12 groups: lower kMax, widen windowDays or wait for more data',
    });
    expect(await registry.listVersions()).toEqual(before);
  });
});
