import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { ModelRegistry } from '../../../core/registry/model-registry.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';
import type { PromotionResult } from '../../../core/registry/types.js';
import { countingHex, gateReads, registerInput, steppingClock, testRegistry } from './registry-fixtures.js';

const POINTER = 'models/water/forecast/champion.json';

describe('model registry: promotion is safe under concurrency and partial writes', () => {
  it('lets exactly one of two simultaneous first promotions win; the other reports losing', async () => {
    // Prepare: both promotions read "no champion yet" before either writes.
    const store = new InMemoryObjectStore();
    const registry = testRegistry(gateReads(store, POINTER, 2));
    const a = await registry.register(registerInput());
    const b = await registry.register(registerInput());

    // Act
    const results = await Promise.all([
      registry.promote(a.version, { reason: 'retrain A' }),
      registry.promote(b.version, { reason: 'retrain B' }),
    ]);

    // Assess
    const winners = results.filter((result) => result.promoted);
    const losers = results.filter(
      (result): result is Extract<PromotionResult, { promoted: false }> => !result.promoted,
    );
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const champion = await registry.champion();
    expect(losers[0]?.reason).toBe(`lost a concurrent promotion to ${champion?.version}`);
    expect(await registry.history()).toHaveLength(1);
    expect(JSON.parse(store.peek('models/water/forecast/champion/metadata.json')?.body ?? '{}').version).toBe(
      champion?.version,
    );
  });

  it('lets exactly one of two simultaneous promotions replace an existing champion', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const setup = testRegistry(store);
    const first = await setup.register(registerInput());
    await setup.promote(first.version, { reason: 'first' });
    const a = await setup.register(registerInput());
    const b = await setup.register(registerInput());
    const registry = new ModelRegistry({
      store: gateReads(store, POINTER, 2),
      pipeline: 'water',
      model: 'forecast',
      now: steppingClock('2024-03-02T00:00:00.000Z'),
      randomHex: countingHex(),
    });

    // Act
    const results = await Promise.all([
      registry.promote(a.version, { reason: 'A' }),
      registry.promote(b.version, { reason: 'B' }),
    ]);

    // Assess
    expect(results.filter((result) => result.promoted)).toHaveLength(1);
    const history = await registry.history();
    expect(history.map((entry) => entry.replaced)).toEqual([null, first.version]);
    expect((await registry.champion())?.version).toBe(history[1]?.version);
  });

  it('refuses a promotion judged against a champion that has since been replaced', async () => {
    // Prepare: two retrains were both judged against "no champion"; the first has already won.
    const registry = testRegistry(new InMemoryObjectStore());
    const a = await registry.register(registerInput());
    const b = await registry.register(registerInput());
    await registry.promote(a.version, { reason: 'A beat nothing', expectedChampion: null });

    // Act
    const late = await registry.promote(b.version, { reason: 'B beat nothing', expectedChampion: null });

    // Assess
    expect(late).toMatchObject({ promoted: false, reason: `lost a concurrent promotion to ${a.version}` });
    expect((await registry.champion())?.version).toBe(a.version);
    expect(await registry.history()).toHaveLength(1);
  });

  it('refuses to promote a version whose metadata was never written', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const version = '20240301T120000Z-abcdef';
    await store.put(`models/water/forecast/versions/${version}/model.json`, '{"half":"written"}');

    // Act
    const promotion = registry.promote(version, { reason: 'should not happen' });

    // Assess
    await expect(promotion).rejects.toMatchObject({
      name: 'RegistryError',
      code: 'IncompleteVersion',
      message: `version ${version} of model "water/forecast" is incomplete: metadata.json is missing`,
    });
    expect(await registry.champion()).toBeUndefined();
    expect(await store.list('models/water/forecast/champion')).toEqual([]);
  });

  it('refuses to promote a version whose artifact does not match its checksum', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const { version } = await registry.register(registerInput());
    await store.put(`models/water/forecast/versions/${version}/model.json`, '{"tampered":true}');

    // Act
    const promotion = registry.promote(version, { reason: 'should not happen' });

    // Assess
    await expect(promotion).rejects.toMatchObject({
      code: 'ChecksumMismatch',
      message: /has sha256 .* expects/,
    });
    expect(await registry.champion()).toBeUndefined();
  });

  it('refuses to promote a version that does not exist', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());

    // Act
    const promotion = registry.promote('20240301T120000Z-abcdef', { reason: 'typo' });

    // Assess
    await expect(promotion).rejects.toMatchObject({ code: 'UnknownVersion' });
  });

  it('keeps history append-only: a second write of the same entry is refused', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const { version } = await registry.register(registerInput());
    await registry.promote(version, { reason: 'first' });
    const [entryKey] = await store.list('models/water/forecast/history/');
    const original = store.peek(entryKey ?? '')?.body;

    // Act
    const rewrite = store.put(entryKey ?? '', '{"forged":true}', { ifNoneMatch: '*' });
    await registry.repair();

    // Assess
    await expect(rewrite).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.peek(entryKey ?? '')?.body).toBe(original);
    expect(await registry.history()).toHaveLength(1);
  });

  it('treats the pointer as the truth when the run dies after writing it; repair() brings the rest up', async () => {
    // Prepare: a store that fails every write after the pointer, like a Lambda that timed out there.
    const store = new InMemoryObjectStore();
    let pointerWritten = false;
    const crashing = {
      get: store.get.bind(store),
      list: store.list.bind(store),
      async put(key: string, body: string, options?: Parameters<InMemoryObjectStore['put']>[2]) {
        if (pointerWritten) throw new Error('Task timed out');
        const result = await store.put(key, body, options);
        pointerWritten = key === POINTER;
        return result;
      },
    };
    const registry = testRegistry(crashing);
    const { version } = await registry.register(registerInput());
    await expect(registry.promote(version, { reason: 'crashes' })).rejects.toThrow('Task timed out');
    pointerWritten = false;

    // Act
    const repaired = await testRegistry(store).repair();

    // Assess
    expect(repaired?.version).toBe(version);
    expect(JSON.parse(store.peek('models/water/forecast/champion/metadata.json')?.body ?? '{}').version).toBe(
      version,
    );
    expect((await testRegistry(store).history()).map((entry) => entry.version)).toEqual([version]);
  });
});
