import { getJson, headEtag, putJson } from '../../../adapters/s3-object-store.js';
import { asBag, InputError, stringField } from '../../../core/data/input-fields.js';
import { promoteIfBetter, runChallenge } from '../../../core/lifecycle/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { defineStep, stepHandler } from '../../../lambdas/platform/step.js';
import type { StoreOutcome } from '../lifecycle/outcomes.js';
import { storeModelAdapter, storePromotionRule } from '../lifecycle/store-adapter.js';
import { parseStoreModel, trainStore } from '../model/index.js';
import { MAX_STORES } from '../records/record-spec.js';
import { HistoryReader } from '../store/history.js';
import { SYSTEM, salesKeys, shardOf, storeModel } from '../store/keys.js';

const logger = createLogger('sales-train-stores');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const adapter = storeModelAdapter(parseStoreModel);

const RUN_ID = /^[\w.-]{1,80}$/;

/**
 * train-stores: one Distributed Map batch (`{ Items: [{ store }], BatchInput: { runId } }`). Each
 * store's candidates are backtested and fitted, the best is registered as the store's challenger
 * and promoted if it is not worse than the store's champion on the same folds. A store that
 * cannot be trained is reported failed and keeps its champion; the batch itself fails only when
 * its input or the storage fails, which the Map counts against its tolerated failures. A retried
 * batch skips the stores whose outcome this run already recorded, so no store is trained twice.
 */
const trainStores = defineStep({
  parse: (input) => {
    if (!Array.isArray(input.Items)) throw new InputError('Items must be the batch of stores (an array)');
    const stores = input.Items.map((item, i) => {
      const store = asBag(item, `Items[${i}]`).store;
      if (!(Number.isInteger(store) && (store as number) >= 1 && (store as number) <= MAX_STORES))
        throw new InputError(
          `Items[${i}].store must be a store number 1..${MAX_STORES}, got ${JSON.stringify(store)}`,
        );
      return store as number;
    });
    const batch = asBag(input.BatchInput ?? {}, 'BatchInput');
    if (batch.runId === undefined)
      throw new InputError('BatchInput.runId is required: the training run id (the ASL passes it)');
    const runId = stringField(batch, 'runId', '', RUN_ID);
    return { stores, runId };
  },
  async run({ stores, runId }) {
    const history = new HistoryReader(s3, handlerEnv.dataBucket());
    const outcomes: StoreOutcome[] = [];
    for (const store of stores) {
      const key = salesKeys.storeOutcome(runId, store);
      const recorded = await getJson<StoreOutcome>(s3, handlerEnv.artifactsBucket(), key);
      const outcome = recorded ?? (await trainOne(store, runId, history));
      if (!recorded) await putJson(s3, handlerEnv.artifactsBucket(), key, outcome);
      outcomes.push(outcome);
    }
    const promoted = outcomes.filter((o) => o.status === 'promoted').length;
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    logger.info('batch trained', { runId, stores: stores.length, promoted, failed });
    return { stores: outcomes };
  },
});

async function trainOne(store: number, runId: string, history: HistoryReader): Promise<StoreOutcome> {
  const series = await history.series(store);
  if (!series) return { store, status: 'failed', reason: `no profile for store ${store} has arrived` };
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const report = await trainStore(series);
  const jobMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const backtest = {
    ...Object.fromEntries(report.candidates.map((c) => [c.kind, c.ok ? c.backtest.rmspe : null])),
    'last-year-weekday': report.baselines['last-year-weekday'].rmspe,
    'recent-weekday-mean': report.baselines['recent-weekday-mean'].rmspe,
  };
  const registry = registryFor(s3, SYSTEM, storeModel(store));
  const shardKey = salesKeys.shard(shardOf(store));
  const etag = await headEtag(s3, handlerEnv.dataBucket(), shardKey);
  const challenge = await runChallenge({
    adapter,
    registry,
    data: { series, report },
    rule: storePromotionRule,
    runId,
    registration: {
      trainedOn: [{ key: shardKey, etag: etag ?? '' }],
      codeVersion: handlerEnv.codeVersion(),
      parameters: { backtest, days: series.days.length },
    },
  });
  if (!challenge.ok) return { store, status: 'failed', reason: challenge.reason, backtest, cpuMs, jobMs };
  const promotion = await promoteIfBetter(registry, challenge.result);
  const family = report.best;
  const best = report.candidates.find((c) => c.kind === family);
  return {
    store,
    status: promotion.promoted ? 'promoted' : 'kept',
    reason: promotion.reason,
    ...(family ? { family } : {}),
    ...(best?.ok ? { rmspe: best.backtest.rmspe } : {}),
    backtest,
    championVersion: promotion.championVersion,
    challengerVersion: promotion.challengerVersion,
    cpuMs,
    jobMs,
  };
}

export const handler = stepHandler({ steps: { 'train-stores': trainStores } });
