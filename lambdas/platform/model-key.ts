import { InputError, optionalString, stringField } from '../../core/data/input-fields.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';

export interface ModelKey {
  readonly pipeline: string;
  readonly model: string;
}

/**
 * `{ pipeline, model? }` of a lifecycle input, checked against the systems: the model defaults to
 * the system's first, and an unknown system or model is refused with the known ones named.
 */
export function parseModelKey(
  input: Record<string, unknown>,
  systems: readonly SystemDefinition[],
): ModelKey {
  const pipeline = stringField(input, 'pipeline', '');
  const system = systems.find((s) => s.name === pipeline);
  if (!system)
    throw new InputError(
      `pipeline must name a system (${systems.map((s) => `"${s.name}"`).join(', ')}), got ${JSON.stringify(input.pipeline)}`,
    );
  const model = optionalString(input, 'model') ?? system.models[0];
  // Per-key models (one per store) are named by the system; the registry checks the name's shape.
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(model))
    throw new InputError(`model must be letters, digits, "-" and "_", got ${JSON.stringify(model)}`);
  return { pipeline, model };
}
