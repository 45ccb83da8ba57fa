import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reasonKind } from '../../core/pipelines/validation-helpers.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { rawPipelinePrefix } from '../../core/streaming/keys.js';
import { S3ObjectStore } from '../../lambdas/commons/s3-object-store.js';
import { getBytes } from '../../lambdas/commons/s3-objects.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { listKeys, readNdjsonUnder } from '../inspect-data.js';
import type { EventSourceActivity } from '../kinesis-event-source.js';
import { LocalRuntime } from '../local-runtime.js';
import type { ExecutionRecord } from '../state-machine-runner.js';

/**
 * `npm run demo [-- --json] [--data-dir DIR] [--days N]`: one full cycle from an empty state —
 * generate, stream, ingest, train the initial model, retrain twice (champion vs challenger),
 * archive what each retrain used — then a summary, and exit.
 */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    days: { type: 'string', default: '60' },
    verbose: { type: 'boolean', default: false },
  },
});
// Handler logs (structured JSON) only on request: the demo prints its own progress.
if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 3660) {
  console.error(`--days must be a whole number from 1 to 3660, got "${values.days}"`);
  process.exit(2);
}
const dataDir = path.resolve(
  values['data-dir'] ??
    path.join(REPO_ROOT, '.local', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
mkdirSync(dataDir, { recursive: true });

// Progress goes to stderr so `--json` leaves exactly one line on stdout.
const say = (line: string) => process.stderr.write(`${line}\n`);
let ingested = 0;
const activity = (a: EventSourceActivity) => {
  if (a.type === 'batch') ingested += a.records - a.failedRecords;
  if (a.type === 'error') say(`  ! ingest error on ${a.shardId}: ${a.message}`);
  if (a.type === 'on-failure')
    say(
      `  ! ${a.message.KinesisBatchInfo.batchSize} records sent to the on-failure destination (${a.message.requestContext.condition})`,
    );
};

say(`▶ Starting the local system (data in ${dataDir})`);
const runtime = await LocalRuntime.start({ dataDir, activity });
let exitCode = 0;
try {
  const { dataBucket } = runtime.names;
  const executions: ExecutionRecord[] = [];
  const source = { kind: 'generated', days };
  const run = async (machine: string, input: unknown) => {
    const record = await runtime.stateMachines.startExecution(machine, input);
    executions.push(record);
    if (record.status !== 'SUCCEEDED')
      throw new Error(
        `${machine} execution ${record.executionName} ${record.status}: ${record.error} ${record.cause ?? ''}`,
      );
    return record.output as Record<string, unknown>;
  };

  const streamUntil = async (stopAtShare: number) => {
    for (;;) {
      const output = await run('stream', { pipeline: 'water', source, batchSize: 500, numBatches: 2 });
      produced += Number(output.produced ?? 0);
      producerQuarantined += Number(output.quarantined ?? 0);
      const cursor = output.cursor as { offset: number; total: number };
      say(
        `  stream: ${produced} records sent (${cursor.offset}/${cursor.total}), ${ingested} ingested so far`,
      );
      if (output.noNewData || output.exhausted || cursor.offset >= cursor.total * stopAtShare) break;
    }
    say('  waiting for ingest to drain the stream');
    await runtime.eventSource.waitUntilIdle();
  };
  // The initial model has a fixed small order; retrains search a few orders by AIC within a
  // short budget (on AWS the default search may take minutes).
  const training = {
    'init-model': {
      pipeline: 'water',
      order: { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 },
      holdoutHours: 48,
    },
    retrain: {
      pipeline: 'water',
      search: { maxP: 2, maxQ: 1, maxSeasonalP: 1, maxSeasonalQ: 1, budgetSeconds: 20 },
      holdoutHours: 48,
    },
  };
  const decisions: { stateMachine: string; runId: unknown; promoted: unknown; reason: unknown }[] = [];
  const models: unknown[] = [];
  const train = async (machine: 'init-model' | 'retrain') => {
    say(
      machine === 'init-model'
        ? '▶ init-model: SARIMAX (1,0,1)(1,1,1)24 on the initial 20%'
        : '▶ retrain: new data merged, challenger searched by AIC, champion refitted on the same window',
    );
    const output = await run(machine, training[machine]);
    const decision = output.decision as Record<string, unknown>;
    decisions.push({
      stateMachine: machine,
      runId: output.runId,
      promoted: decision.promoted,
      reason: decision.reason,
    });
    models.push(output.challenger);
    say(`  ${decision.promoted ? 'promoted' : 'kept champion'}: ${decision.reason}`);
  };

  /** The sensor clustering system: the same producer and ingest, its own training and inference. */
  const sensorsCycle = async () => {
    say('▶ Sensors: streaming 8 days of 10 sensors (every 10 minutes) through the same producer and ingest');
    const sensorSource = { seed: 3, days: 8, sensors: 10 };
    let sent = 0;
    for (;;) {
      const output = await run('sensors-stream', {
        pipeline: 'sensors',
        source: sensorSource,
        initialShare: 0,
        batchSize: 2000,
        numBatches: 3,
      });
      sent += Number(output.produced ?? 0);
      if (output.exhausted || output.noNewData) break;
    }
    await runtime.eventSource.waitUntilIdle();
    const landed = (await readNdjsonUnder(runtime.s3, dataBucket, 'raw/sensors/')).length;
    const rejected = (await readNdjsonUnder(runtime.s3, dataBucket, 'quarantine/sensors/')).length;
    say(`  ${sent} readings sent, ${landed} in raw/, ${rejected} quarantined`);
    say(
      '▶ sensors-training: day × sensor chunks → features (Parquet) → k-means (k by silhouette) → promote or keep',
    );
    const training = await run('sensors-training', { kMin: 3, kMax: 5 });
    say(`  ${training.promoted ? 'promoted' : 'kept champion'}: ${training.reason}`);
    say('▶ sensors-inference: every sensor-day assigned to a cluster; drift against the previous days');
    const inference = await run('sensors-inference', { lastDays: 8 });
    const sizes: Record<string, number> = {};
    for (const day of Object.values(inference.distribution as Record<string, Record<string, number>>)) {
      for (const [cluster, count] of Object.entries(day)) sizes[cluster] = (sizes[cluster] ?? 0) + count;
    }
    return {
      produced: sent,
      landedInRaw: landed,
      quarantined: rejected,
      days: training.days,
      decision: { promoted: training.promoted, reason: training.reason },
      championVersion: inference.modelVersion,
      clusterSizes: sizes,
      featureFiles: (await listKeys(runtime.s3, dataBucket, 'features/sensors/')).length,
    };
  };

  let produced = 0;
  let producerQuarantined = 0;
  say(`▶ Streaming ${days} days of generated water readings (20% kept for initial training)`);
  await streamUntil(0.5);
  // The raw data is archived by each retrain, so count it as it lands, before training moves it.
  const countLanded = async () => ({
    raw: (await readNdjsonUnder(runtime.s3, dataBucket, rawPipelinePrefix('water'))).length,
    quarantine: await readNdjsonUnder<{ reason: string }>(runtime.s3, dataBucket, 'quarantine/water/'),
  });
  let landedInRaw = (await countLanded()).raw;
  await train('init-model');
  await train('retrain');
  say('▶ Streaming the rest of the data set');
  await streamUntil(1);
  landedInRaw += (await countLanded()).raw;
  // One more run shows the end-of-data path of the state machine.
  await run('stream', { pipeline: 'water', source });
  await train('retrain');

  const { quarantine } = await countLanded();
  const byReason: Record<string, number> = {};
  for (const { row } of quarantine)
    byReason[reasonKind(row.reason)] = (byReason[reasonKind(row.reason)] ?? 0) + 1;
  const archivedObjects = (await listKeys(runtime.s3, dataBucket, 'archive/water/')).length;
  const rawLeft = (await listKeys(runtime.s3, dataBucket, 'raw/water/')).length;
  const registry = new ModelRegistry({
    store: new S3ObjectStore(runtime.s3, runtime.names.artifactsBucket),
    pipeline: 'water',
  });
  const champion = await registry.loadChampion();

  const sensors = await sensorsCycle();

  const summary = {
    dataDir,
    produced,
    producerQuarantined,
    landedInRaw,
    quarantined: { total: quarantine.length, byReason },
    accountedFor: landedInRaw + quarantine.length === produced + producerQuarantined ? 'all' : 'MISMATCH',
    archived: { objects: archivedObjects, rawObjectsLeft: rawLeft },
    onFailureMessages: runtime.onFailure.length,
    models,
    decisions,
    champion: champion
      ? {
          version: champion.pointer.version,
          reason: champion.pointer.reason,
          metrics: champion.model.metadata.metrics,
        }
      : null,
    sensors,
    reports: (await listKeys(runtime.s3, runtime.names.artifactsBucket, 'reports/')).filter((k) =>
      k.endsWith('.svg'),
    ),
    executions: executions.map((e) => ({
      stateMachine: e.stateMachine,
      name: e.executionName,
      status: e.status,
    })),
  };
  if (summary.accountedFor !== 'all') exitCode = 1;
  say(
    `✔ Done: ${produced} produced → ${landedInRaw} raw + ${quarantine.length} quarantined; ${archivedObjects} objects archived; ${executions.length} executions`,
  );
  for (const [reason, count] of Object.entries(byReason))
    say(`    quarantined ${String(count).padStart(4)} × ${reason}`);
  if (champion) say(`  champion ${champion.pointer.version}: ${champion.pointer.reason}`);
  // A plain copy of the latest report picture, to open in a browser.
  const svg = await getBytes(runtime.s3, runtime.names.artifactsBucket, 'reports/water/latest/report.svg');
  if (svg) {
    writeFileSync(path.join(dataDir, 'latest-report.svg'), svg);
    say(`  report: ${path.join(dataDir, 'latest-report.svg')}`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
} catch (error) {
  say(`✘ ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await runtime.stop();
}
process.exit(exitCode);
