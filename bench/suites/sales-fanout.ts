import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getJson } from '../../adapters/s3-object-store.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { TrainingSummary } from '../../systems/sales/lifecycle/outcomes.js';
import { defaultSalesGeneratorOptions, generateSales } from '../../systems/sales/records/generator.js';
import { salesRecordSpec } from '../../systems/sales/records/record-spec.js';
import type { SalesRecord } from '../../systems/sales/records/types.js';
import { mergeRecords } from '../../systems/sales/store/history.js';
import { salesKeys } from '../../systems/sales/store/keys.js';
import { salesSystem } from '../../systems/sales/system.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median, round, withTempDir } from './support/measure.js';

/**
 * The sales system's fan-out as `npm start` runs it: every store trained by `sales-train`, its
 * Distributed Map run by the local runtime from the same ASL, children in worker threads (one per
 * core). Measured: CPU per store (the handler's own count), wall time and CPU of the whole run,
 * peak memory of the process (the runtime and its workers; the S3 emulator is another process),
 * the same on a sample with the children in one thread (the baseline: no workers), the wall time
 * projected for AWS at the Map's MaxConcurrency, and the forecast service's latency and cold start.
 */
const SUITE = 'sales-fanout';
/** The ASL's MaxConcurrency and ItemBatcher size (systems/sales/state-machines/train.asl.json). */
const MAX_CONCURRENCY = 40;
const STORES_PER_BATCH = 25;
/** A Lambda at 2,048 MB gets about 1.15 vCPU; a batch's CPU then takes no longer than this much wall. */
const LAMBDA_CPU_SHARE = 1;
/** A child's cold start on AWS (module load and the first S3 calls), from the cold-start suite's order of size. */
const LAMBDA_COLD_START_S = 1;

interface ChildEntry {
  StartDate?: string;
  StopDate?: string;
  Input?: string;
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);
};

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
  ctx: BenchContext,
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
  runtime: LocalRuntime;
}> {
  const runtime = await LocalRuntime.start({
    dataDir: dir,
    shardCount: 1,
    systems: [salesSystem],
    distributedMapWorkers: workers,
  });
  ctx.progress(`${label}: generating and storing the history of ${stores} stores`);
  const { records } = generateSales({ ...defaultSalesGeneratorOptions, stores });
  const valid = records.flatMap((row) => {
    const result = salesRecordSpec.validate(row, Date.now());
    return result.ok ? [result.value as SalesRecord] : [];
  });
  await mergeRecords(runtime.s3, runtime.names.dataBucket, valid);
  const unsubscribe = runtime.stateMachines.onMapRunProgress?.((_record, run) =>
    ctx.progress(
      `${label}: ${run.itemCounts.succeeded + run.itemCounts.failed}/${run.itemCounts.total} stores`,
    ),
  );
  ctx.progress(`${label}: sales-train over ${stores} stores, ${workers || 'no'} worker thread(s)`);
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
  return { summary, wallS, cpuS: (cpu.user + cpu.system) / 1e6, peakRssMb, batchWallS, runtime };
}

async function findManifest(runtime: LocalRuntime, runId: string): Promise<string | undefined> {
  const { listObjects } = await import('../../adapters/s3-object-store.js');
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

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'Every store trained by sales-train: the local Distributed Map in worker threads vs in one thread; wall, CPU per store, memory, projected AWS wall; forecast latency and cold start',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const stores = ctx.quick ? 100 : 1115;
    const sample = ctx.quick ? 25 : 100;
    const workers = availableParallelism();
    const load = hostLoad();

    // Baseline: the same fan-out on a sample with every child in the runtime's own thread.
    await withTempDir('smlp-bench-sales-one-', async (dir) => {
      const run = await trainAll(ctx, sample, 0, dir, 'one thread');
      try {
        rows.push(
          fanoutRow(`sales-train, ${sample} stores`, 'children in one thread (no workers)', run, load),
        );
      } finally {
        await run.runtime.stop();
      }
    });
    await withTempDir('smlp-bench-sales-', async (dir) => {
      const run = await trainAll(ctx, stores, workers, dir, 'workers');
      try {
        rows.push(fanoutRow(`sales-train, ${stores} stores`, `ours, ${workers} worker threads`, run, load));
        rows.push(projectionRow(stores, run));
        ctx.progress('forecast service: warm latency and a cold start');
        const warm = await warmLatency(stores, ctx.quick ? 50 : 300);
        const cold = coldStart({ ...process.env });
        rows.push({
          suite: SUITE,
          case: 'GET /forecast?store=&horizon=42',
          impl: 'ours, sales-api handler',
          metrics: {
            requests: warm.length,
            p50Ms: round(quantile(warm, 0.5), 1),
            p99Ms: round(quantile(warm, 0.99), 1),
            coldImportMs: round(cold.importMs, 0),
            coldFirstRequestMs: round(cold.firstMs, 0),
            secondRequestMs: round(cold.secondMs, 1),
          },
          note: `warm: in the bench process against the S3 emulator (champion and history shard read per request); cold: a fresh node process importing the handler from TypeScript through tsx (the bundled module load is in the cold-start suite); ${load}`,
        });
      } finally {
        await run.runtime.stop();
      }
    });
    return rows;
  },
};

function fanoutRow(
  name: string,
  impl: string,
  run: Awaited<ReturnType<typeof trainAll>>,
  load: string,
): BenchRow {
  const cpuMs = run.summary.stores.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  return {
    suite: SUITE,
    case: name,
    impl,
    metrics: {
      promoted: run.summary.promoted,
      failed: run.summary.failed,
      wallSeconds: round(run.wallS, 1),
      processCpuSeconds: round(run.cpuS, 1),
      cpuPerStoreMedianS: round(median(cpuMs) / 1000, 2),
      cpuPerStoreP95S: round(quantile(cpuMs, 0.95) / 1000, 2),
      storesPerWallSecond: round(run.summary.stores.length / run.wallS, 2),
      peakRssMb: round(run.peakRssMb, 0),
    },
    note: `CPU per store: the handler's own count (candidates, backtest folds, final fits, baselines); process CPU and RSS: the runtime with its worker threads (the S3 emulator runs apart); ${load}`,
  };
}

/**
 * AWS runs up to MaxConcurrency children at once, each a Lambda with about one vCPU: a wave of
 * children takes as long as its slowest batch (measured here, where each child had a core) plus a
 * cold start; the steps around the Map (collect, plan, summarize) as measured here.
 */
function projectionRow(stores: number, run: Awaited<ReturnType<typeof trainAll>>): BenchRow {
  const batches = run.batchWallS;
  let mapS = 0;
  for (let i = 0; i < batches.length; i += MAX_CONCURRENCY)
    mapS += Math.max(...batches.slice(i, i + MAX_CONCURRENCY)) / LAMBDA_CPU_SHARE + LAMBDA_COLD_START_S;
  const localMapS = batches.reduce((a, b) => a + b, 0) / Math.max(1, availableParallelism());
  const aroundS = Math.max(0, run.wallS - localMapS);
  return {
    suite: SUITE,
    case: `sales-train, ${stores} stores`,
    impl: `projected on AWS, MaxConcurrency ${MAX_CONCURRENCY}`,
    metrics: {
      batches: batches.length,
      waves: Math.ceil(batches.length / MAX_CONCURRENCY),
      slowestBatchS: round(Math.max(...batches), 1),
      medianBatchS: round(median(batches), 1),
      projectedWallSeconds: round(mapS + aroundS, 0),
    },
    note: `${STORES_PER_BATCH} stores per child; each wave as long as its slowest batch measured locally plus a ${LAMBDA_COLD_START_S} s cold start; the steps around the Map as measured locally (about ${round(aroundS, 0)} s); Lambda at 2,048 MB has about one vCPU, as each worker had here`,
  };
}
