import { randomUUID } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { type BackfillPlan, backfillExecutionName, runBackfill } from '../../ops/step-functions/backfill.js';
import type { BackfillView } from './api-types.js';

export interface BackfillRunsOptions {
  /** How often a running execution is asked about. @default 500 */
  pollMs?: number;
  /** Backfills remembered (the oldest finished ones are forgotten first). @default 20 */
  keep?: number;
}

/**
 * The backfills this console started, run in the background with `smlp backfill`'s code
 * (ops/step-functions/backfill.ts) and remembered with each time's progress, so any tab can
 * watch one: a backfill over a week of a daily machine takes minutes, longer than a request.
 * The console's only state besides caches; the executions themselves are Step Functions'.
 */
export class BackfillRuns {
  private readonly views = new Map<string, BackfillView>();
  private readonly stopping = new AbortController();
  private readonly pollMs: number;
  private readonly keep: number;

  constructor(
    private readonly client: SFNClient,
    options: BackfillRunsOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.keep = options.keep ?? 20;
  }

  /** Starts the plan in the background; the view it returns fills in as the runs end. */
  start(plan: BackfillPlan, range: { from: Date; to: Date }): BackfillView {
    const view: BackfillView = {
      id: randomUUID().slice(0, 8),
      machine: plan.definition.name,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      input: { ...plan.extraInput },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      status: 'running',
      error: null,
      runs: plan.times.map((time) => ({
        scheduledTime: time.toISOString(),
        name: backfillExecutionName(plan.definition.name, time),
        progress: 'waiting',
        status: null,
        outcome: null,
        previously: false,
      })),
    };
    this.remember(view);
    void runBackfill(this.client, plan, {
      pollMs: this.pollMs,
      signal: this.stopping.signal,
      onStart: (index) => {
        const run = view.runs[index];
        if (run) run.progress = 'running';
      },
      onResult: (index, result) => {
        const run = view.runs[index];
        if (run)
          Object.assign(run, {
            progress: 'ended',
            status: result.status,
            outcome: result.outcome,
            previously: result.previously,
          });
      },
    }).then(
      () => this.finish(view, 'finished', null),
      (error: unknown) => this.finish(view, 'stopped', (error as Error).message ?? String(error)),
    );
    return view;
  }

  byId(id: string): BackfillView | undefined {
    return this.views.get(id);
  }

  /** This machine's backfills, newest first. */
  ofMachine(machine: string): BackfillView[] {
    return [...this.views.values()].filter((view) => view.machine === machine).reverse();
  }

  /** Stops following every backfill (the console is stopping); executions already started go on. */
  stop(): void {
    this.stopping.abort(new Error('the console stopped'));
  }

  private finish(view: BackfillView, status: BackfillView['status'], error: string | null): void {
    view.status = status;
    view.error = error;
    view.finishedAt = new Date().toISOString();
  }

  private remember(view: BackfillView): void {
    this.views.set(view.id, view);
    for (const [id, old] of this.views) {
      if (this.views.size <= this.keep) break;
      if (old.status !== 'running') this.views.delete(id);
    }
  }
}
