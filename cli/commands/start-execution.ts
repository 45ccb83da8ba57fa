import { readFileSync } from 'node:fs';
import { startExecution } from '../../ops/step-functions/executions.js';
import { followExecution } from '../../ops/step-functions/follow.js';
import { findMachine, listMachines } from '../../ops/step-functions/machines.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { reportEnd } from '../sfn/report-end.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { parseInputFlag, withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'start a state machine and follow it state by state to its end',
  help: `Usage: smlp start <state machine> [--input JSON|@file] [--name NAME] [--detach] [--json] [flags]

Starts an execution, as the console's "Start execution" does, then prints each state as it
starts and ends, and the outcome. The machine is its name in the definitions (water-retrain),
its deployed name or its ARN. Exits with 1 when the execution does not succeed.

  --input JSON     the execution input (default {}); @path reads it from a file
  --name NAME      the execution name (default <machine>-<8 hex>); a name is used once:
                   starting it again with the same input while it runs returns the same run
  --detach         return once started, without waiting
  --json           the final DescribeExecution (or, with --detach, the start) as JSON

${SFN_FLAGS_HELP}

Examples:
  smlp start water-retrain --local
  smlp start water-retrain --local --input '{"holdoutHours": 24, "rule": {"minRelativeImprovement": 0.02}}'
  smlp start sensors-training --detach`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(startCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      input: { type: 'string' },
      name: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, startCommand);
    const [machineName] = positionals(startCommand.name, rest, 1, 'state machine');
    if (!machineName)
      throw new UsageError('name the state machine to start, e.g. "smlp start water-retrain"');
    const input = parseInputFlag(values.input, (path) => readFileSync(path, 'utf8'));
    return withSfn(context, values, async (client) => {
      const machine = findMachine(await listMachines(client), machineName);
      // Named like npm start's runs (unless --name), so `smlp execution NAME` finds the machine from the name.
      const started = await startExecution(client, machine, input, values.name);
      const arn = started.executionArn ?? '';
      context.stderr(`Started ${arn.split(':').at(-1)} (${arn})\n`);
      if (values.detach) {
        if (values.json) context.stdout(`${JSON.stringify(started, null, 2)}\n`);
        return 0;
      }
      const description = await followExecution(client, arn, {
        progress: (line) => context.stderr(`${line}\n`),
        pollMs: context.pollMs,
      });
      return reportEnd(context, machine.name ?? machineName, description, values.json === true);
    });
  },
};
