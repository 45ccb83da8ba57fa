import type { HistoryEntry } from '../../core/registry/types.js';
import type { Command } from '../context.js';
import { shortTime, table } from '../format.js';
import { REGISTRY_FLAGS_HELP } from '../registry-target.js';
import { runJsonRegistryCommand } from './with-registry.js';

export const historyCommand: Command = {
  name: 'history',
  summary: 'list every champion change: when, what, why, what it replaced',
  help: `Usage: smlp history [--pipeline NAME] [--model NAME] [--json] [registry flags]

Lists the champion changes of a pipeline, oldest first: when, promote or rollback, the new
champion, the version it replaced and the reason recorded with it.

  --json       one JSON array of the history entries instead of the table

${REGISTRY_FLAGS_HELP}

Examples:
  smlp history --bucket smlp-dev-artifacts
  smlp history --local --json`,
  run(args, context) {
    return runJsonRegistryCommand(historyCommand, args, context, async (registry, target, json) => {
      const entries = await registry.history();
      if (json) context.stdout(`${JSON.stringify(entries, null, 2)}\n`);
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
