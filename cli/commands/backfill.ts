import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { renderScheduleInput } from '../../local/local-scheduler.js';
import { parseScheduleExpression } from '../../local/schedule-expression.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { CommandFailure } from '../failure.js';
import { executionArnOf } from '../sfn/executions.js';
import { followExecution } from '../sfn/follow.js';
import { findMachine, listMachines, machineDefinitions } from '../sfn/machines.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { parseInputFlag, withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

const DEFAULT_MAX = 100;

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'run a scheduled state machine for its past scheduled times, once each',
  help: `Usage: smlp backfill <state machine> --from TIME --to TIME [--input JSON] [--max N] [--json] [flags]

Runs the machine once for every time its schedule fired (or would have) from --from to --to
(both included, UTC), oldest first, each to its end before the next starts, with the input the
schedule sends (its <aws.scheduler.scheduled-time> set to that time). Each run is named for its
time (water-retrain-at-20261129T0200Z), so a backfill run again skips the times that already
ran: a name is used once. A time whose run failed is reported with the command to redrive it.
Exits with 1 when a run failed.

  --from TIME, --to TIME   ISO-8601 times, e.g. 2026-11-20 or 2026-11-20T02:00Z
  --input JSON             merged over the schedule's input (@path reads a file)
  --max N                  refuse ranges of more than N times (default ${DEFAULT_MAX})
  --json                   an array of {scheduledTime, name, status, outcome}

${SFN_FLAGS_HELP}

Examples:
  smlp backfill water-retrain --from 2026-11-25 --to 2026-11-29 --local`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(backfillCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      from: { type: 'string' },
      to: { type: 'string' },
      input: { type: 'string' },
      max: { type: 'string', default: String(DEFAULT_MAX) },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, backfillCommand);
    const [machineName] = positionals(backfillCommand.name, rest, 1, 'state machine');
    if (!machineName)
      throw new UsageError('name the scheduled state machine, e.g. "smlp backfill water-retrain"');
    const definition = machineDefinitions().find(
      (d) => d.name === machineName || machineName.endsWith(`-${d.name}`),
    );
    if (!definition) throw new UsageError(`no state machine "${machineName}" in the definitions`);
    if (!definition.schedule)
      throw new UsageError(
        `${definition.name} has no schedule: start it with "smlp start ${definition.name}"`,
      );
    const from = parseTime(values.from, '--from');
    const to = parseTime(values.to, '--to');
    if (to < from) throw new UsageError('--to is before --from');
    const max = Number(values.max);
    if (!(Number.isInteger(max) && max >= 1))
      throw new UsageError(`--max must be a whole number >= 1, got "${values.max}"`);
    const times = scheduledTimes(definition.schedule.expression, from, to, max);
    const extra = parseInputFlag(values.input, (path) => readFileSync(path, 'utf8'));
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra))
      throw new UsageError(
        '--input must be a JSON object for a backfill (it is merged over the schedule input)',
      );
    if (times.length === 0) {
      context.stderr(
        `${definition.name} (${definition.schedule.expression}) has no scheduled time in that range.\n`,
      );
      return 0;
    }
    return withSfn(context, values, async (client) => {
      const machine = findMachine(await listMachines(client), machineName);
      const results: { scheduledTime: string; name: string; status: string; outcome: string }[] = [];
      for (const [index, time] of times.entries()) {
        const name = `${definition.name}-at-${compact(time)}`;
        const input = {
          ...(renderScheduleInput(definition.schedule?.input ?? {}, time) as object),
          ...extra,
        };
        const description = await runOnce(client, context, machine.stateMachineArn ?? '', name, input);
        const outcome = outcomeOf(description);
        results.push({ scheduledTime: time.toISOString(), name, status: description.status ?? '', outcome });
        context.stderr(
          `  ${index + 1}/${times.length} ${time.toISOString().slice(0, 16)}Z ${name}: ${outcome}\n`,
        );
      }
      const failed = results.filter((r) => r.status !== 'SUCCEEDED');
      if (values.json) context.stdout(`${JSON.stringify(results, null, 2)}\n`);
      else
        context.stdout(
          `Backfill of ${definition.name}: ${results.length} scheduled times, ${results.filter((r) => r.outcome.startsWith('ran')).length} ran now, ${results.filter((r) => r.outcome.startsWith('already')).length} had run before, ${failed.length} failed${failed.length ? ` (redrive with: ${failed.map((f) => `smlp redrive ${f.name}`).join('; ')})` : ''}\n`,
        );
      return failed.length > 0 ? 1 : 0;
    });
  },
};

/** Starts the run for one time, or finds the run a previous backfill started with that name. */
async function runOnce(
  client: SFNClient,
  context: CliContext,
  machineArn: string,
  name: string,
  input: unknown,
): Promise<DescribeExecutionOutput & { previously?: boolean }> {
  try {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify(input) }),
    );
    return followExecution(client, started.executionArn ?? '', {
      progress: () => {},
      pollMs: context.pollMs,
    });
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    const arn = executionArnOf(machineArn, name);
    const existing = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (existing.status === 'RUNNING')
      return {
        ...(await followExecution(client, arn, { progress: () => {}, pollMs: context.pollMs })),
        previously: true,
      };
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

/** Every time the schedule fires in [from, to]; refuses more than `max`. */
export function scheduledTimes(expression: string, from: Date, to: Date, max: number): Date[] {
  const schedule = parseScheduleExpression(expression);
  const times: Date[] = [];
  for (let at = schedule.next(from.getTime() - 1); at <= to.getTime(); at = schedule.next(at)) {
    times.push(new Date(at));
    if (times.length > max)
      throw new CommandFailure(
        `${expression} fires more than ${max} times between ${from.toISOString()} and ${to.toISOString()}: narrow the range or raise --max`,
      );
  }
  return times;
}

function parseTime(text: string | undefined, flag: string): Date {
  if (text === undefined)
    throw new UsageError(`${flag} is required (an ISO-8601 time such as 2026-11-20T02:00Z)`);
  const date = new Date(/Z|[+-]\d\d:?\d\d$/.test(text) || /^\d{4}-\d\d-\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} must be an ISO-8601 time, got "${text}"`);
  return date;
}

/** 2026-11-29T02:00:00.000Z → 20261129T0200Z: a valid, sortable part of an execution name. */
function compact(time: Date): string {
  return `${time.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}
