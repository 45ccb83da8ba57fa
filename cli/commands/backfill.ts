import { readFileSync } from 'node:fs';
import { parseBackfillTime, runBackfill, scheduledTimes } from '../../ops/step-functions/backfill.js';
import { definitionOf, findMachine, listMachines } from '../../ops/step-functions/machines.js';
import { HELP_FLAG, parseCommandArgs, positionals, UsageError } from '../args.js';
import type { Command } from '../context.js';
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
    const definition = definitionOf(machineName);
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
      const results = await runBackfill(
        client,
        {
          definition,
          stateMachineArn: machine.stateMachineArn ?? '',
          times,
          extraInput: extra as Record<string, unknown>,
        },
        {
          pollMs: context.pollMs,
          onResult: (index, result) =>
            context.stderr(
              `  ${index + 1}/${times.length} ${result.scheduledTime.slice(0, 16)}Z ${result.name}: ${result.outcome}\n`,
            ),
        },
      );
      const failed = results.filter((r) => r.status !== 'SUCCEEDED');
      if (values.json)
        context.stdout(
          `${JSON.stringify(
            results.map(({ scheduledTime, name, status, outcome }) => ({
              scheduledTime,
              name,
              status,
              outcome,
            })),
            null,
            2,
          )}\n`,
        );
      else
        context.stdout(
          `Backfill of ${definition.name}: ${results.length} scheduled times, ${results.filter((r) => r.outcome.startsWith('ran')).length} ran now, ${results.filter((r) => r.outcome.startsWith('already')).length} had run before, ${failed.length} failed${failed.length ? ` (redrive with: ${failed.map((f) => `smlp redrive ${f.name}`).join('; ')})` : ''}\n`,
        );
      return failed.length > 0 ? 1 : 0;
    });
  },
};

function parseTime(text: string | undefined, flag: string): Date {
  if (text === undefined)
    throw new UsageError(`${flag} is required (an ISO-8601 time such as 2026-11-20T02:00Z)`);
  const date = parseBackfillTime(text);
  if (!date) throw new UsageError(`${flag} must be an ISO-8601 time, got "${text}"`);
  return date;
}
