import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import type { ModelRegistry } from '../../../core/registry/model-registry.js';
import { registerInput, testRegistry } from './registry-fixtures.js';

async function promoteNew(registry: ModelRegistry, reason: string): Promise<string> {
  const { version } = await registry.register(registerInput({ artifact: { reason } }));
  const result = await registry.promote(version, { reason });
  if (!result.promoted) throw new Error(`setup: ${result.reason}`);
  return version;
}

describe('model registry: rollback', () => {
  it('restores the previous champion, its stable copy, and records why', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const good = await promoteNew(registry, 'good');
    const bad = await promoteNew(registry, 'bad');

    // Act
    const result = await registry.rollback({ reason: 'forecast errors doubled' });

    // Assess
    expect(result).toMatchObject({ promoted: true, replaced: bad });
    expect(await registry.champion()).toMatchObject({
      version: good,
      action: 'rollback',
      reason: 'forecast errors doubled',
      previous: null,
      replaced: bad,
    });
    expect(JSON.parse(store.peek('models/water/forecast/champion/model.json')?.body ?? '{}')).toEqual({
      reason: 'good',
    });
    const last = (await registry.history()).at(-1);
    expect(last).toMatchObject({
      action: 'rollback',
      version: good,
      replaced: bad,
      reason: 'forecast errors doubled',
    });
  });

  it('walks further back on a second rollback instead of returning to the bad model', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const first = await promoteNew(registry, 'first');
    await promoteNew(registry, 'second');
    await promoteNew(registry, 'third');
    await registry.rollback({ reason: 'third is bad' });

    // Act
    await registry.rollback({ reason: 'second is bad too' });

    // Assess
    expect(await registry.champion()).toMatchObject({ version: first, previous: null });
    await expect(registry.rollback({ reason: 'again' })).rejects.toMatchObject({
      code: 'NoPreviousChampion',
    });
  });

  it('is a clear error when the champion is the first one', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const only = await promoteNew(registry, 'only');

    // Act
    const rollback = registry.rollback({ reason: 'bad' });

    // Assess
    await expect(rollback).rejects.toMatchObject({
      name: 'RegistryError',
      code: 'NoPreviousChampion',
      message: `model "water/forecast" has no previous champion to roll back to (champion ${only} has none before it)`,
    });
    expect((await registry.champion())?.version).toBe(only);
    expect(await registry.history()).toHaveLength(1);
  });

  it('is a clear error when there is no champion at all', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());

    // Act
    const rollback = registry.rollback({ reason: 'bad' });

    // Assess
    await expect(rollback).rejects.toMatchObject({
      code: 'NoChampion',
      message: /has no champion to roll back/,
    });
  });

  it('rolls back to a named former champion from history, and only to one', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const first = await promoteNew(registry, 'first');
    await promoteNew(registry, 'second');
    await promoteNew(registry, 'third');
    const neverChampion = (await registry.register(registerInput())).version;

    // Act
    const result = await registry.rollback({ reason: 'back to the known good one', to: first });

    // Assess
    expect(result.promoted).toBe(true);
    expect((await registry.champion())?.version).toBe(first);
    await expect(registry.rollback({ reason: 'x', to: neverChampion })).rejects.toMatchObject({
      message: `${neverChampion} was never champion of model "water/forecast"`,
    });
  });
});
