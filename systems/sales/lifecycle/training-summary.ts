import type { StoreOutcome, TrainingSummary } from './outcomes.js';

/**
 * A training run's summary from its stores' outcomes and the batches that failed as a whole. A
 * store in a failed batch that has no outcome of its own counts as failed with the batch's error.
 */
export function summarizeTraining(input: {
  runId: string;
  trigger: string;
  requested: number;
  outcomes: readonly StoreOutcome[];
  failedBatches: readonly { stores: readonly number[]; reason: string }[];
  finishedAt: Date;
}): TrainingSummary {
  const byStore = new Map(input.outcomes.map((o) => [o.store, o]));
  for (const batch of input.failedBatches)
    for (const store of batch.stores)
      if (!byStore.has(store))
        byStore.set(store, { store, status: 'failed', reason: `its batch failed: ${batch.reason}` });
  const stores = [...byStore.values()].sort((a, b) => a.store - b.store);
  const count = (status: StoreOutcome['status']) => stores.filter((s) => s.status === status).length;
  const cpu = stores.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs])).sort((a, b) => a - b);
  return {
    runId: input.runId,
    finishedAt: input.finishedAt.toISOString(),
    trigger: input.trigger,
    requested: input.requested,
    promoted: count('promoted'),
    kept: count('kept'),
    failed: count('failed'),
    failedBatches: input.failedBatches.length,
    failedStores: stores
      .filter((s) => s.status === 'failed')
      .map((s) => ({ store: s.store, reason: s.reason })),
    stores,
    cpuMsMedian: cpu.length === 0 ? null : (cpu[Math.floor((cpu.length - 1) / 2)] as number),
  };
}
