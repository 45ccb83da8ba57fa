import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { parseStoreModel } from '../model/index.js';
import type { StoreModel } from '../model/types.js';
import { SYSTEM, storeModel } from '../store/keys.js';

/** A store's champion as the forecast service and the nightly forecast use it. */
export interface StoreChampion {
  readonly store: number;
  readonly version: string;
  readonly model: StoreModel;
  /** The backtest RMSPE recorded with the version: the error to expect. */
  readonly backtestRmspe: number | null;
  readonly promotedAt: string | null;
}

export function storeRegistry(s3: S3Client, bucket: string, store: number): ModelRegistry {
  return new ModelRegistry({
    store: new S3ObjectStore(s3, bucket),
    pipeline: SYSTEM,
    model: storeModel(store),
  });
}

/** The store's champion, or undefined when it has none yet. */
export async function loadStoreChampion(
  s3: S3Client,
  bucket: string,
  store: number,
): Promise<StoreChampion | undefined> {
  const loaded = await storeRegistry(s3, bucket, store).loadChampion();
  if (!loaded) return undefined;
  const rmspe = loaded.model.metadata.metrics?.rmspe;
  return {
    store,
    version: loaded.pointer.version,
    model: parseStoreModel(loaded.model.artifact),
    backtestRmspe: typeof rmspe === 'number' ? rmspe : null,
    promotedAt: loaded.pointer.promotedAt ?? null,
  };
}

/** Runs `work` over `items` with at most `limit` in flight, results in item order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
