import { findExecution } from '../../ops/step-functions/executions.js';
import { executionHistory } from '../../ops/step-functions/history.js';
import { type TimelineRow, timelineOf } from '../../ops/step-functions/timeline.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { keyValues, shortTime, table } from '../format.js';
import { SFN_FLAGS, SFN_FLAGS_HELP } from '../sfn/target.js';
import { withSfn } from '../sfn/with-sfn.js';
import { printHelp } from './print-help.js';

export const executionCommand: Command = {
  name: 'execution',
  summary: 'show one execution: its input, outcome and timeline of states',
  help: `Usage: smlp execution <name|ARN> [--machine NAME] [--json] [flags]

One execution as the console shows it: status, input, output or error, and each state it ran
in order with its duration and the errors its attempts met (a retried task shows them too).
A name alone is found among the machine whose name it starts with (water-retrain-1a2b3c4d);
--machine says which one otherwise.

  --machine NAME   the state machine the execution belongs to
  --json           {"execution": DescribeExecution, "timeline": [{state, type, enteredAt,
                   exitedAt, durationMs, outcome, errors, input, output}]}

${SFN_FLAGS_HELP}

Examples:
  smlp execution water-retrain-1a2b3c4d --local
  smlp execution arn:aws:states:eu-west-1:123456789012:execution:smlp-dev-archive:archive-1a2b3c4d`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs(executionCommand.name, args, {
      ...HELP_FLAG,
      ...SFN_FLAGS,
      machine: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, executionCommand);
    const [name] = positionals(executionCommand.name, rest, 1, 'execution');
    if (!name)
      throw new UsageError(
        'name the execution (its name or ARN), e.g. "smlp execution water-retrain-1a2b3c4d"',
      );
    return withSfn(context, values, async (client) => {
      const execution = await findExecution(client, name, values.machine);
      const timeline = timelineOf(await executionHistory(client, execution.executionArn ?? ''));
      if (values.json) {
        context.stdout(`${JSON.stringify({ execution, timeline }, null, 2)}\n`);
        return 0;
      }
      context.stdout(`${describeExecutionText(execution, timeline)}\n`);
      return 0;
    });
  },
};

function describeExecutionText(
  execution: Awaited<ReturnType<typeof findExecution>>,
  timeline: TimelineRow[],
): string {
  const summary = keyValues([
    [
      'status',
      `${execution.status}${execution.redriveCount ? ` (redriven ${execution.redriveCount}×)` : ''}`,
    ],
    ['state machine', execution.stateMachineArn?.split(':').at(-1) ?? '–'],
    ['started', shortTime(execution.startDate?.toISOString() ?? '')],
    ['stopped', execution.stopDate ? shortTime(execution.stopDate.toISOString()) : '– (running)'],
    ['input', execution.input ?? '{}'],
    ...(execution.error
      ? [['error', `${execution.error}: ${execution.cause ?? ''}`] as [string, string]]
      : []),
    ...(execution.output ? [['output', truncate(execution.output, 300)] as [string, string]] : []),
  ]);
  const rows = timeline.map((row) => [
    `${row.redrive ? `↻${row.redrive} ` : ''}${row.state}`,
    row.type,
    row.durationMs === undefined ? '…' : `${(row.durationMs / 1000).toFixed(2)} s`,
    row.outcome,
    row.errors.length > 0 ? truncate(row.errors.map((e) => `${e.error}: ${e.cause}`).join(' | '), 100) : '',
  ]);
  return [
    `Execution ${execution.name}`,
    '',
    summary,
    '',
    table(['state', 'type', 'took', 'outcome', 'errors'], rows, ['left', 'left', 'right', 'left', 'left']),
  ].join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
