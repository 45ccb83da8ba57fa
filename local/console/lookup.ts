import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { describeSystemModels, isSystemModel } from '../../lib/config/system-models.js';
import type { ConsoleSources } from './console-sources.js';
import { HttpError } from './route.js';

/** The system of that name in the pipeline definition; 404 for any other name (nothing else is read). */
export function systemNamed(sources: ConsoleSources, name: string | undefined): SystemDefinition {
  const system = sources.systems.find((s) => s.name === name);
  if (!system)
    throw new HttpError(
      404,
      `no system "${name}" (the systems are ${sources.systems.map((s) => s.name).join(', ')})`,
    );
  return system;
}

/** The registry of one of a system's models, over the artifacts bucket: as the CLI opens it. */
export function registryOf(
  sources: ConsoleSources,
  systemName: string | undefined,
  model: string | undefined,
) {
  const system = systemNamed(sources, systemName);
  if (!model || !isSystemModel(system, model))
    throw new HttpError(
      404,
      `system "${system.name}" has no model "${model}" (it has ${describeSystemModels(system)})`,
    );
  return new ModelRegistry({
    store: new S3ObjectStore(sources.s3, sources.artifactsBucket),
    pipeline: system.name,
    model,
  });
}
