import type { ModelRegistry } from '../../core/registry/model-registry.js';
import type { CliContext } from '../context.js';
import type { RegistryTarget } from '../registry-target.js';

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
