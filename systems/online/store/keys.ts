/**
 * Every S3 key the online learner and its API read or write, in one place. Keys are deterministic:
 * a batch retried after a crash recomputes the same results (the models are deterministic) and
 * writes them under the same keys, so it overwrites instead of duplicating.
 *
 * Artifacts bucket:
 *   checkpoints/online/<model>.json          the model, its metrics, the last tick and sequence
 *                                            numbers it learned (the one writer's state)
 * Data bucket:
 *   results/online/latest/<model>.json       the latest result
 *   results/online/recent/<model>.json       the last RECENT_LIMIT results, oldest first
 *   results/online/history/model=<model>/date=YYYY-MM-DD/hour=HH/tick-<12 digits>.parquet
 *                                            one row per record learned in a batch (Hive partitions
 *                                            for Athena and DuckDB), keyed by the batch's first
 *                                            unlearned tick within that hour
 */
export const SYSTEM = 'online';

/** The two models, by the name they have in keys, results and the API. */
export const ONLINE_MODELS = ['classification', 'regression'] as const;
export type OnlineModelName = (typeof ONLINE_MODELS)[number];

export function isOnlineModelName(value: unknown): value is OnlineModelName {
  return (ONLINE_MODELS as readonly unknown[]).includes(value);
}

/** How many results `recent/` keeps per model: enough for a dashboard's first draw. */
export const RECENT_LIMIT = 600;

/** Ticks are zero-padded so keys sort in tick order inside an hour (12 digits: 63,000 years at 2 s). */
const TICK_DIGITS = 12;

const historyRoot = (model: OnlineModelName) => `results/${SYSTEM}/history/model=${model}/`;

export const onlineKeys = {
  checkpoint: (model: OnlineModelName) => `checkpoints/${SYSTEM}/${model}.json`,
  latest: (model: OnlineModelName) => `results/${SYSTEM}/latest/${model}.json`,
  recent: (model: OnlineModelName) => `results/${SYSTEM}/recent/${model}.json`,
  historyRoot,
  /** The hour partition of an ISO-8601 time (UTC), as a prefix: `…/date=YYYY-MM-DD/hour=HH/`. */
  historyHour: (model: OnlineModelName, time: string) => {
    const iso = new Date(time).toISOString();
    return `${historyRoot(model)}date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
  },
  history: (model: OnlineModelName, time: string, firstTick: number) => {
    if (!Number.isSafeInteger(firstTick) || firstTick < 0)
      throw new Error(`a history key needs a tick that is an integer ≥ 0, got ${firstTick}`);
    return `${onlineKeys.historyHour(model, time)}tick-${String(firstTick).padStart(TICK_DIGITS, '0')}.parquet`;
  },
  /** The first tick a history key names, or undefined for any other key. */
  tickOfHistory: (key: string): number | undefined => {
    const match = /\/tick-(\d+)\.parquet$/.exec(key);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  },
} as const;
