/**
 * One measured sales-train run for the sales-fanout suite, in its own process (a second runtime in
 * one process would find the handlers' module-scope clients pointing at the first one's emulators,
 * and each run's memory is its own): `--stores N --workers W [--latency REQUESTS]`. Prints one JSON
 * line with the training summary's figures, wall and CPU, peak RSS, each child's wall time, and
 * (with --latency) the forecast service's warm latency and one cold start.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getJson, listObjects } from '../../adapters/s3-object-store.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { TrainingSummary } from '../../systems/sales/lifecycle/outcomes.js';
import { defaultSalesGeneratorOptions, generateSales } from '../../systems/sales/records/generator.js';
import { salesRecordSpec } from '../../systems/sales/records/record-spec.js';
import type { SalesRecord } from '../../systems/sales/records/types.js';
import { mergeRecords } from '../../systems/sales/store/history.js';
import { salesKeys } from '../../systems/sales/store/keys.js';
import { salesSystem } from '../../systems/sales/system.js';
import { withTempDir } from './support/measure.js';

interface ChildEntry {
  StartDate?: string;
  StopDate?: string;
  Input?: string;
}

/** Samples the process's RSS (the runtime and its worker threads) until stopped. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

async function trainAll(
  progress: (message: string) => void,
  stores: number,
  workers: number,
  dir: string,
  label: string,
): Promise<{
  summary: TrainingSummary;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  batchWallS: number[];
  /** The Distributed Map's own wall time (its map run, start to stop). */
  mapWallS: number;
  runtime: LocalRuntime;
}> {
  const runtime = await LocalRuntime.start({
    dataDir: dir,
    shardCount: 1,
    systems: [salesSystem],
    distributedMapWorkers: workers,
  });
  progress(`${label}: generating and storing the history of ${stores} stores`);
  const { records } = generateSales({ ...defaultSalesGeneratorOptions, stores });
  const valid = records.flatMap((row) => {
    const result = salesRecordSpec.validate(row, Date.now());
    return result.ok ? [result.value as SalesRecord] : [];
  });
  await mergeRecords(runtime.s3, runtime.names.dataBucket, valid);
  const unsubscribe = runtime.stateMachines.onMapRunProgress?.((_record, run) =>
    progress(`${label}: ${run.itemCounts.succeeded + run.itemCounts.failed}/${run.itemCounts.total} stores`),
  );
  progress(`${label}: sales-train over ${stores} stores, ${workers || 'no'} worker thread(s)`);
  const sampler = rssSampler();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const execution = await runtime.stateMachines.startExecution('sales-train', {});
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = sampler.stop() / 2 ** 20;
  unsubscribe?.();
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`sales-train ${execution.status}: ${execution.cause}`);
  const summary = (await getJson<TrainingSummary>(
    runtime.s3,
    runtime.names.artifactsBucket,
    salesKeys.training(execution.executionName),
  )) as TrainingSummary;
  const manifest = await getJson<{ ResultFiles?: { SUCCEEDED?: { Key: string }[] } }>(
    runtime.s3,
    runtime.names.artifactsBucket,
    ((execution.output as { map?: { ResultWriterDetails?: { Key?: string } } })?.map?.ResultWriterDetails
      ?.Key ?? (await findManifest(runtime, execution.executionName))) as string,
  );
  const batchWallS: number[] = [];
  for (const file of manifest?.ResultFiles?.SUCCEEDED ?? []) {
    for (const child of (await getJson<ChildEntry[]>(runtime.s3, runtime.names.artifactsBucket, file.Key)) ??
      [])
      if (child.StartDate && child.StopDate)
        batchWallS.push((Date.parse(child.StopDate) - Date.parse(child.StartDate)) / 1000);
  }
  const mapRun = execution.mapRuns?.[0];
  const mapWallS =
    mapRun?.stopDate !== undefined
      ? (Date.parse(mapRun.stopDate) - Date.parse(mapRun.startDate)) / 1000
      : wallS;
  return { summary, wallS, cpuS: (cpu.user + cpu.system) / 1e6, peakRssMb, batchWallS, mapWallS, runtime };
}

async function findManifest(runtime: LocalRuntime, runId: string): Promise<string | undefined> {
  const objects = await listObjects(
    runtime.s3,
    runtime.names.artifactsBucket,
    salesKeys.mapResultsPrefix(runId),
  );
  return objects.find((o) => o.key.endsWith('manifest.json'))?.key;
}

/** Forecast latency in this process (warm), over random stores. */
async function warmLatency(stores: number, requests: number): Promise<number[]> {
  const { handler } = await import('../../systems/sales/handlers/api.js');
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const store = 1 + ((i * 7919) % stores);
    const started = performance.now();
    const response = await handler({
      rawPath: '/forecast',
      queryStringParameters: { store: String(store), horizon: '42' },
      requestContext: { http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2);
    latencies.push(performance.now() - started);
    if (response.statusCode !== 200)
      throw new Error(`forecast of store ${store}: ${response.statusCode} ${response.body}`);
  }
  return latencies;
}

/** A fresh process: import of the API handler (through tsx) and its first and second request. */
function coldStart(env: NodeJS.ProcessEnv): { importMs: number; firstMs: number; secondMs: number } {
  const script = fileURLToPath(new URL('./sales-forecast-cold.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`cold start probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
}

const { values } = parseArgs({
  options: { stores: { type: 'string' }, workers: { type: 'string' }, latency: { type: 'string' } },
});
const progress = (message: string) => process.stderr.write(`  … ${message}\n`);
// The handlers' logs would drown the progress lines.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
await withTempDir('smlp-bench-sales-', async (dir) => {
  const workers = Number(values.workers);
  const run = await trainAll(
    progress,
    Number(values.stores),
    workers,
    dir,
    workers ? `${workers} workers` : 'one thread',
  );
  try {
    const requests = Number(values.latency ?? 0);
    const latency = requests > 0 ? await warmLatency(Number(values.stores), requests) : [];
    const cold = requests > 0 ? coldStart({ ...process.env }) : null;
    const { runtime: _runtime, ...figures } = run;
    for (const failed of run.summary.failedStores.slice(0, 3))
      progress(`store ${failed.store} failed: ${failed.reason}`);
    process.stdout.write(`${JSON.stringify({ ...figures, latency, cold })}\n`);
  } finally {
    await run.runtime.stop();
  }
});
