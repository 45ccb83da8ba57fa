import { recentExecutions } from '../../ops/step-functions/executions.js';
import {
  definitionNames,
  listMachines,
  machineDefinitions,
  shortName,
} from '../../ops/step-functions/machines.js';
import { HELP_FLAG, parseCommandArgs, positionals } from '../args.js';
import type { Command } from '../context.js';
import { shortTime, table } from '../format.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

export const machinesCommand: Command = {
  name: 'machines',
  summary: 'list the state machines with their schedules and last execution',
  help: `Usage: smlp machines [--json] [flags]

Every state machine of the deployment (or of the running \`npm start\` with --local): its name in
the definitions, its schedule, and its newest execution with its status.

  --json   an array of {name, deployedName, schedule, lastExecution: {name, status, startDate}}

${SFN_FLAGS_HELP}

Examples:
  smlp machines --local`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(machinesCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, machinesCommand);
    positionals(machinesCommand.name, rest, 0, '');
    return withSfn(context, values, async (client) => {
      const names = definitionNames();
      const definitions = machineDefinitions();
      const rows = [];
      for (const machine of await listMachines(client)) {
        const name = shortName(machine.name ?? '', names);
        const [last] = await recentExecutions(client, machine.stateMachineArn ?? '', 1);
        rows.push({
          name,
          deployedName: machine.name,
          schedule: definitions.find((d) => d.name === name)?.schedule?.expression ?? null,
          lastExecution: last ? { name: last.name, status: last.status, startDate: last.startDate } : null,
        });
      }
      if (values.json) {
        context.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return 0;
      }
      context.stdout(
        `${table(
          ['state machine', 'schedule', 'last execution', 'status', 'started'],
          rows.map((r) => [
            r.name,
            r.schedule ?? '(on demand)',
            r.lastExecution?.name ?? '–',
            r.lastExecution?.status ?? '–',
            r.lastExecution?.startDate ? shortTime(r.lastExecution.startDate.toISOString()) : '–',
          ]),
        )}\n`,
      );
      return 0;
    });
  },
};
