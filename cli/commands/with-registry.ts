import type { ModelRegistry } from '../../core/registry/model-registry.js';
import { HELP_FLAG, parseCommandArgs, positionals } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { REGISTRY_FLAGS, type RegistryTarget, resolveRegistryTarget } from '../registry-target.js';
import { printHelp } from './print-help.js';

/** Opens the registry, runs the work, and always releases the client (its sockets keep Node alive). */
export async function withRegistry(
  context: CliContext,
  target: RegistryTarget,
  work: (registry: ModelRegistry) => Promise<number>,
): Promise<number> {
  const handle = context.openRegistry(target);
  try {
    return await work(handle.registry);
  } finally {
    handle.close();
  }
}

/**
 * A read-only registry command whose only own flag is `--json`: parses the flags (or prints the
 * help), resolves the registry and runs the work with it.
 */
export async function runJsonRegistryCommand(
  command: Command,
  args: string[],
  context: CliContext,
  work: (registry: ModelRegistry, target: RegistryTarget, json: boolean) => Promise<number>,
): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs(command.name, args, {
    ...HELP_FLAG,
    ...REGISTRY_FLAGS,
    json: { type: 'boolean', default: false },
  });
  if (values.help) return printHelp(context, command);
  positionals(command.name, rest, 0, '');
  const target = resolveRegistryTarget(
    values,
    context.env,
    undefined,
    values.local ? context.localEndpoints()?.s3 : undefined,
  );
  return withRegistry(context, target, (registry) => work(registry, target, values.json === true));
}
