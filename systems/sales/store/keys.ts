import { dayTable } from '../../../core/streaming/day-table.js';
import { rawPipelinePrefix } from '../../../core/streaming/keys.js';

/**
 * Every S3 key the sales system reads or writes, in one place. Keys are deterministic: a retried
 * step (or a Distributed Map child) writes the same keys, so it overwrites instead of duplicating.
 *
 * Data bucket:
 *   raw/sales/dt=…/hour=…/*.ndjson.gz                   what ingest wrote (arrival time)
 *   history/sales/stores.ndjson.gz                      every store's profile
 *   history/sales/shard=NNN/days.ndjson.gz              the days of stores (NNN-1)·25+1 … NNN·25, deduplicated
 *   forecasts/sales/dt=YYYY-MM-DD/forecasts.parquet     the nightly forecast of every store, made that day
 *   monitoring/sales/dt=YYYY-MM-DD/errors.parquet       per-store forecast error once actuals arrived
 *   state/sales/initial-read.json                       the initial share already read (its ETag)
 * Artifacts bucket:
 *   models/sales/store-NNNN/…                           one registry tree per store (core/registry/layout.ts)
 *   runs/sales/<runId>/data.json                        the raw objects a daily run consumed
 *   runs/sales/<runId>/stores.json                      a training run's manifest (the Distributed Map's items)
 *   runs/sales/<runId>/map/…                            the Distributed Map's ResultWriter files
 *   runs/sales/<runId>/stores/NNNN.json                 one store's outcome in that run
 *   runs/sales/<runId>/training.json                    a training run's summary
 *   state/sales/training-latest.json                    the newest training run's summary (health, page)
 *   state/sales/monitoring-latest.json                  the newest monitoring run (degraded stores)
 *   state/sales/retrain-requests.json                   degraded stores sent for retraining, by model version
 *   reports/sales/monitoring/<runId|latest>/…           monitoring report and pictures
 */
export const SYSTEM = 'sales';
/** Stores per history shard: one shard object per ItemBatcher batch when every store trains. */
export const STORES_PER_SHARD = 25;

/** `store-0017`: the store's model key in the registry. */
export const storeModel = (store: number): string => `store-${String(store).padStart(4, '0')}`;
const STORE_MODEL = /^store-(\d{4})$/;
/** The store of a model key, or undefined for another key. */
export const storeOfModel = (model: string): number | undefined => {
  const match = STORE_MODEL.exec(model);
  return match ? Number(match[1]) : undefined;
};

export const shardOf = (store: number): number => Math.ceil(store / STORES_PER_SHARD);

const partitioned = (table: string, file: string) => dayTable(table, SYSTEM, file);

export const salesKeys = {
  raw: rawPipelinePrefix(SYSTEM),
  historyPrefix: `history/${SYSTEM}/`,
  profiles: `history/${SYSTEM}/stores.ndjson.gz`,
  shard: (shard: number) => `history/${SYSTEM}/shard=${String(shard).padStart(3, '0')}/days.ndjson.gz`,
  forecasts: partitioned('forecasts', 'forecasts.parquet'),
  storeErrors: partitioned('monitoring', 'errors.parquet'),
  initialRead: `state/${SYSTEM}/initial-read.json`,
  manifest: (runId: string) => `runs/${SYSTEM}/${runId}/data.json`,
  storesManifest: (runId: string) => `runs/${SYSTEM}/${runId}/stores.json`,
  mapResultsPrefix: (runId: string) => `runs/${SYSTEM}/${runId}/map`,
  training: (runId: string) => `runs/${SYSTEM}/${runId}/training.json`,
  /** One store's outcome in a training run: a retried batch skips the stores it finds here. */
  storeOutcome: (runId: string, store: number) =>
    `runs/${SYSTEM}/${runId}/stores/${String(store).padStart(4, '0')}.json`,
  trainingLatest: `state/${SYSTEM}/training-latest.json`,
  monitoringLatest: `state/${SYSTEM}/monitoring-latest.json`,
  /** Degraded stores already sent for retraining, by the model version that degraded. */
  retrainRequests: `state/${SYSTEM}/retrain-requests.json`,
  monitoring: (runId: string) => `runs/${SYSTEM}/${runId}/monitoring.json`,
  reportPrefix: (runIdOrLatest: string) => `reports/${SYSTEM}/monitoring/${runIdOrLatest}/`,
} as const;
