import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureColumn } from '../../core/features/columns.js';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import { readParquet } from '../../core/features/parquet-read.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { churnModelAdapter, parseChurnModel } from '../../systems/churn/model/churn-adapter.js';
import { CUSTOMER_COLUMNS, SUMMARY_COLUMNS, summarizeDay } from '../../systems/churn/model/daily-summary.js';
import { groupByEventDay, mergeDayEvents } from '../../systems/churn/model/day-events.js';
import {
  buildSnapshotFeatures,
  FEATURE_COLUMNS,
  toFeatureMatrix,
  toLabelledMatrix,
} from '../../systems/churn/model/features.js';
import { addDays, churnDays, labelAt } from '../../systems/churn/model/labels.js';
import { monitorPeriods } from '../../systems/churn/model/monitoring.js';
import { monitoredPeriod } from '../../systems/churn/model/monitoring-periods.js';
import { renderMonitoringReport } from '../../systems/churn/model/monitoring-report.js';
import { PREDICTION_COLUMNS, predictionRows } from '../../systems/churn/model/predictions.js';
import { scoreCustomers, splitByTime } from '../../systems/churn/model/training.js';
import { defaultTrainingSettings } from '../../systems/churn/model/training-settings.js';
import { parseTrainingWindow, trainingSnapshots } from '../../systems/churn/model/training-window.js';
import type { ChurnEvent, Row } from '../../systems/churn/model/types.js';
import { churnRecordSpec } from '../../systems/churn/records/event.js';
import { churnEventDays, defaultChurnGeneratorOptions } from '../../systems/churn/records/generator.js';

/**
 * Child process of the churn-pipeline bench: runs ONE stage of the churn pipeline over a work
 * directory that stands in for the data bucket (same objects as the handlers write: gzip NDJSON day
 * events, Parquet tables per day, the model as JSON) and prints its CPU, wall time and peak RSS as
 * JSON. One process per stage so each peak is that stage's own, as a Lambda's would be. Each stage
 * does what its handler does, minus S3 calls: bytes are written to and read from local files.
 *
 * Run: node --import tsx bench/suites/churn-stage.ts --stage summarize --dir /tmp/churn
 */
export const STAGES = ['generate', 'collect', 'summarize', 'features', 'train', 'score', 'monitor'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageResult {
  stage: Stage;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMb: number;
  /** RSS with the modules loaded, before any data. */
  baseRssMb: number;
  invocations: number;
  /** The costliest single invocation as the handler splits the stage. */
  largest: { what: string; cpuSeconds: number; wallSeconds: number };
  counts: Record<string, number | string>;
}

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    dir: { type: 'string' },
    customers: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
    seed: { type: 'string', default: '42' },
  },
});

const stage = values.stage as Stage;
if (!STAGES.includes(stage))
  throw new Error(`--stage must be one of ${STAGES.join(', ')}, got ${values.stage}`);
if (!values.dir) throw new Error('--dir is required');
const dir = values.dir;

/** The system's `stream.initialShare`: history the first daily run reads as one object. */
const INITIAL_SHARE = 0.6;
const INITIAL = 'initial';

const table = (name: string) => path.join(dir, name);
const dayFile = (name: string, day: string, ext: string) => path.join(dir, name, `${day}.${ext}`);
const daysOf = (name: string, ext: string) =>
  existsSync(table(name))
    ? readdirSync(table(name))
        .filter((f) => f.endsWith(`.${ext}`))
        .map((f) => f.slice(0, -ext.length - 1))
        .sort()
    : [];

function writeTable(
  name: string,
  day: string,
  rows: readonly Row[],
  columns: readonly FeatureColumn[],
): void {
  mkdirSync(table(name), { recursive: true });
  const bytes = writeFeatureParquet(rows as never, columns, {
    metadata: { pipeline: 'churn', codeVersion: 'bench' },
  });
  writeFileSync(dayFile(name, day, 'parquet'), bytes);
}

async function readTable(name: string, days: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const day of days) {
    const file = dayFile(name, day, 'parquet');
    if (!existsSync(file)) continue;
    for (const row of (await readParquet(readFileSync(file))).rows) rows.push(row as Row);
  }
  return rows;
}

/** Per-invocation timing, keeping the costliest. */
function invocationMeter() {
  let largest = { what: '', cpuSeconds: -1, wallSeconds: 0 };
  let count = 0;
  return {
    async measure<T>(what: string, work: () => Promise<T> | T): Promise<T> {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      const result = await work();
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      count++;
      if (cpuSeconds > largest.cpuSeconds)
        largest = { what, cpuSeconds, wallSeconds: (performance.now() - wall) / 1000 };
      return result;
    },
    get largest() {
      return largest;
    },
    get count() {
      return count;
    },
  };
}

type Meter = ReturnType<typeof invocationMeter>;

/**
 * The generator, one day at a time, written as the raw objects the handlers read: the producer's
 * initial share (the first 60 % of the days, churn's `stream.initialShare`) as one gzip NDJSON
 * object, then one object per arrival day, as ingest leaves them.
 */
async function generate(meter: Meter): Promise<Record<string, number | string>> {
  mkdirSync(table('raw'), { recursive: true });
  const customers = Number(values.customers);
  const days = Number(values.days);
  const options = {
    ...defaultChurnGeneratorOptions,
    seed: Number(values.seed),
    customers,
    days,
    driftStartDay: Math.floor((days * 2) / 3),
  };
  const initialDays = Math.floor(days * INITIAL_SHARE);
  let initial: unknown[] = [];
  let events = 0;
  let index = 0;
  let truth: unknown;
  for (const batch of churnEventDays(options)) {
    await meter.measure(`day ${batch.day}`, () => {
      if (index < initialDays) for (const event of batch.events) initial.push(event);
      else writeFileSync(dayFile('raw', batch.day, 'ndjson.gz'), encodeNdjsonGzip(batch.events));
      if (index === initialDays - 1) {
        writeFileSync(dayFile('raw', INITIAL, 'ndjson.gz'), encodeNdjsonGzip(initial));
        initial = [];
      }
    });
    events += batch.events.length;
    index++;
    truth = batch.truth;
  }
  writeFileSync(path.join(dir, 'truth.json'), JSON.stringify(truth));
  return {
    events,
    initialDays,
    customersEver: (truth as { customers: number }).customers,
    activity: options.activity,
    dirtyRate: options.dirtyRate,
  };
}

/** days.ts collect: each arrival day's raw objects validated, grouped by event day, merged into the day events. */
async function collect(meter: Meter): Promise<Record<string, number | string>> {
  mkdirSync(table('events'), { recursive: true });
  let events = 0;
  let rejected = 0;
  let duplicates = 0;
  const arrivals = daysOf('raw', 'ndjson.gz').sort((a, b) =>
    a === INITIAL ? -1 : b === INITIAL ? 1 : a < b ? -1 : 1,
  );
  for (const arrivalDay of arrivals) {
    await meter.measure(arrivalDay === INITIAL ? 'the initial share' : `arrival day ${arrivalDay}`, () => {
      const valid: ChurnEvent[] = [];
      for (const row of decodeNdjsonGzip(readFileSync(dayFile('raw', arrivalDay, 'ndjson.gz')))) {
        const result = churnRecordSpec.validate(row, Date.now());
        if (result.ok) valid.push(result.value);
        else rejected++;
      }
      events += valid.length;
      for (const [day, dayEvents] of groupByEventDay(valid)) {
        const file = dayFile('events', day, 'ndjson.gz');
        const existing = existsSync(file) ? decodeNdjsonGzip<ChurnEvent>(readFileSync(file)) : [];
        const merged = mergeDayEvents(existing, dayEvents);
        duplicates += merged.duplicates;
        if (merged.added > 0) writeFileSync(file, encodeNdjsonGzip(merged.merged));
      }
    });
  }
  return { events, rejected, duplicates };
}

/** days.ts summarize: one event day → its summary and customers Parquet files. */
async function summarize(meter: Meter): Promise<Record<string, number | string>> {
  let customerDays = 0;
  for (const day of daysOf('events', 'ndjson.gz')) {
    await meter.measure(`day ${day}`, () => {
      const events = decodeNdjsonGzip<ChurnEvent>(readFileSync(dayFile('events', day, 'ndjson.gz')));
      const { summaries, customers } = summarizeDay(day, events);
      writeTable('summaries', day, summaries, SUMMARY_COLUMNS);
      writeTable('customers', day, customers, CUSTOMER_COLUMNS);
      customerDays += summaries.length;
    });
  }
  return { customerDays };
}

/** features.ts snapshots: every complete day from day 30 on, one invocation, a sliding 30-day window. */
async function features(meter: Meter): Promise<Record<string, number | string>> {
  const summaryDays = daysOf('summaries', 'parquet');
  const latestDay = summaryDays.at(-1) as string;
  const firstSnapshot = addDays(summaryDays[0] as string, 29);
  const wanted = summaryDays.filter((d) => d >= firstSnapshot && d < latestDay);
  let rows = 0;
  await meter.measure(`${wanted.length} snapshots`, async () => {
    const customers = await readTable('customers', daysOf('customers', 'parquet'));
    const window = new Map<string, Row[]>();
    for (const snapshot of wanted) {
      const first = addDays(snapshot, -29);
      for (const day of [...window.keys()]) if (day < first) window.delete(day);
      for (const day of summaryDays)
        if (day >= first && day <= snapshot && !window.has(day))
          window.set(day, await readTable('summaries', [day]));
      const featureRows = buildSnapshotFeatures({
        snapshot,
        summaries: [...window.values()].flat(),
        customers,
        latestDay,
      });
      writeTable('features', snapshot, featureRows, FEATURE_COLUMNS);
      rows += featureRows.length;
    }
  });
  return { snapshots: wanted.length, featureRows: rows, latestDay };
}

/** train.ts: settled snapshots every 7 days, labels from the customers table, time split, fit, holdout score. */
async function train(meter: Meter): Promise<Record<string, number | string>> {
  const latestDay = daysOf('summaries', 'parquet').at(-1) as string;
  const window = parseTrainingWindow({});
  const settings = defaultTrainingSettings;
  const counts: Record<string, number | string> = {};
  await meter.measure('one training run', async () => {
    const snapshots = trainingSnapshots(daysOf('features', 'parquet'), latestDay, window);
    const churned = churnDays(await readTable('customers', daysOf('customers', 'parquet')));
    const rows = (await readTable('features', snapshots)).map((row) => ({
      ...row,
      label: labelAt(String(row.customer_id), String(row.snapshot), churned, latestDay),
    }));
    const data = splitByTime(toLabelledMatrix(rows), settings);
    const adapter = churnModelAdapter(settings);
    const fitted = await adapter.fit(data, {});
    if (!fitted.ok) throw new Error(`training failed: ${fitted.reason}`);
    const holdout = adapter.score(fitted.model, data);
    const artifact = JSON.stringify(adapter.serialize(fitted.model));
    writeFileSync(path.join(dir, 'model.json'), artifact);
    Object.assign(counts, {
      snapshots: snapshots.length,
      trainRows: data.train.labels.length,
      calibrationRows: data.calibration.labels.length,
      holdoutRows: data.holdout.labels.length,
      positives: data.train.labels.reduce((s, y) => s + y, 0),
      holdoutRocAuc: Number(holdout.metrics.rocAuc ?? Number.NaN),
      modelMb: artifact.length / 2 ** 20,
    });
  });
  return counts;
}

/** predict.ts score: the champion over every feature day, as predictions Parquet. */
async function score(meter: Meter): Promise<Record<string, number | string>> {
  let scored = 0;
  const days = daysOf('features', 'parquet');
  await meter.measure(`${days.length} snapshots`, async () => {
    const model = parseChurnModel(JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')));
    const scoredAt = new Date().toISOString();
    for (const snapshot of days) {
      const matrix = toFeatureMatrix(await readTable('features', [snapshot]));
      const { probabilities, decisions, threshold } = scoreCustomers(model, matrix);
      const rows = predictionRows({
        snapshot,
        customerIds: matrix.customerIds,
        probabilities,
        decisions,
        threshold,
        modelVersion: 'bench',
        scoredAt,
      });
      writeTable('predictions', snapshot, rows, PREDICTION_COLUMNS);
      scored += rows.length;
    }
  });
  return { snapshots: days.length, predictions: scored };
}

/** monitor.ts: every scored day against the reference, with the report's pictures. */
async function monitor(meter: Meter): Promise<Record<string, number | string>> {
  const counts: Record<string, number | string> = {};
  await meter.measure('one monitoring run', async () => {
    const model = parseChurnModel(JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')));
    const days = daysOf('predictions', 'parquet').slice(-90);
    const latestDay = daysOf('summaries', 'parquet').at(-1) as string;
    const churned = churnDays(await readTable('customers', daysOf('customers', 'parquet')));
    const periods = [];
    for (const day of days) {
      periods.push(
        monitoredPeriod({
          day,
          predictions: await readTable('predictions', [day]),
          features: await readTable('features', [day]),
          featureNames: model.featureNames,
          churned,
          latestDay,
        }),
      );
    }
    const result = monitorPeriods(model.reference, periods);
    const report = renderMonitoringReport(result);
    const reportBytes =
      JSON.stringify(report.json).length + report.metricsSvg.length + report.driftSvg.length;
    Object.assign(counts, {
      periods: periods.length,
      alertedPeriods: result.periods.filter((p) => p.alerts.length > 0).length,
      reportMb: reportBytes / 2 ** 20,
    });
  });
  return counts;
}

const RUNNERS: Record<Stage, (meter: Meter) => Promise<Record<string, number | string>>> = {
  generate,
  collect,
  summarize,
  features,
  train,
  score,
  monitor,
};

const baseRssMb = process.memoryUsage().rss / 2 ** 20;
const meter = invocationMeter();
const cpu = process.cpuUsage();
const wall = performance.now();
const counts = await RUNNERS[stage](meter);
const used = process.cpuUsage(cpu);
const result: StageResult = {
  stage,
  cpuSeconds: (used.user + used.system) / 1e6,
  wallSeconds: (performance.now() - wall) / 1000,
  // maxRSS is in kilobytes.
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  baseRssMb,
  invocations: meter.count,
  largest: meter.largest,
  counts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
