import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { churnSystem } from '../../systems/churn/system.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import type { Stage, StageResult } from './churn-stage.js';
import { growthExponent, growthWord, lambdaFit } from './support/churn-bench.js';
import { hostLoad, round, withTempDir } from './support/measure.js';
import { ensureNannymlPython } from './support/nannyml-python.js';

/**
 * The churn pipeline end to end on generated call-detail records, stage by stage as the handlers
 * split it, each stage in its own process (bench/suites/churn-stage.ts) so its CPU time and peak
 * memory are its own; the same at three population sizes to see how each stage grows; and the
 * largest single invocation of each stage against the Lambda function it runs in. Baseline: the
 * summarize stage in pandas (what the system this replaces ran in PySpark), on the same day files.
 */
const SUITE = 'churn-pipeline';
const DAYS = 90;
const PIPELINE: readonly Exclude<Stage, 'generate'>[] = [
  'collect',
  'summarize',
  'features',
  'train',
  'score',
  'monitor',
];

/** Which function runs each stage, and how the state machines split the stage into invocations. */
const STAGE_FUNCTION: Record<Exclude<Stage, 'generate'>, { fn: string; split: string }> = {
  collect: {
    fn: 'churn-days',
    split:
      'one invocation per arrival day (Map, 4 at a time); the first run reads the initial share (60 % of the days) in one',
  },
  summarize: { fn: 'churn-days', split: 'one invocation per event day (Map, 4 at a time)' },
  features: {
    fn: 'churn-features',
    split: 'one invocation for every new snapshot (capped by maxSnapshots, default 400)',
  },
  train: {
    fn: 'churn-train',
    split: 'one invocation: settled snapshots every 7 days within windowDays (120)',
  },
  score: { fn: 'churn-predict', split: 'one invocation for every unscored snapshot' },
  monitor: { fn: 'churn-monitor', split: 'one invocation over the last lastDays (90) scored days' },
};

function runStage(stage: Stage, dir: string, customers: number): StageResult {
  const script = fileURLToPath(new URL('./churn-stage.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '--stage',
      stage,
      '--dir',
      dir,
      '--customers',
      String(customers),
      '--days',
      String(DAYS),
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`churn stage ${stage} failed: ${child.stderr || child.error}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as StageResult;
}

/**
 * The summarize stage in pandas: each day's gzip NDJSON events → per-customer sums → Parquet bytes
 * (pyarrow), the same input and output as ours. CPU by process_time, peak RSS by getrusage.
 */
const PANDAS_SCRIPT = `
import glob, io, json, os, resource, sys, time
import pandas as pd
d = json.load(sys.stdin)
t0 = time.process_time(); w0 = time.perf_counter(); rows = 0; largest = 0.0
for path in sorted(glob.glob(os.path.join(d['dir'], 'events', '*.ndjson.gz'))):
    c0 = time.process_time()
    ev = pd.read_json(path, lines=True, compression='gzip', dtype=False)
    act = ev[~ev['kind'].isin(['customer', 'churn'])].copy()
    calls = act['kind'] == 'call'
    minutes = act['durationSeconds'].where(calls, 0).astype(float) / 60
    out = pd.DataFrame({'customer_id': act['customerId'], 'calls': calls.astype(int), 'minutes': minutes})
    for t in ['local', 'national', 'international', 'roaming']:
        is_t = calls & (act['callType'] == t)
        out['calls_' + t] = is_t.astype(int); out['minutes_' + t] = minutes.where(is_t, 0)
    out['dropped_calls'] = (calls & (act['dropped'] == True)).astype(int)
    sms = act['kind'] == 'sms'; out['sms'] = sms.astype(int); out['sms_international'] = (sms & (act['international'] == True)).astype(int)
    data = act['kind'] == 'data'; out['data_sessions'] = data.astype(int); out['data_mb'] = act['megabytes'].where(data, 0).astype(float)
    care = act['kind'] == 'care'; out['care_calls'] = care.astype(int); out['care_unresolved'] = (care & (act['resolved'] == False)).astype(int)
    pay = act['kind'] == 'payment'; out['payments'] = pay.astype(int); out['payment_amount'] = act['amount'].where(pay, 0).astype(float)
    late = act['daysLate'].where(pay, 0).fillna(0).astype(int)
    out['late_payments'] = (late > 0).astype(int); out['max_days_late'] = late
    agg = {c: 'sum' for c in out.columns if c not in ('customer_id', 'max_days_late')}; agg['max_days_late'] = 'max'
    summary = out.groupby('customer_id', sort=True).agg(agg).reset_index()
    customers = ev[ev['kind'].isin(['customer', 'churn'])].sort_values(['customerId', 'time'])
    buf = io.BytesIO(); summary.to_parquet(buf, engine='pyarrow'); buf = io.BytesIO(); customers.to_parquet(buf, engine='pyarrow')
    rows += len(summary); largest = max(largest, time.process_time() - c0)
print(json.dumps({'cpuSeconds': time.process_time() - t0, 'wallSeconds': time.perf_counter() - w0, 'customerDays': rows,
  'largestDayCpuSeconds': largest, 'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  'pandas': pd.__version__}))
`;

interface PandasResult {
  cpuSeconds: number;
  wallSeconds: number;
  customerDays: number;
  largestDayCpuSeconds: number;
  peakRssMb: number;
  pandas: string;
}

function runPandas(dir: string): PandasResult | { skipped: string } {
  const python = ensureNannymlPython();
  if ('skipped' in python) return python;
  const child = spawnSync(python.python, ['-I', '-c', PANDAS_SCRIPT], {
    input: JSON.stringify({ dir }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...python.env },
  });
  if (child.status !== 0)
    return {
      skipped: `pandas baseline failed: ${(child.stderr || String(child.error)).trim().split('\n').at(-1)}`,
    };
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as PandasResult;
}

export const suite: BenchSuite = {
  name: SUITE,
  description: `churn pipeline end to end (collect → summarize → features → train → score → monitor) on ${DAYS} days of generated CDRs at three population sizes, one process per stage; pandas summarize as baseline`,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    // 90 days even in --quick: a 30-day feature window before the first snapshot, 30 days of labels
    // after it and three snapshots 7 days apart need 74 days before training has anything to learn.
    const sizes = ctx.quick ? [1_000] : [2_500, 5_000, 10_000];
    const largestSize = sizes.at(-1) as number;
    const rows: BenchRow[] = [];
    const results = new Map<number, Map<Stage, StageResult>>();
    const load = hostLoad();

    for (const customers of sizes) {
      await withTempDir('churn-bench-', async (dir) => {
        const bySize = new Map<Stage, StageResult>();
        results.set(customers, bySize);
        ctx.progress(`${customers} customers × ${DAYS} days: generating CDRs`);
        const generated = runStage('generate', dir, customers);
        bySize.set('generate', generated);
        rows.push({
          suite: SUITE,
          case: `generate @ ${customers.toLocaleString('en-US')} customers`,
          impl: 'generator',
          metrics: {
            events: generated.counts.events as number,
            cpuSeconds: round(generated.cpuSeconds, 2),
            wallSeconds: round(generated.wallSeconds, 2),
            peakRssMb: round(generated.peakRssMb, 0),
          },
          note: `not a pipeline stage: the records the stream would deliver (${generated.counts.customersEver} customers ever, activity ${generated.counts.activity}, dirty rate ${generated.counts.dirtyRate}: broken or re-sent activity records), gzip NDJSON as ingest writes them`,
        });
        for (const stage of PIPELINE) {
          ctx.progress(`${customers} customers: ${stage}`);
          const result = runStage(stage, dir, customers);
          bySize.set(stage, result);
          rows.push({
            suite: SUITE,
            case: `${stage} @ ${customers.toLocaleString('en-US')} customers`,
            impl: 'ours',
            metrics: {
              cpuSeconds: round(result.cpuSeconds, 2),
              wallSeconds: round(result.wallSeconds, 2),
              peakRssMb: round(result.peakRssMb, 0),
              invocations: result.invocations,
              largestCpuSeconds: round(result.largest.cpuSeconds, 2),
            },
            note: `${Object.entries(result.counts)
              .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
              .join(', ')}; largest invocation: ${result.largest.what}`,
          });
        }
        if (customers === largestSize) {
          ctx.progress(`${customers} customers: summarize in pandas (baseline, same day files)`);
          const pandas = runPandas(dir);
          const ours = bySize.get('summarize') as StageResult;
          rows.push(
            'skipped' in pandas
              ? {
                  suite: SUITE,
                  case: `summarize @ ${customers.toLocaleString('en-US')} customers`,
                  impl: 'pandas',
                  metrics: { cpuSeconds: null },
                  note: `skipped: ${pandas.skipped}`,
                }
              : {
                  suite: SUITE,
                  case: `summarize @ ${customers.toLocaleString('en-US')} customers`,
                  impl: 'pandas',
                  metrics: {
                    cpuSeconds: round(pandas.cpuSeconds, 2),
                    wallSeconds: round(pandas.wallSeconds, 2),
                    peakRssMb: round(pandas.peakRssMb, 0),
                    invocations: DAYS,
                    largestCpuSeconds: round(pandas.largestDayCpuSeconds, 2),
                    oursCpuRatio: round(ours.cpuSeconds / pandas.cpuSeconds, 2),
                  },
                  note: `pandas ${pandas.pandas} + pyarrow (from .bench/nannyml-venv), one process for all days: read_json(lines, gzip) → boolean masks → groupby(customer).agg → to_parquet, both tables; ${pandas.customerDays} customer-days (ours ${ours.counts.customerDays}); no validation (ours validates nothing here either: collect did)`,
                },
          );
        }
      });
    }

    // Growth: cost at the largest size over the smallest, as an exponent (1 = linear).
    if (sizes.length > 1) {
      for (const stage of ['generate', ...PIPELINE] as Stage[]) {
        const cpu = sizes.map((size) => ({ size, value: results.get(size)?.get(stage)?.cpuSeconds ?? 0 }));
        const memory = sizes.map((size) => ({
          size,
          value: Math.max(
            0,
            (results.get(size)?.get(stage)?.peakRssMb ?? 0) - (results.get(size)?.get(stage)?.baseRssMb ?? 0),
          ),
        }));
        const cpuExponent = growthExponent(cpu);
        const memoryExponent = growthExponent(memory);
        const ratios = cpu.slice(1).map((point, i) => point.value / (cpu[i]?.value ?? Number.NaN));
        rows.push({
          suite: SUITE,
          case: `growth of ${stage}, ${sizes.map((s) => s.toLocaleString('en-US')).join(' → ')} customers`,
          impl: stage === 'generate' ? 'generator' : 'ours',
          metrics: {
            cpuRatio2x: ratios.map((r) => r.toFixed(2)).join(', '),
            cpuExponent: cpuExponent === null ? null : round(cpuExponent, 2),
            memoryAboveBaseExponent: memoryExponent === null ? null : round(memoryExponent, 2),
          },
          note: `CPU ${growthWord(cpuExponent)}, memory above the loaded modules ${growthWord(memoryExponent)} (cost ∝ customers^exponent; ratios are per doubling)`,
        });
      }
    }

    // The largest single invocation of each stage at the largest size, against its function.
    const largest = results.get(largestSize) as Map<Stage, StageResult>;
    for (const stage of PIPELINE) {
      const result = largest.get(stage) as StageResult;
      const { fn, split } = STAGE_FUNCTION[stage];
      const definition = churnSystem.functions[fn];
      if (!definition) throw new Error(`churn system has no function ${fn}`);
      // A Map stage's process ran every invocation in turn: its peak bounds one invocation's from above.
      const verdict = lambdaFit(
        { wallSeconds: result.largest.cpuSeconds, peakRssMb: result.peakRssMb },
        { memoryMb: definition.memoryMb, timeoutSeconds: definition.timeoutSeconds },
      );
      rows.push({
        suite: SUITE,
        case: `largest ${stage} invocation @ ${largestSize.toLocaleString('en-US')} customers`,
        impl: 'ours',
        metrics: {
          cpuSeconds: round(result.largest.cpuSeconds, 2),
          peakRssMb: round(result.peakRssMb, 0),
          functionMemoryMb: definition.memoryMb,
          expectedLambdaSeconds: round(verdict.expectedSeconds, 1),
          timeoutSeconds: definition.timeoutSeconds,
          fits: verdict.fits ? 'yes' : 'NO',
        },
        note: `${fn}: ${verdict.reason}; ${result.largest.what}; ${split}; expected seconds = CPU seconds ÷ the vCPU share ${definition.memoryMb} MB buys (1 at 1,769 MB)`,
      });
    }
    rows.push({
      suite: SUITE,
      case: 'machine',
      impl: 'ours',
      metrics: {},
      note: `${load} at the start, ${hostLoad()} at the end; wall seconds stretch with the load, CPU seconds much less`,
    });
    return rows;
  },
};
