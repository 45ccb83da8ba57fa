import { isVersionId } from '../../core/registry/layout.js';
import { rollbackChampion } from '../../core/registry/registry-operations.js';
import type { PromotionResult } from '../../core/registry/types.js';
import { HELP_FLAG, parseCommandArgs, positionals, requireFlag, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { REGISTRY_FLAGS, REGISTRY_FLAGS_HELP, resolveRegistryTarget } from '../registry-target.js';
import { printHelp } from './print-help.js';
import { withRegistry } from './with-registry.js';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'make the previous (or a given former) champion the champion again',
  help: `Usage: smlp rollback --reason "TEXT" [--to VERSION] [--pipeline NAME] [--model NAME] [--json] [registry flags]

Points the champion back at the version before it (or at --to, which must have been champion
before). The reason is recorded in the history. Repeated rollbacks walk further back.
Exits with 1 when another promotion changed the champion at the same moment (nothing changed).

  --reason TEXT   why (required; shown by \`smlp history\`)
  --to VERSION    a former champion to return to (default: the one the current champion replaced)
  --json          the registry's result object instead of the text

${REGISTRY_FLAGS_HELP}

Examples:
  smlp rollback --bucket smlp-dev-artifacts --reason "MAE doubled since the last promotion"
  smlp rollback --local --to 20240301T120000Z-a1b2c3 --reason "back to the March model"`,
  async run(args, context) {
    const { values, positionals: rest } = parseCommandArgs('rollback', args, {
      ...HELP_FLAG,
      ...REGISTRY_FLAGS,
      reason: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) return printHelp(context, rollbackCommand);
    positionals('rollback', rest, 0, '');
    const reason = requireFlag(
      values.reason,
      '--reason',
      'say why, e.g. --reason "MAE doubled since Monday"',
    );
    if (values.to !== undefined && !isVersionId(values.to))
      throw new UsageError(`--to must be a version id such as 20240301T120000Z-a1b2c3, got "${values.to}"`);
    const target = resolveRegistryTarget(
      values,
      context.env,
      undefined,
      values.local ? context.localEndpoints()?.s3 : undefined,
    );
    return withRegistry(context, target, async (registry) => {
      const { result, settled } = await rollbackChampion(registry, { reason, to: values.to });
      if (values.json) context.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else context.stdout(`${describeRollback(`${target.pipeline}/${target.model}`, result)}\n`);
      // "Already the champion" is the state asked for; a lost race is not.
      return settled ? 0 : 1;
    });
  },
};

export function describeRollback(pipeline: string, result: PromotionResult): string {
  if (result.promoted)
    return `Rolled back model "${pipeline}": the champion is now ${result.champion.version} (was ${result.replaced ?? 'none'}).`;
  return `Nothing changed for model "${pipeline}": ${result.reason}.`;
}
