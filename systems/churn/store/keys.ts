import { dayTable } from '../../../core/streaming/day-table.js';
import { rawPipelinePrefix } from '../../../core/streaming/keys.js';

/**
 * Every S3 key the churn system reads or writes, in one place. Keys are deterministic: a retried
 * step (or Map iteration) writes the same keys, so it overwrites instead of duplicating. Tables
 * are Hive-partitioned by `dt=` (the day a row is about), as Athena and DuckDB read them.
 *
 * Data bucket:
 *   raw/churn/dt=…/hour=…/*.ndjson.gz                    what ingest wrote (arrival time)
 *   events/churn/dt=YYYY-MM-DD/events.ndjson.gz          the day's events, deduplicated
 *   summaries/churn/dt=YYYY-MM-DD/summary.parquet        one row per customer with activity that day
 *   customers/churn/dt=YYYY-MM-DD/customers.parquet      sign-ups, plan changes and churns of that day
 *   features/churn/dt=YYYY-MM-DD/features.parquet        one row per active customer at that snapshot
 *   predictions/churn/dt=YYYY-MM-DD/predictions.parquet  every scored customer at that snapshot
 *   predictions/churn/_runs/<runId>.json                 one per scoring run: starts monitoring
 *   state/churn/alerts.json                               the alerts already sent (no retrain storms)
 *   state/churn/initial-read.json                         the initial share already read (its ETag)
 * Artifacts bucket:
 *   models/churn/churn/…                                 the registry (core/registry/layout.ts)
 *   runs/churn/<runId>/{data,training,decision}.json
 *   reports/churn/{eda,monitoring}/<runId|latest>/…
 */
export const SYSTEM = 'churn';
/** The system's one model key in the registry. */
export const MODEL = 'churn';

const partitioned = (table: string, file: string) => dayTable(table, SYSTEM, file);

export const churnKeys = {
  raw: rawPipelinePrefix(SYSTEM),
  events: partitioned('events', 'events.ndjson.gz'),
  summaries: partitioned('summaries', 'summary.parquet'),
  customers: partitioned('customers', 'customers.parquet'),
  features: partitioned('features', 'features.parquet'),
  predictions: partitioned('predictions', 'predictions.parquet'),
  /** Written after a scoring run's prediction files: the object whose S3 event starts monitoring. */
  predictionRunsPrefix: `predictions/${SYSTEM}/_runs/`,
  predictionRun: (runId: string) => `predictions/${SYSTEM}/_runs/${runId}.json`,
  /** The raw objects a daily run consumed, with their ETags (the archive step reads it). */
  manifest: (runId: string) => `runs/${SYSTEM}/${runId}/data.json`,
  training: (runId: string) => `runs/${SYSTEM}/${runId}/training.json`,
  reportPrefix: (kind: 'eda' | 'monitoring', runIdOrLatest: string) =>
    `reports/${SYSTEM}/${kind}/${runIdOrLatest}/`,
  alertState: `state/${SYSTEM}/alerts.json`,
  /** The producer's initial share last read into the day events (its key and ETag). */
  initialRead: `state/${SYSTEM}/initial-read.json`,
} as const;
