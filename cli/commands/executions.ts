import type { ExecutionListItem, ExecutionStatus } from '@aws-sdk/client-sfn';
import { recentExecutions } from '../../ops/step-functions/executions.js';
import { definitionNames, findMachine, listMachines, shortName } from '../../ops/step-functions/machines.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { shortTime, table } from '../format.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

export const executionsCommand: Command = {
  name: 'executions',
  summary: 'list recent executions, of one state machine or of all',
  help: `Usage: smlp executions [<state machine>] [--status S] [--last N] [--json] [flags]

The newest executions first: name, state machine, status, start, duration, redrives. Without a
machine, the newest of every machine, merged.

  --status S   only ${STATUSES.join(', ')}
  --last N     at most N executions (default 20)
  --json       an array of {name, stateMachine, status, startDate, stopDate, redriveCount, executionArn}

${SFN_FLAGS_HELP}

Examples:
  smlp executions --local
  smlp executions water-retrain --status FAILED --local`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(executionsCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      status: { type: 'string' },
      last: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, executionsCommand);
    const [machineName] = positionals(executionsCommand.name, rest, 1, 'state machine');
    const last = Number(values.last);
    if (!(Number.isInteger(last) && last >= 1 && last <= 1000))
      throw new UsageError(`--last must be a whole number from 1 to 1000, got "${values.last}"`);
    const status = values.status?.toUpperCase();
    if (status !== undefined && !STATUSES.includes(status as never))
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got "${values.status}"`);
    return withSfn(context, values, async (client) => {
      const machines = await listMachines(client);
      const chosen = machineName ? [findMachine(machines, machineName)] : machines;
      const executions: ExecutionListItem[] = [];
      for (const machine of chosen)
        executions.push(
          ...(await recentExecutions(client, machine.stateMachineArn ?? '', last, status as ExecutionStatus)),
        );
      executions.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
      const shown = executions.slice(0, last);
      const names = definitionNames();
      const machineOf = (e: ExecutionListItem) =>
        shortName(e.stateMachineArn?.split(':').at(-1) ?? '', names);
      if (values.json) {
        context.stdout(
          `${JSON.stringify(
            shown.map((e) => ({
              name: e.name,
              stateMachine: machineOf(e),
              status: e.status,
              startDate: e.startDate,
              stopDate: e.stopDate,
              redriveCount: e.redriveCount ?? 0,
              executionArn: e.executionArn,
            })),
            null,
            2,
          )}\n`,
        );
        return 0;
      }
      if (shown.length === 0) {
        context.stdout(
          `No executions${status ? ` with status ${status}` : ''}${machineName ? ` of ${machineName}` : ''}.\n`,
        );
        return 0;
      }
      const rows = shown.map((e) => [
        e.name ?? '',
        machineOf(e),
        e.status ?? '',
        shortTime(e.startDate?.toISOString() ?? ''),
        e.stopDate && e.startDate
          ? `${((e.stopDate.getTime() - e.startDate.getTime()) / 1000).toFixed(1)} s`
          : '–',
        String(e.redriveCount ?? 0),
      ]);
      context.stdout(
        `${table(['execution', 'state machine', 'status', 'started', 'took', 'redrives'], rows, ['left', 'left', 'left', 'left', 'right', 'right'])}\n`,
      );
      return 0;
    });
  },
};
