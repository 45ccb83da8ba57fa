import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { ensureConsoleBuilt } from '../../local/console/build-console.js';
import type { ConsoleServer } from '../../local/console/console-server.js';
import { startLocalConsole } from '../../local/console/start-local-console.js';
import { StreamStats } from '../../local/console/stream-stats.js';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/local-runtime.js';

/**
 * A LocalRuntime on a fresh data directory with the console in front of it, as `npm start`
 * wires them, for the browser tests and the README's screenshots. `wrapHandler` lets a test
 * make a step fail on purpose, `systems` runs only some (see LocalRuntimeOptions).
 */
export interface ConsoleHarness {
  runtime: LocalRuntime;
  console: ConsoleServer;
  dataDir: string;
  /** Stops the console, the runtime and its emulators, and removes the data directory. */
  stop(): Promise<void>;
}

export async function startConsoleHarness(
  options: Pick<LocalRuntimeOptions, 'wrapHandler' | 'systems' | 'clockSpeed'> = {},
): Promise<ConsoleHarness> {
  const assetsDir = await ensureConsoleBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-console-'));
  const stats = new StreamStats();
  let runtime: LocalRuntime | undefined;
  let server: ConsoleServer | undefined;
  const stop = async () => {
    await server?.stop();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    runtime = await LocalRuntime.start({
      dataDir,
      shardCount: 2,
      pollIntervalMs: 50,
      activity: stats.record,
      ...options,
    });
    server = await startLocalConsole({ runtime, stats, assetsDir });
    return { runtime, console: server, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Water's small order: the first model fits in seconds. */
const ORDER = { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 };
/** A generated data set with some malformed records, so quarantine has something to show. */
const SOURCE = { kind: 'generated', seed: 5, days: 24, zones: 1, metersPerZone: 2, malformedRate: 0.01 };

/**
 * Water through the runtime's own state machines: streamed (with quarantined records), a first
 * champion from water-init-model, a retrained challenger the rule keeps out, then promoted by
 * hand through the `promote` state machine. The model then has two versions, a champion with a
 * previous one to roll back to, a history of two promotions, and two reports.
 */
export async function seedWater(runtime: LocalRuntime): Promise<{ first: string; second: string }> {
  const run = async (machine: string, input: unknown) => {
    const execution = await runtime.stateMachines.startExecution(machine, input);
    if (execution.status !== 'SUCCEEDED')
      throw new Error(
        `${machine} ${execution.status}: ${execution.cause ?? JSON.stringify(execution.output)}`,
      );
    return execution.output as Record<string, unknown>;
  };
  const stream = async (untilShare: number) => {
    for (let i = 0; i < 30; i++) {
      const output = (await run('water-stream', {
        source: SOURCE,
        initialShare: 0.4,
        batchSize: 100,
        numBatches: 1,
      })) as {
        cursor: { offset: number; total: number };
        noNewData: boolean;
      };
      if (output.noNewData || output.cursor.offset >= output.cursor.total * untilShare) break;
    }
    await runtime.eventSource.waitUntilIdle(60_000);
  };
  await stream(0.5);
  await run('water-init-model', { order: ORDER, holdoutHours: 24 });
  await stream(0.6);
  // A margin no challenger meets: registered, not promoted.
  await run('water-retrain', { order: ORDER, holdoutHours: 24, rule: { minRelativeImprovement: 0.99 } });
  const registry = new ModelRegistry({
    store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
    pipeline: 'water',
    model: 'forecast',
  });
  const [first, second] = await registry.listVersions();
  if (!first || !second) throw new Error('water should have two versions after init-model and retrain');
  await run('promote', { pipeline: 'water', version: second, reason: 'validated by the analysts' });
  return { first, second };
}

/** The sensors' whole generated data set streamed, then one training run: a first champion and a report. */
export async function seedSensors(runtime: LocalRuntime): Promise<void> {
  const source = { seed: 3, days: 8, sensors: 10 };
  for (let i = 0; i < 20; i++) {
    const run = await runtime.stateMachines.startExecution('sensors-stream', {
      pipeline: 'sensors',
      source,
      initialShare: 0,
      batchSize: 2000,
      numBatches: 3,
    });
    if (run.status !== 'SUCCEEDED') throw new Error(`sensors-stream ${run.status}: ${run.cause}`);
    if ((run.output as { exhausted: boolean }).exhausted) break;
  }
  await runtime.eventSource.waitUntilIdle(60_000);
  const training = await runtime.stateMachines.startExecution('sensors-training', {
    kMin: 3,
    kMax: 5,
    windowDays: 30,
  });
  if (training.status !== 'SUCCEEDED')
    throw new Error(`sensors-training ${training.status}: ${training.cause}`);
}
