import { findExecution, redriveExecution } from '../../ops/step-functions/executions.js';
import { followExecution } from '../../ops/step-functions/follow.js';
import { executionHistory } from '../../ops/step-functions/history.js';
import { timelineOf } from '../../ops/step-functions/timeline.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { reportEnd } from '../sfn/report-end.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

export const redriveCommand: Command = {
  name: 'redrive',
  summary: 'redrive a failed execution from the state that failed, and follow it',
  help: `Usage: smlp redrive <name|ARN> [--machine NAME] [--detach] [--json] [flags]

Restarts a failed execution from its unsuccessful step with the input that step had, as Step
Functions' RedriveExecution does: the states that succeeded do not run again, and it stays the
same execution (its redrive count goes up). An error a Catch routed into a Fail state makes
that Fail state the unsuccessful step: the redrive then fails again, on AWS as here.

  --machine NAME   the state machine the execution belongs to (when its name does not say)
  --detach         return once redriven, without waiting
  --json           the final DescribeExecution as JSON

${SFN_FLAGS_HELP}

Examples:
  smlp redrive water-retrain-1a2b3c4d --local`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(redriveCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      machine: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, redriveCommand);
    const [name] = positionals(redriveCommand.name, rest, 1, 'execution');
    if (!name) throw new UsageError('name the execution to redrive (its name or ARN)');
    return withSfn(context, values, async (client) => {
      const execution = await findExecution(client, name, values.machine);
      const arn = execution.executionArn ?? '';
      const shownBefore = timelineOf(await executionHistory(client, arn)).length;
      const redriven = await redriveExecution(client, arn);
      context.stderr(`Redriven ${execution.name} at ${redriven.redriveDate?.toISOString()}\n`);
      if (values.detach) return 0;
      const description = await followExecution(client, arn, {
        progress: (line) => context.stderr(`${line}\n`),
        pollMs: context.pollMs,
        skipRows: shownBefore,
      });
      return reportEnd(
        context,
        execution.stateMachineArn?.split(':').at(-1) ?? '',
        description,
        values.json === true,
      );
    });
  },
};
