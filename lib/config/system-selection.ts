import type { SystemDefinition } from './system-definition.js';

/**
 * The systems one deployment holds: all of them, or those a `systems` context value names
 * (`-c systems=water,churn`), in the list's order. An unknown name is an error naming the known.
 */
export function selectSystems(value: unknown, all: readonly SystemDefinition[]): readonly SystemDefinition[] {
  if (value === undefined || value === null || value === '') return all;
  const names = (Array.isArray(value) ? value : String(value).split(','))
    .map((name) => String(name).trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `Context systems must name systems (${all.map((s) => s.name).join(', ')}), comma-separated; got ${JSON.stringify(value)}`,
    );
  return all.filter((system) => names.includes(system.name));
}
