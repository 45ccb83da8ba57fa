import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TrainingSummary } from '../../systems/sales/lifecycle/outcomes.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, round } from './support/measure.js';

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

/** What one run (bench/suites/sales-fanout-run.ts, its own process) measured. */
interface RunFigures {
  summary: TrainingSummary;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  batchWallS: number[];
  mapWallS: number;
  latency: number[];
  cold: { importMs: number; firstMs: number; secondMs: number } | null;
}

function measuredRun(ctx: BenchContext, stores: number, workers: number, latencyRequests = 0): RunFigures {
  const script = fileURLToPath(new URL('./sales-fanout-run.ts', import.meta.url));
  const args = ['--import', 'tsx', script, '--stores', String(stores), '--workers', String(workers)];
  if (latencyRequests > 0) args.push('--latency', String(latencyRequests));
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 3_600_000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.status !== 0) throw new Error(`sales-train run (${stores} stores, ${workers} workers) failed`);
  ctx.progress(`${stores} stores, ${workers || 'no'} workers: measured`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as RunFigures;
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);
};

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
    const oneThread = measuredRun(ctx, sample, 0);
    rows.push(
      fanoutRow(`sales-train, ${sample} stores`, 'children in one thread (no workers)', oneThread, load),
    );
    const sampleWorkers = measuredRun(ctx, sample, workers);
    rows.push(
      fanoutRow(`sales-train, ${sample} stores`, `ours, ${workers} worker threads`, sampleWorkers, load),
    );
    const all = measuredRun(ctx, stores, workers, ctx.quick ? 50 : 300);
    rows.push(fanoutRow(`sales-train, ${stores} stores`, `ours, ${workers} worker threads`, all, load));
    rows.push(projectionRow(stores, all, oneThread));
    rows.push({
      suite: SUITE,
      case: 'GET /forecast?store=&horizon=42',
      impl: 'ours, sales-api handler',
      metrics: {
        requests: all.latency.length,
        p50Ms: round(quantile(all.latency, 0.5), 1),
        p99Ms: round(quantile(all.latency, 0.99), 1),
        coldImportMs: all.cold ? round(all.cold.importMs, 0) : null,
        coldFirstRequestMs: all.cold ? round(all.cold.firstMs, 0) : null,
        secondRequestMs: all.cold ? round(all.cold.secondMs, 1) : null,
      },
      note: `warm: in one process against the S3 emulator (each request reads the champion and the store's history shard); cold: a fresh node process importing the handler's TypeScript through tsx (the bundled module's load is in the cold-start suite); ${load}`,
    });
    return rows;
  },
};

function fanoutRow(name: string, impl: string, run: RunFigures, load: string): BenchRow {
  const stores = run.summary.stores.length;
  return {
    suite: SUITE,
    case: name,
    impl,
    metrics: {
      promoted: run.summary.promoted,
      failed: run.summary.failed,
      wallSeconds: round(run.wallS, 1),
      mapWallSeconds: round(run.mapWallS, 1),
      processCpuSeconds: round(run.cpuS, 1),
      cpuPerStoreAllInS: round(run.cpuS / stores, 2),
      storesPerWallSecond: round(stores / run.mapWallS, 2),
      peakRssMb: round(run.peakRssMb, 0),
    },
    note: `${run.summary.failed > 0 ? `FAILED: ${run.summary.failedStores[0]?.reason}; ` : ''}CPU per store all-in: the process's CPU over the run ÷ stores (the job, the registry writes, the SDK; the per-store job alone, median and p95, is in sales-models: children share a thread at their S3 waits, so a per-store count here would include its neighbours'); process CPU and RSS: the runtime with its worker threads (the S3 emulator runs apart); ${load}`,
  };
}

/**
 * AWS runs up to MaxConcurrency children at once, each a Lambda with about one vCPU doing its 25
 * stores one after another: a child takes 25 × a store's all-in time (its CPU and its registry
 * writes, measured in one thread here), a wave as long as a child plus a cold start. The steps
 * around the Map (collect, plan, summarize) as measured here.
 */
function projectionRow(stores: number, all: RunFigures, oneThread: RunFigures): BenchRow {
  const perStoreS = oneThread.cpuS / oneThread.summary.stores.length;
  const batches = Math.ceil(stores / STORES_PER_BATCH);
  const waves = Math.ceil(batches / MAX_CONCURRENCY);
  const childS = (perStoreS * STORES_PER_BATCH) / LAMBDA_CPU_SHARE + LAMBDA_COLD_START_S;
  const aroundS = Math.max(0, all.wallS - all.mapWallS);
  return {
    suite: SUITE,
    case: `sales-train, ${stores} stores`,
    impl: `projected on AWS, MaxConcurrency ${MAX_CONCURRENCY}`,
    metrics: {
      batches,
      waves,
      childSeconds: round(childS, 1),
      mapWallSeconds: round(waves * childS, 0),
      projectedWallSeconds: round(waves * childS + aroundS, 0),
    },
    note: `${STORES_PER_BATCH} stores per child at ${round(perStoreS, 2)} CPU s each all-in (the one-thread run), plus a ${LAMBDA_COLD_START_S} s cold start; the steps around the Map as measured locally (${round(aroundS, 0)} s); a 2,048 MB Lambda has about one vCPU`,
  };
}
