import { gaussian, seededRandom } from '../../core/data/seeded-random.js';
import { featureRows } from '../../core/features/chunk-features.js';
import { groupIntoChunks } from '../../core/features/chunks.js';
import { type FeatureRow, featureColumns } from '../../core/features/columns.js';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import { type KeyedReading, keyedReadingFrom } from '../../core/features/reading.js';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { pythonHas, runPythonJson } from '../python.js';
import type { BenchContext, BenchRow, BenchSuite } from '../types.js';
import { hostLoad, median, round } from './support/measure.js';

/**
 * The clustering pipeline's CPU path on synthetic sensor readings: chunking (UTC day × sensor,
 * dedupe, sort) and the per-chunk features, in readings/s on one thread; beside it pandas doing
 * the same aggregation, and the feature table written as Parquet against gzipped NDJSON.
 */
const SUITE = 'features';
const CHANNELS = ['temperature', 'vibration', 'pressure'];
const INTERVAL_MS = 600_000;
const START_MS = Date.UTC(2024, 2, 4);

interface RawReading {
  sensorId: string;
  timestamp: string;
  temperature: number | null;
  vibration: number | null;
  pressure: number | null;
}

/** Every 10 minutes per sensor; 2 % of readings lost, 1 % of values null, 0.5 % sent twice. */
function generateReadings(sensors: number, days: number): RawReading[] {
  const random = seededRandom(11);
  const out: RawReading[] = [];
  const value = (v: number) => (random() < 0.01 ? null : Math.round(v * 1000) / 1000);
  for (let s = 0; s < sensors; s++) {
    const base = 15 + 10 * random();
    for (let i = 0; i < (days * 86_400_000) / INTERVAL_MS; i++) {
      if (random() < 0.02) continue;
      const t = START_MS + i * INTERVAL_MS;
      const hourOfDay = (t % 86_400_000) / 3_600_000;
      const reading: RawReading = {
        sensorId: `sensor-${String(s).padStart(4, '0')}`,
        timestamp: new Date(t).toISOString(),
        temperature: value(base + 3 * Math.sin((hourOfDay / 24) * 2 * Math.PI) + 0.3 * gaussian(random)),
        vibration: value(Math.abs(0.5 + 0.1 * gaussian(random))),
        pressure: value(1013 + 2 * gaussian(random)),
      };
      out.push(reading);
      if (random() < 0.005) out.push({ ...reading });
    }
  }
  return out;
}

const FIELDS = { key: 'sensorId', timestamp: 'timestamp', channels: CHANNELS };
const OPTIONS = { channels: CHANNELS, samplingIntervalMs: INTERVAL_MS };

/** Median seconds of `repetitions` calls after one warm-up call; `check` guards against dead code. */
function time<T>(
  repetitions: number,
  work: () => T,
  check: (result: T) => void,
): { seconds: number[]; result: T } {
  const result = work();
  check(result);
  const seconds: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const started = performance.now();
    check(work());
    seconds.push((performance.now() - started) / 1000);
  }
  return { seconds, result };
}

const PANDAS_SCRIPT = `
import json, sys, time
import numpy as np, pandas as pd
d = json.load(sys.stdin)
channels = d['channels']
df = pd.DataFrame(d['readings'])
def run():
    x = df.drop_duplicates(['key', 't'], keep='first').copy()
    x['day'] = x['t'] // 86400000
    x['h'] = (x['t'] - x['day'] * 86400000) / 3600000.0
    g = x.groupby(['key', 'day'], sort=True)
    parts = [g.size().rename('readings')]
    for c in channels:
        gc = g[c]
        q = gc.quantile([0.1, 0.5, 0.9]).unstack()
        hx = x['h'].where(x[c].notna())
        s = pd.DataFrame({'n': x[c].notna().astype(float), 'x': hx, 'y': x[c], 'xy': hx * x[c], 'xx': hx * hx})
        sums = s.groupby([x['key'], x['day']], sort=True).sum()
        slope = (sums['xy'] - sums['x'] * sums['y'] / sums['n']) / (sums['xx'] - sums['x'] ** 2 / sums['n'])
        parts += [gc.count(), gc.mean(), gc.std(ddof=0), gc.min(), gc.max(), q, slope.rename(c + '_slope')]
    return pd.concat(parts, axis=1)
run()
secs = []
for _ in range(d['repetitions']):
    t0 = time.perf_counter(); out = run(); secs.append(time.perf_counter() - t0)
print(json.dumps({'seconds': secs, 'rows': len(out), 'version': pd.__version__}))
`;

function pandasRow(readings: readonly KeyedReading[], repetitions: number, expectedRows: number): BenchRow {
  const base = { suite: SUITE, case: 'chunk+features', impl: 'pandas groupby' };
  const has = pythonHas(['pandas']);
  if (!has.ok) return { ...base, metrics: { readingsPerSecond: null }, note: `skipped: ${has.reason}` };
  const input = {
    channels: CHANNELS,
    repetitions,
    readings: readings.map((r) => ({ key: r.key, t: r.timestampMs, ...r.values })),
  };
  const out = runPythonJson<{ seconds: number[]; rows: number; version: string }>(PANDAS_SCRIPT, input);
  if (out.rows !== expectedRows) throw new Error(`pandas made ${out.rows} rows, ours ${expectedRows}`);
  const seconds = median(out.seconds);
  return {
    ...base,
    metrics: {
      readings: readings.length,
      readingsPerSecond: Math.round(readings.length / seconds),
      featureRows: out.rows,
      ms: round(seconds * 1000, 1),
    },
    note: `pandas ${out.version} (.bench/venv), same statistics (ddof=0 std, linear quantiles, least-squares slope via grouped sums); DataFrame already built from epoch ms; median of ${repetitions}`,
  };
}

export const suite: BenchSuite = {
  name: SUITE,
  description:
    'chunk (UTC day × sensor) + per-chunk features in readings/s, and Parquet vs NDJSON.gz of the features',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const sensors = ctx.quick ? 20 : 200;
    const days = 7;
    const repetitions = ctx.quick ? 3 : 5;
    ctx.progress(`generating ${sensors} sensors × ${days} days every 10 minutes`);
    const raw = generateReadings(sensors, days);
    const keyed = raw.map((r) => keyedReadingFrom(r, FIELDS));
    const loadBefore = hostLoad();
    const sizes = `${raw.length.toLocaleString('en-US')} readings (${sensors} sensors × ${days} days × 144, 2 % lost, 0.5 % duplicated, 1 % null values), 3 channels`;

    ctx.progress('parse + chunk');
    const parse = time(
      repetitions,
      () => groupIntoChunks(raw.map((r) => keyedReadingFrom(r, FIELDS))),
      (r) => {
        if (r.chunks.length !== sensors * days) throw new Error(`expected ${sensors * days} chunks`);
      },
    );
    ctx.progress('chunk');
    const chunk = time(
      repetitions,
      () => groupIntoChunks(keyed),
      () => {},
    );
    const chunks = chunk.result.chunks;
    ctx.progress('features');
    const features = time(
      repetitions,
      () => featureRows(chunks, OPTIONS),
      (rows) => {
        if (rows.length !== chunks.length) throw new Error('one feature row per chunk');
      },
    );
    ctx.progress('chunk + features');
    const both = time(
      repetitions,
      () => featureRows(groupIntoChunks(keyed).chunks, OPTIONS),
      () => {},
    );
    const rows: FeatureRow[] = features.result;
    const columns = featureColumns(CHANNELS);
    ctx.progress('Parquet and NDJSON.gz');
    const parquet = time(
      repetitions,
      () => writeFeatureParquet(rows, columns),
      () => {},
    );
    const ndjson = time(
      repetitions,
      () => encodeNdjsonGzip(rows),
      () => {},
    );
    ctx.progress('pandas baseline');
    const pandas = pandasRow(keyed, repetitions, rows.length);
    const loads = `${loadBefore} before, ${hostLoad().replace('host load average ', '')} after`;

    const rate = (seconds: number[]) => Math.round(raw.length / median(seconds));
    const speedRow = (caseName: string, seconds: number[], note: string): BenchRow => ({
      suite: SUITE,
      case: caseName,
      impl: 'ours',
      metrics: {
        readings: raw.length,
        readingsPerSecond: rate(seconds),
        featureRows: rows.length,
        ms: round(median(seconds) * 1000, 1),
      },
      note,
    });
    const fileRow = (impl: string, seconds: number[], bytes: number, note: string): BenchRow => ({
      suite: SUITE,
      case: 'write feature table',
      impl,
      metrics: {
        featureRows: rows.length,
        columns: columns.length,
        ms: round(median(seconds) * 1000, 1),
        bytes,
        bytesPerRow: round(bytes / rows.length, 1),
      },
      note,
    });
    return [
      speedRow(
        'parse+chunk',
        parse.seconds,
        `${sizes}; keyedReadingFrom (ISO time with zone → epoch ms) + groupIntoChunks; one thread, median of ${repetitions} after a warm-up; ${loads}`,
      ),
      speedRow(
        'chunk',
        chunk.seconds,
        `groupIntoChunks only (group, sort, dedupe ${chunk.result.duplicates} repeats)`,
      ),
      speedRow(
        'features',
        features.seconds,
        `featureRows over ${chunks.length} chunks; rate in input readings/s`,
      ),
      speedRow('chunk+features', both.seconds, 'the two steps back to back, from epoch-ms readings'),
      pandas,
      fileRow(
        'Parquet (hyparquet-writer)',
        parquet.seconds,
        parquet.result.byteLength,
        'typed columns (UTF8, INT32, DOUBLE), snappy, statistics on, one row group',
      ),
      fileRow(
        'NDJSON.gz',
        ndjson.seconds,
        ndjson.result.byteLength,
        'the same rows as gzipped JSON lines (zlib level 6): what the pipeline writes elsewhere; untyped',
      ),
    ];
  },
};
