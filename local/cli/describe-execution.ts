import type { ExecutionRecord } from '../state-machine-runner.js';

/** The one line `npm start` prints when an execution ends: what it did, in words. */
export function describeExecution(
  machine: string,
  record: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>,
): string {
  const output = (record.output ?? {}) as Record<string, unknown>;
  if (record.status !== 'SUCCEEDED') return `${record.error}: ${record.cause ?? ''}`;
  if (output.noNewData) return 'no new data';
  if (typeof output.skipped === 'string') return `nothing sent: ${output.skipped}`;
  if (typeof output.produced === 'number') {
    const cursor = output.cursor as { offset: number; total: number } | undefined;
    const alreadySent =
      typeof output.alreadySent === 'number' && output.alreadySent > 0
        ? `; ${output.alreadySent} rows of an interrupted run's slice were already on the stream, not sent again`
        : '';
    return `${output.produced} records sent (cursor ${cursor?.offset}/${cursor?.total})${alreadySent}`;
  }
  if (machine === 'archive') return `${output.moved ?? 0} objects archived`;
  const decision = (output.decision ?? output) as { promoted?: boolean; reason?: string };
  if (typeof decision.promoted === 'boolean')
    return `${decision.promoted ? 'promoted' : 'not promoted'}: ${decision.reason}`;
  return 'done';
}
