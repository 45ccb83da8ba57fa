import type { SystemDefinition } from './system-definition.js';

/** Whether `model` is one of the system's models: named in `models`, or a key of its keyed models. */
export function isSystemModel(system: SystemDefinition, model: string): boolean {
  if (system.models.includes(model)) return true;
  return system.keyedModels !== undefined && new RegExp(system.keyedModels.pattern).test(model);
}

/** The models a system keeps, for messages: `a, b`, or its keyed models' description. */
export function describeSystemModels(system: SystemDefinition): string {
  const named = system.models.join(', ');
  const keyed = system.keyedModels
    ? `${system.keyedModels.description}, e.g. ${system.keyedModels.example}`
    : '';
  return [named, keyed].filter(Boolean).join('; ') || 'none';
}

/**
 * Why no model could be chosen when none was named: the system keeps keyed models only (name one),
 * or none at all. Undefined when its first model is the default.
 */
export function missingModelReason(system: SystemDefinition): string | undefined {
  if (system.models[0] !== undefined) return undefined;
  if (system.keyedModels)
    return `system "${system.name}" keeps ${system.keyedModels.description}: name one (e.g. ${system.keyedModels.example})`;
  return `system "${system.name}" keeps no models in the registry (see its page: ${system.docs})`;
}
