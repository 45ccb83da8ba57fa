import type { HistoryEntry } from '../../core/registry/types.js';
import { HELP_FLAG, parseCommandArgs, positionals } from '../args.js';
import type { Command } from '../context.js';
import { shortTime, table } from '../format.js';
import { REGISTRY_FLAGS, REGISTRY_FLAGS_HELP, resolveRegistryTarget } from '../registry-target.js';
import { printHelp } from './print-help.js';
import { withRegistry } from './with-registry.js';

export const historyCommand: Command = {
  name: 'history',
  summary: 'list every champion change: when, what, why, what it replaced',
  help: `Usage: smlp-models history [--pipeline NAME] [--model NAME] [--json] [registry flags]

Lists the champion changes of a pipeline, oldest first: when, promote or rollback, the new
champion, the version it replaced and the reason recorded with it.

  --json       one JSON array of the history entries instead of the table

${REGISTRY_FLAGS_HELP}

Examples:
  smlp-models history --bucket smlp-dev-artifacts
  smlp-models history --local --json`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('history', args, {
      ...HELP_FLAG,
      ...REGISTRY_FLAGS,
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, historyCommand);
    positionals('history', rest, 0, '');
    const target = resolveRegistryTarget(values, context.env);
    return withRegistry(context, target, async (registry) => {
      const entries = await registry.history();
      if (values.json) context.stdout(`${JSON.stringify(entries, null, 2)}\n`);
      else if (entries.length === 0)
        context.stdout(`Model "${target.pipeline}/${target.model}" has had no champion yet.\n`);
      else context.stdout(`${historyTable(entries)}\n`);
      return 0;
    });
  },
};

export function historyTable(entries: HistoryEntry[]): string {
  return table(
    ['when', 'action', 'champion', 'replaced', 'reason'],
    entries.map((e) => [shortTime(e.promotedAt), e.action, e.version, e.replaced ?? '–', e.reason]),
  );
}
