import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { trainKMeansModel } from '../../core/ml/kmeans/index.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { LocalRuntime } from '../../local/local-runtime.js';

/**
 * Rollback is the platform's, not the forecasting system's: a clustering model is rolled back
 * by the rollback state machine and by the CLI, and the clustering service then answers with
 * the model rolled back to.
 */
let runtime: LocalRuntime;
let dataDir: string;
let versions: string[];

/** Two clusterings of the same two features: k=2, then k=3 (promoted in that order). */
function clusterings() {
  const points = Array.from({ length: 60 }, (_, i) => [i % 3 === 0 ? 0 : 10 * (i % 3), (i % 7) / 10]);
  return [2, 3].map((k) => trainKMeansModel(points, { featureNames: ['level', 'noise'], k, seed: 1 }).model);
}

async function clusterServiceVersion(): Promise<string> {
  const url = runtime.functionUrls['sensors-endpoint'];
  const response = await fetch(url as string, {
    method: 'POST',
    body: JSON.stringify({ features: { level: 10, noise: 0.3 } }),
  });
  return ((await response.json()) as { modelVersion: string }).modelVersion;
}

/** `smlp` as a user runs it, against the local emulator. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['cli/bin.mjs', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ARTIFACTS_BUCKET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-rollback-'));
  runtime = await LocalRuntime.start({ dataDir, shardCount: 1 });
  const registry = new ModelRegistry({
    store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
    pipeline: 'sensors',
    model: 'clusters',
  });
  versions = [];
  for (const [i, model] of clusterings().entries()) {
    const registered = await registry.register({
      artifact: model.toJSON(),
      parameters: { k: model.k },
      metrics: { inertia: model.inertia },
      trainedOn: [],
      codeVersion: 'test',
    });
    await registry.promote(registered.version, { reason: `clustering ${i + 1}` });
    versions.push(registered.version);
  }
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rolling back a clustering model', () => {
  it('works from the rollback state machine, and the clustering service serves the previous model', async () => {
    // Prepare
    expect(await clusterServiceVersion()).toBe(versions[1]);

    // Act
    const execution = await runtime.stateMachines.startExecution('rollback', {
      pipeline: 'sensors',
      reason: 'clusters drifted after the last promotion',
    });

    // Assess
    expect(execution).toMatchObject({
      status: 'SUCCEEDED',
      output: { pipeline: 'sensors', model: 'clusters', from: versions[1], championVersion: versions[0] },
    });
    expect(await clusterServiceVersion()).toBe(versions[0]);
  });

  it('works from the CLI, back to a named former champion, with the reason in the history', async () => {
    // Prepare
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 as string;
    const flags = ['--local', '--endpoint', endpoint, '--pipeline', 'sensors'];

    // Act
    const rollback = await cli([
      'rollback',
      ...flags,
      '--to',
      versions[1] as string,
      '--reason',
      'k=3 was right',
    ]);
    const history = await cli(['history', ...flags, '--json']);

    // Assess
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`the champion is now ${versions[1]}`);
    expect(await clusterServiceVersion()).toBe(versions[1]);
    const entries = JSON.parse(history.stdout) as { version: string; action: string; reason: string }[];
    expect(entries.map((e) => [e.action, e.version, e.reason])).toEqual([
      ['promote', versions[0], 'clustering 1'],
      ['promote', versions[1], 'clustering 2'],
      ['rollback', versions[0], 'clusters drifted after the last promotion'],
      ['rollback', versions[1], 'k=3 was right'],
    ]);
  });

  it('refuses a system that does not exist, naming the ones that do', async () => {
    // Act
    const execution = await runtime.stateMachines.startExecution('rollback', { pipeline: 'sewage' });

    // Assess
    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(execution.cause).toContain(
      'pipeline must name a system ("water", "sensors", "online", "churn", "sales"), got "sewage"',
    );
  });
});
