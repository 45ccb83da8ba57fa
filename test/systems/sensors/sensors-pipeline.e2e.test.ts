import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBytes, getJson, S3ObjectStore } from '../../../adapters/s3-object-store.js';
import type { FeatureRow } from '../../../core/features/columns.js';
import { readParquet } from '../../../core/features/parquet-read.js';
import { adjustedRandIndex } from '../../../core/ml/kmeans/index.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { decodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { listKeys } from '../../../local/inspect-data.js';
import { LocalRuntime } from '../../../local/local-runtime.js';
import { CLUSTER_FEATURES } from '../../../systems/sensors/model/cluster-features.js';
import {
  defaultSensorGeneratorOptions,
  generateSensorReadings,
  sensorDayKey,
} from '../../../systems/sensors/records/generator.js';

/**
 * The sensor clustering system on the local runtime, built from the same producer, ingest,
 * registry and archive as the water pipeline: stream → chunk → features (Parquet) → k-means →
 * assignments, drift, report, and the clustering endpoint.
 */
let runtime: LocalRuntime;
let dataDir: string;
const source = { seed: 3, days: 8, sensors: 10 };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-sensors-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 2, pollIntervalMs: 50 });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sensor clustering, end to end on the local runtime', () => {
  it('streams sensor readings through the shared producer and ingest, then trains, assigns and reports', async () => {
    // Prepare: every reading streamed (no initial share needed for clustering).
    for (let i = 0; i < 20; i++) {
      const run = await runtime.stateMachines.startExecution('sensors-stream', {
        pipeline: 'sensors',
        source,
        initialShare: 0,
        batchSize: 2000,
        numBatches: 3,
      });
      expect(run.status, run.cause).toBe('SUCCEEDED');
      if ((run.output as { exhausted: boolean }).exhausted) break;
    }
    await runtime.eventSource.waitUntilIdle(60_000);

    // Act
    const training = await runtime.stateMachines.startExecution('sensors-training', {
      kMin: 3,
      kMax: 5,
      windowDays: 30,
    });
    const inference = await runtime.stateMachines.startExecution('sensors-inference', { lastDays: 8 });

    // Assess: training ran over every day, promoted the first model and archived what it used.
    expect(training.status, training.cause).toBe('SUCCEEDED');
    const trained = training.output as { days: string[]; promoted: boolean; reason: string };
    expect(trained.days).toHaveLength(8);
    expect(trained.promoted).toBe(true);
    expect(trained.reason).toMatch(/^no champion yet/);
    expect(await listKeys(runtime.s3, runtime.names.dataBucket, 'raw/sensors/')).toEqual([]);
    // One Parquet file per day, one row per sensor.
    const features = await getBytes(
      runtime.s3,
      runtime.names.dataBucket,
      `features/sensors/dt=${trained.days[2]}/features.parquet`,
    );
    const featureTable = await readParquet(features ?? new Uint8Array());
    expect(featureTable.numRows).toBe(10);
    // The shared promote step decided, and recorded why, under the run's id.
    const decision = await getJson<{ promoted: boolean; reason: string }>(
      runtime.s3,
      runtime.names.artifactsBucket,
      `runs/sensors/${training.executionName}/decision.json`,
    );
    expect(decision).toMatchObject({ promoted: true, reason: trained.reason });

    // Assess: every sensor-day assigned; the clusters recover the generated behaviours.
    expect(inference.status, inference.cause).toBe('SUCCEEDED');
    const truth = generateSensorReadings({
      ...defaultSensorGeneratorOptions,
      ...source,
    }).truth;
    const assigned: { sensorId: string; day: string; cluster: number }[] = [];
    for (const day of trained.days) {
      const bytes = await getBytes(
        runtime.s3,
        runtime.names.dataBucket,
        `predictions/sensors/dt=${day}/assignments.ndjson.gz`,
      );
      assigned.push(
        ...decodeNdjsonGzip<{ sensorId: string; day: string; cluster: number }>(bytes ?? new Uint8Array()),
      );
    }
    expect(assigned).toHaveLength(80);
    const behaviours = assigned.map(
      (a) => truth.get(sensorDayKey(a.sensorId, `${a.day}T12:00:00Z`)) ?? 'unknown',
    );
    const ari = adjustedRandIndex(
      assigned.map((a) => a.cluster),
      behaviours,
    );
    expect(ari).toBeGreaterThan(0.75);

    // Assess: report and the clustering endpoint.
    expect(await listKeys(runtime.s3, runtime.names.artifactsBucket, 'reports/sensors/latest/')).toHaveLength(
      2,
    );
    const endpoint = runtime.functionUrls['sensors-endpoint'];
    const response = await fetch(`${endpoint}?sensorId=sensor-001&day=${trained.days[2]}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cluster: number; distance: number; modelVersion: string };
    // A feature row of one's own (here the stored one) gets the same answer by POST.
    const row = (featureTable.rows as FeatureRow[]).find((r) => r.key === 'sensor-001');
    const own = Object.fromEntries(CLUSTER_FEATURES.map((name) => [name, row?.[name]]));
    const posted = await fetch(endpoint ?? '', { method: 'POST', body: JSON.stringify({ features: own }) });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual(body);
    const registry = new ModelRegistry({
      store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
      pipeline: 'sensors',
      model: 'clusters',
    });
    expect(body.modelVersion).toBe((await registry.champion())?.version);
    expect(body.distance).toBeGreaterThanOrEqual(0);
  }, 240_000);
});
