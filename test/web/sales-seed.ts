import type { S3Client } from '@aws-sdk/client-s3';
import { putJson } from '../../adapters/s3-object-store.js';
import type { StoreOutcome } from '../../systems/sales/lifecycle/outcomes.js';
import { summarizeTraining } from '../../systems/sales/lifecycle/training-summary.js';
import { type CandidateKind, type StoreSeries, trainStore } from '../../systems/sales/model/index.js';
import { defaultSalesGeneratorOptions, generateSales } from '../../systems/sales/records/generator.js';
import type { DailySales, SalesRecord, StoreProfile } from '../../systems/sales/records/types.js';
import { storeRegistry } from '../../systems/sales/serving/champions.js';
import { mergeRecords } from '../../systems/sales/store/history.js';
import { salesKeys } from '../../systems/sales/store/keys.js';

/** Where the sales page's tests and screenshot put their data: a LocalRuntime's S3 and buckets. */
export interface SalesSeedTarget {
  readonly s3: S3Client;
  readonly names: { readonly dataBucket: string; readonly artifactsBucket: string };
}

export interface SalesSeedOptions {
  /** Stores 1..`stores` get a history. */
  readonly stores: number;
  readonly days: number;
  /** The stores that get a champion, and the family each is trained with. */
  readonly champions: Readonly<Record<number, CandidateKind>>;
  /** Stores the training run reports failed (they keep having no champion). */
  readonly failed?: readonly number[];
  /** Backtest folds per store (the real jobs use 3; one keeps a test fast). @default 1 */
  readonly folds?: number;
}

export interface SalesSeed {
  readonly series: ReadonlyMap<number, StoreSeries>;
  /** Each champion's registry version and backtest RMSPE. */
  readonly champions: ReadonlyMap<number, { version: string; family: CandidateKind; rmspe: number }>;
}

/**
 * A small sales world through the system's own code: the generator's stores and days written to
 * the history as collect writes them (`mergeRecords`); each champion store trained
 * (`trainStore`: backtest and final fit), registered with its backtest RMSPE and promoted in the
 * store's registry; and the run's summary (`summarizeTraining`) where the train-plan step leaves
 * it, which the API's store list and health read.
 */
export async function seedSales(target: SalesSeedTarget, options: SalesSeedOptions): Promise<SalesSeed> {
  const { records } = generateSales({
    ...defaultSalesGeneratorOptions,
    seed: 7,
    stores: options.stores,
    days: options.days,
    dirtyRate: 0,
  });
  const sales = records as SalesRecord[];
  await mergeRecords(target.s3, target.names.dataBucket, sales);

  const series = new Map<number, StoreSeries>();
  for (const profile of sales.filter((r): r is StoreProfile => r.kind === 'store'))
    series.set(profile.store, {
      profile,
      days: sales.filter((r): r is DailySales => r.kind === 'sales' && r.store === profile.store),
    });

  const champions = new Map<number, { version: string; family: CandidateKind; rmspe: number }>();
  const outcomes: StoreOutcome[] = [];
  for (const [store, family] of Object.entries(options.champions).map(([s, f]) => [Number(s), f] as const)) {
    const storeSeries = series.get(store);
    if (!storeSeries) throw new Error(`store ${store} is not among the ${options.stores} seeded stores`);
    const report = await trainStore(storeSeries, { folds: options.folds ?? 1, kinds: [family] });
    const candidate = report.candidates[0];
    if (!candidate?.ok)
      throw new Error(
        `store ${store}: ${family} did not fit: ${candidate?.ok === false ? candidate.reason : ''}`,
      );
    const registry = storeRegistry(target.s3, target.names.artifactsBucket, store);
    const { version } = await registry.register({
      artifact: candidate.model,
      parameters: { family, ...candidate.model.config },
      metrics: { rmspe: candidate.backtest.rmspe },
      trainedOn: [],
      codeVersion: 'test',
    });
    await registry.promote(version, { reason: 'first model of the store', expectedChampion: null });
    champions.set(store, { version, family, rmspe: candidate.backtest.rmspe });
    outcomes.push({
      store,
      status: 'promoted',
      reason: 'first model of the store',
      family,
      rmspe: candidate.backtest.rmspe,
      challengerVersion: version,
      championVersion: version,
    });
  }
  for (const store of options.failed ?? [])
    outcomes.push({ store, status: 'failed', reason: 'no candidate fitted (seeded as failed)' });
  const summary = summarizeTraining({
    runId: 'sales-train-seeded',
    trigger: 'first-models',
    requested: outcomes.length,
    outcomes,
    failedBatches: [],
    finishedAt: new Date(),
  });
  await putJson(target.s3, target.names.artifactsBucket, salesKeys.trainingLatest, summary);
  return { series, champions };
}
