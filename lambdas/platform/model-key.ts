import { InputError, optionalString } from '../../core/data/input-fields.js';
import { isRegistryName } from '../../core/registry/layout.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { missingModelReason } from '../../lib/config/system-models.js';

export interface ModelKey {
  readonly pipeline: string;
  readonly model: string;
}

/** The system an input names, or an InputError naming the systems there are. */
export function requireSystem(
  systems: readonly SystemDefinition[],
  name: string | undefined,
): SystemDefinition {
  const system = systems.find((s) => s.name === name);
  if (!system)
    throw new InputError(
      `pipeline must name a system (${systems.map((s) => `"${s.name}"`).join(', ')}), got ${JSON.stringify(name ?? null)}`,
    );
  return system;
}

/**
 * `{ pipeline, model? }` of a lifecycle input, checked against the systems: the model defaults to
 * the system's first, and an unknown system or model is refused with the known ones named.
 */
export function parseModelKey(
  input: Record<string, unknown>,
  systems: readonly SystemDefinition[],
): ModelKey {
  const system = requireSystem(systems, optionalString(input, 'pipeline'));
  const model = optionalString(input, 'model') ?? system.models[0];
  if (model === undefined)
    throw new InputError(
      `${missingModelReason(system)}, so there is nothing to promote or roll back without one`,
    );
  // Per-key models (one per store) are named by the system; the registry's rule for names applies.
  if (!isRegistryName(model))
    throw new InputError(`model must be letters, digits, "-" and "_", got ${JSON.stringify(model)}`);
  return { pipeline: system.name, model };
}
