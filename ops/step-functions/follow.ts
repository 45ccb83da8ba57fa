import { DescribeExecutionCommand, type DescribeExecutionOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { executionHistory } from './history.js';
import { type TimelineRow, timelineOf } from './timeline.js';

export interface FollowOptions {
  /** One line per state as it starts and as it ends (stderr). */
  progress(line: string): void;
  pollMs: number;
  /** Rows already reported (a redrive continues a history that was shown before). */
  skipRows?: number;
  /** Stops following (the console shutting down): rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Waits for an execution to end, reporting each state as it starts and ends; resolves with its description. */
export async function followExecution(
  client: SFNClient,
  executionArn: string,
  options: FollowOptions,
): Promise<DescribeExecutionOutput> {
  const started = new Set<number>();
  const ended = new Set<number>();
  let description: DescribeExecutionOutput;
  for (;;) {
    options.signal?.throwIfAborted();
    description = await client.send(new DescribeExecutionCommand({ executionArn }));
    const rows = timelineOf(await executionHistory(client, executionArn));
    rows.forEach((row, index) => {
      if (index < (options.skipRows ?? 0)) return;
      if (!started.has(index) && row.outcome === 'running') {
        started.add(index);
        options.progress(`  → ${row.state} (${row.type})`);
      }
      if (!ended.has(index) && row.outcome !== 'running') {
        ended.add(index);
        started.add(index);
        options.progress(describeEnd(row));
      }
    });
    if (description.status !== 'RUNNING') return description;
    await pause(options.pollMs, options.signal);
  }
}

function describeEnd(row: TimelineRow): string {
  const seconds = row.durationMs === undefined ? '' : ` ${(row.durationMs / 1000).toFixed(1)} s`;
  const retries =
    row.errors.length > 0 && row.outcome === 'ok' ? `, after ${row.errors.length} failed attempt(s)` : '';
  if (row.outcome === 'ok') return `  ✓ ${row.state}${seconds}${retries}`;
  const last = row.errors.at(-1);
  return `  ✗ ${row.state}${seconds}${last ? `: ${last.error}: ${last.cause}` : ''}`;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
