import { DescribeExecutionCommand, type DescribeExecutionOutput, type SFNClient } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../lib/config/system-definition.js';
import { renderScheduleInput } from '../../local/local-scheduler.js';
import { parseScheduleExpression } from '../../local/schedule-expression.js';
import { executionArnOf, startExecution } from './executions.js';
import { followExecution } from './follow.js';
import { OperationError } from './operation-error.js';

/**
 * A backfill: a scheduled machine run once for every time its schedule fired (or would have) in
 * a range, oldest first, each to its end before the next starts, with the input the schedule
 * sends. Each run is named for its time, so running a backfill again skips the times that ran.
 * `smlp backfill` and the console's Backfill form both run this.
 */
export interface BackfillPlan {
  /** The machine's definition in code; it must have a schedule. */
  definition: StateMachineDefinition;
  /** The deployed machine. */
  stateMachineArn: string;
  times: readonly Date[];
  /** Merged over the schedule's input. */
  extraInput: Readonly<Record<string, unknown>>;
}

/** One scheduled time's run. */
export interface BackfillResult {
  scheduledTime: string;
  name: string;
  status: string;
  /** `ran: SUCCEEDED`, `already ran: SUCCEEDED`, `ran: FAILED (error: cause)`. */
  outcome: string;
  /** A backfill before this one had started it. */
  previously: boolean;
}

export interface BackfillOptions {
  pollMs: number;
  /** Called as each time's run starts (or is found), before it is followed. */
  onStart?(index: number, name: string): void;
  onResult?(index: number, result: BackfillResult): void;
  /** Stops between and during runs (the runs already started go on). */
  signal?: AbortSignal;
}

/** Runs every time of the plan in order; resolves with one result per time. */
export async function runBackfill(
  client: SFNClient,
  plan: BackfillPlan,
  options: BackfillOptions,
): Promise<BackfillResult[]> {
  const results: BackfillResult[] = [];
  for (const [index, time] of plan.times.entries()) {
    options.signal?.throwIfAborted();
    const name = backfillExecutionName(plan.definition.name, time);
    options.onStart?.(index, name);
    const input = { ...scheduleInputAt(plan.definition, time), ...plan.extraInput };
    const description = await runOnce(client, plan.stateMachineArn, name, input, options);
    const result: BackfillResult = {
      scheduledTime: time.toISOString(),
      name,
      status: description.status ?? '',
      outcome: outcomeOf(description),
      previously: description.previously === true,
    };
    results.push(result);
    options.onResult?.(index, result);
  }
  return results;
}

/** Every time the schedule fires in [from, to]; refuses more than `max`. */
export function scheduledTimes(expression: string, from: Date, to: Date, max: number): Date[] {
  const schedule = parseScheduleExpression(expression);
  const times: Date[] = [];
  for (let at = schedule.next(from.getTime() - 1); at <= to.getTime(); at = schedule.next(at)) {
    times.push(new Date(at));
    if (times.length > max)
      throw new OperationError(
        `${expression} fires more than ${max} times between ${from.toISOString()} and ${to.toISOString()}: narrow the range (the limit is ${max} runs)`,
      );
  }
  return times;
}

/**
 * An ISO-8601 time as users type it (`2026-11-20`, `2026-11-20T02:00Z`, `2026-11-20T02:00`),
 * a time without a zone being UTC; undefined when it is none.
 */
export function parseBackfillTime(text: string): Date | undefined {
  const zoned = /Z|[+-]\d\d:?\d\d$/.test(text) || /^\d{4}-\d\d-\d\d$/.test(text);
  const date = new Date(zoned ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `water-retrain-at-20261129T0200Z`: the one name a scheduled time's run gets. */
export function backfillExecutionName(machine: string, time: Date): string {
  return `${machine}-at-${time.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}

/** The input the schedule sends at that time (its scheduled-time placeholder filled in). */
function scheduleInputAt(definition: StateMachineDefinition, time: Date): Record<string, unknown> {
  return renderScheduleInput(definition.schedule?.input ?? {}, time) as Record<string, unknown>;
}

/** Starts the run for one time, or finds the run a previous backfill started with that name. */
async function runOnce(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
  options: BackfillOptions,
): Promise<DescribeExecutionOutput & { previously?: boolean }> {
  const follow = {
    progress: () => {},
    pollMs: options.pollMs,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    const started = await startExecution(client, { stateMachineArn }, input, name);
    return await followExecution(client, started.executionArn ?? '', follow);
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    const arn = executionArnOf(stateMachineArn, name);
    const existing = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (existing.status === 'RUNNING')
      return { ...(await followExecution(client, arn, follow)), previously: true };
    return { ...existing, previously: true };
  }
}

function outcomeOf(description: DescribeExecutionOutput & { previously?: boolean }): string {
  const status = description.status ?? 'UNKNOWN';
  const when = description.previously ? 'already ran' : 'ran';
  return status === 'SUCCEEDED'
    ? `${when}: SUCCEEDED`
    : `${when}: ${status} (${description.error ?? ''}: ${description.cause ?? ''})`;
}
