import type { CandidateKind } from '../model/types.js';

/** What one store's training job ended with: the rows of a training run's summary. */
export interface StoreOutcome {
  readonly store: number;
  /** `failed`: no candidate fitted or the history was missing; the champion (if any) is kept. */
  readonly status: 'promoted' | 'kept' | 'failed';
  readonly reason: string;
  /** The family the challenger came from, and its backtest RMSPE. */
  readonly family?: CandidateKind;
  readonly rmspe?: number;
  /** Each family's backtest RMSPE (null: it did not fit), and the baselines'. */
  readonly backtest?: Readonly<Record<string, number | null>>;
  readonly championVersion?: string | null;
  readonly challengerVersion?: string;
  /**
   * CPU time of the process during the store's whole job (candidates, backtests, final fits,
   * baselines), in milliseconds: the job's own on Lambda (one invocation per process); locally,
   * with Distributed Map children in worker threads, the other threads' work is in it too.
   */
  readonly cpuMs?: number;
  /** Wall time of the job, in milliseconds: its CPU time when its thread had a core to itself. */
  readonly jobMs?: number;
}

/** A training run's summary: counts, the failed stores and every store's outcome. */
export interface TrainingSummary {
  readonly runId: string;
  readonly finishedAt: string;
  readonly trigger: string;
  readonly requested: number;
  readonly promoted: number;
  readonly kept: number;
  readonly failed: number;
  /** Stores of batches the Distributed Map reported failed (within the tolerated share). */
  readonly failedBatches: number;
  readonly failedStores: readonly { readonly store: number; readonly reason: string }[];
  readonly stores: readonly StoreOutcome[];
  /** Median CPU per store, milliseconds. */
  readonly cpuMsMedian: number | null;
}
