import type { ModelRegistry } from '../../core/registry/model-registry.js';
import { readVersions } from '../../core/registry/registry-operations.js';
import { HELP_FLAG, intFlag, parseCommandArgs, positionals } from '../args.js';
import type { Command } from '../context.js';
import { fixed, shortTime, table } from '../format.js';
import { REGISTRY_FLAGS, REGISTRY_FLAGS_HELP, resolveRegistryTarget } from '../registry-target.js';
import { summarizeVersion, type VersionSummary } from '../version-summary.js';
import { printHelp } from './print-help.js';
import { withRegistry } from './with-registry.js';

export const versionsCommand: Command = {
  name: 'versions',
  summary: 'list the registered model versions, the champion marked ★',
  help: `Usage: smlp versions [--pipeline NAME] [--model NAME] [--last N] [--json] [registry flags]

Lists the complete versions of a pipeline's model registry, oldest first: id, registration
time, order, AIC and holdout MAE (from the version's metadata). ★ marks the champion.

  --last N     only the N most recent versions
  --json       one JSON array instead of the table

${REGISTRY_FLAGS_HELP}

Examples:
  smlp versions --bucket smlp-dev-artifacts
  smlp versions --local --last 5
  ARTIFACTS_BUCKET=smlp-dev-artifacts smlp versions --json | jq '.[] | select(.champion)'`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('versions', args, {
      ...HELP_FLAG,
      ...REGISTRY_FLAGS,
      last: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, versionsCommand);
    positionals('versions', rest, 0, '');
    const last = intFlag(values.last, '--last', {
      min: 1,
      max: 1_000_000,
      fallback: Number.POSITIVE_INFINITY,
    });
    const target = resolveRegistryTarget(
      values,
      context.env,
      undefined,
      values.local ? context.localEndpoints()?.s3 : undefined,
    );
    return withRegistry(context, target, async (registry) => {
      const summaries = await listSummaries(registry, last);
      if (values.json) context.stdout(`${JSON.stringify(summaries, null, 2)}\n`);
      else if (summaries.length === 0)
        context.stdout(
          `No versions registered for model "${target.pipeline}/${target.model}" in ${target.bucket}.\n`,
        );
      else context.stdout(`${versionsTable(summaries)}\n`);
      return 0;
    });
  },
};

/** The summaries of the last `last` versions, oldest first; incomplete versions are left out. */
export async function listSummaries(registry: ModelRegistry, last = Number.POSITIVE_INFINITY) {
  const { versions, champion } = await readVersions(registry, last);
  return versions.map((model): VersionSummary => summarizeVersion(model, champion?.version));
}

export function versionsTable(summaries: VersionSummary[]): string {
  return table(
    ['', 'version', 'registered', 'order', 'AIC', 'holdout MAE'],
    summaries.map((s) => [
      s.champion ? '★' : '',
      s.version,
      shortTime(s.registeredAt),
      s.order ?? '–',
      fixed(s.aic, 1),
      fixed(s.holdoutMae, 3),
    ]),
    ['left', 'left', 'left', 'left', 'right', 'right'],
  );
}
