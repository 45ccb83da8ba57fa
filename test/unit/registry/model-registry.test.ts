import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../core/registry/checksum.js';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { registerInput, testRegistry } from './registry-fixtures.js';

describe('model registry: register, promote, read', () => {
  it('registers a version: the artifact plus metadata that pins its checksum and training data', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);

    // Act
    const { version } = await registry.register(
      registerInput({ training: { startedAt: 'a', finishedAt: 'b' } }),
    );

    // Assess
    expect(version).toBe('20240301T120000Z-000001');
    const artifactBody = store.peek(`models/water/forecast/versions/${version}/model.json`)?.body ?? '';
    const metadata = JSON.parse(
      store.peek(`models/water/forecast/versions/${version}/metadata.json`)?.body ?? '{}',
    );
    expect(JSON.parse(artifactBody)).toEqual(registerInput().artifact);
    expect(metadata).toEqual({
      pipeline: 'water',
      model: 'forecast',
      version,
      registeredAt: '2024-03-01T12:00:00.000Z',
      parameters: { order: [1, 0, 1] },
      metrics: { holdoutMae: 1.5 },
      trainedOn: registerInput().trainedOn,
      codeVersion: 'test-sha',
      training: { startedAt: 'a', finishedAt: 'b' },
      artifact: { file: 'model.json', sha256: sha256Hex(artifactBody), bytes: artifactBody.length },
    });
    expect(await registry.getVersion(version)).toEqual({
      version,
      artifact: registerInput().artifact,
      metadata,
    });
  });

  it('promotes: the pointer names the version, the stable path holds its files, history has one entry', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const { version } = await registry.register(registerInput());

    // Act
    const result = await registry.promote(version, { reason: 'first model' });

    // Assess
    const pointer = {
      version,
      promotedAt: '2024-03-01T12:00:01.000Z',
      reason: 'first model',
      action: 'promote',
      previous: null,
      replaced: null,
    };
    expect(result).toEqual({ promoted: true, champion: pointer, replaced: null });
    expect(await registry.champion()).toEqual(pointer);
    expect(store.peek('models/water/forecast/champion/model.json')?.body).toBe(
      store.peek(`models/water/forecast/versions/${version}/model.json`)?.body,
    );
    expect(store.peek('models/water/forecast/champion/metadata.json')?.body).toBe(
      store.peek(`models/water/forecast/versions/${version}/metadata.json`)?.body,
    );
    expect(await registry.history()).toEqual([{ pipeline: 'water', model: 'forecast', ...pointer }]);
    expect(await store.list('models/water/forecast/history/')).toEqual([
      `models/water/forecast/history/20240301T120001.000Z-${version}.json`,
    ]);
  });

  it('replaces the champion on a second promotion and remembers the one before', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const first = await registry.register(registerInput());
    await registry.promote(first.version, { reason: 'first' });
    const second = await registry.register(registerInput({ artifact: { better: true } }));

    // Act
    const result = await registry.promote(second.version, { reason: 'MAE 1.2 vs 1.5' });

    // Assess
    expect(result).toMatchObject({ promoted: true, replaced: first.version });
    expect(await registry.champion()).toMatchObject({ version: second.version, previous: first.version });
    expect((await registry.loadChampion())?.model.artifact).toEqual({ better: true });
    expect((await registry.history()).map((entry) => [entry.version, entry.replaced])).toEqual([
      [first.version, null],
      [second.version, first.version],
    ]);
  });

  it('reports, without a new history entry, when the version already is the champion', async () => {
    // Prepare
    const registry = testRegistry(new InMemoryObjectStore());
    const { version } = await registry.register(registerInput());
    await registry.promote(version, { reason: 'first' });

    // Act
    const again = await registry.promote(version, { reason: 'retry of the same run' });

    // Assess
    expect(again).toMatchObject({ promoted: false, reason: `${version} is already the champion` });
    expect(await registry.history()).toHaveLength(1);
  });

  it('lists complete versions oldest first and leaves incomplete ones out', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const registry = testRegistry(store);
    const a = await registry.register(registerInput());
    const b = await registry.register(registerInput());
    const c = await registry.register(registerInput());
    // A training run that died after writing its artifact.
    await store.put('models/water/forecast/versions/20240301T130000Z-dead00/model.json', '{}');

    // Act
    const versions = await registry.listVersions();

    // Assess
    expect(versions).toEqual([a.version, b.version, c.version]);
    expect(await registry.getVersion('20240301T130000Z-dead00')).toBeUndefined();
    expect(await registry.getVersion('20240301T140000Z-000000')).toBeUndefined();
  });

  it('keeps pipelines apart', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const water = testRegistry(store, 'water');
    const churn = testRegistry(store, 'churn');
    const { version } = await water.register(registerInput());
    await water.promote(version, { reason: 'first' });

    // Act
    const [churnVersions, churnChampion] = await Promise.all([churn.listVersions(), churn.champion()]);

    // Assess
    expect(churnVersions).toEqual([]);
    expect(churnChampion).toBeUndefined();
  });

  it('keeps the models of one system apart, each under models/<pipeline>/<model>/', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const forecast = testRegistry(store, 'water', 'forecast');
    const leaks = testRegistry(store, 'water', 'leaks');
    const { version } = await forecast.register(registerInput());
    await forecast.promote(version, { reason: 'first' });

    // Act
    const [leakVersions, leakChampion] = await Promise.all([leaks.listVersions(), leaks.champion()]);

    // Assess
    expect(leakVersions).toEqual([]);
    expect(leakChampion).toBeUndefined();
    expect(await store.list('models/water/leaks/')).toEqual([]);
    expect((await forecast.getVersion(version))?.metadata).toMatchObject({
      pipeline: 'water',
      model: 'forecast',
    });
  });
});
