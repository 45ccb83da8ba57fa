import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { sha256Hex } from '../../core/registry/checksum.js';
import { InMemoryObjectStore } from '../../core/registry/memory-object-store.js';
import { captureContext, testRegistry, waterVersion } from './cli-fixtures.js';

/** Three versions; the first two were champion in turn, so the second is champion now. */
async function registryWithHistory() {
  const store = new InMemoryObjectStore();
  const registry = testRegistry(store);
  const v1 = await registry.register(waterVersion(1500.25, 2.5));
  const v2 = await registry.register(waterVersion(1400.5, 2.25));
  const v3 = await registry.register(waterVersion(1450, 3));
  await registry.promote(v1.version, { reason: 'first model' });
  await registry.promote(v2.version, { reason: 'MAE 10% lower' });
  return { store, registry, versions: [v1.version, v2.version, v3.version] };
}

describe('versions', () => {
  it('lists every version oldest first with order, AIC and MAE, the champion starred', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['versions'], cli.context);
    // Assess
    expect(code).toBe(0);
    const lines = cli.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+version\s+registered\s+order\s+AIC\s+holdout MAE$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      new RegExp(
        `^ {3}${versions[0]}  2024-03-01 12:00Z\\s+\\(1,0,1\\)\\(1,1,1\\)24\\s+1500\\.3\\s+2\\.500$`,
      ),
    );
    expect(lines[2]?.startsWith(`★  ${versions[1]}`)).toBe(true);
    expect(lines[3]?.startsWith(`   ${versions[2]}`)).toBe(true);
    expect(cli.closed()).toBe(1);
  });

  it('--json gives the summaries with the champion flag, --last keeps the newest', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['versions', '--json', '--last', '2'], cli.context);
    // Assess
    expect(code).toBe(0);
    const summaries = JSON.parse(cli.stdout()) as { version: string; champion: boolean; aic: number }[];
    expect(summaries.map((s) => s.version)).toEqual(versions.slice(1));
    expect(summaries.map((s) => s.champion)).toEqual([true, false]);
    expect(summaries[0]?.aic).toBe(1400.5);
  });

  it('takes the pipeline and bucket from the flags over the environment', async () => {
    // Prepare: water's versions are in the store; sensors has none.
    const { store } = await registryWithHistory();
    const cli = captureContext(store, { ARTIFACTS_BUCKET: 'from-env' });
    // Act
    const code = await main(['versions', '--pipeline', 'sensors', '--bucket', 'from-flag'], cli.context);
    // Assess
    expect(code).toBe(0);
    expect(cli.targets[0]).toMatchObject({
      pipeline: 'sensors',
      model: 'clusters',
      bucket: 'from-flag',
      local: false,
    });
    expect(cli.stdout()).toBe('No versions registered for model "sensors/clusters" in from-flag.\n');
  });

  it("reads the model --model names, apart from the system's other models", async () => {
    // Prepare
    const { store } = await registryWithHistory();
    const other = captureContext(store);
    const forecast = captureContext(store);
    // Act
    const codes = [
      await main(['versions', '--model', 'leaks'], other.context),
      await main(['versions', '--model', 'forecast', '--json'], forecast.context),
    ];
    // Assess
    expect(codes).toEqual([0, 0]);
    expect(other.targets[0]).toMatchObject({ pipeline: 'water', model: 'leaks' });
    expect(other.stdout()).toBe('No versions registered for model "water/leaks" in test-artifacts.\n');
    expect(JSON.parse(forecast.stdout())).toHaveLength(3);
  });
});

describe('champion and history', () => {
  it('champion shows the pointer and the metadata of the champion', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['champion'], cli.context);
    // Assess
    expect(code).toBe(0);
    const text = cli.stdout();
    expect(text).toContain(`Champion of model "water/forecast": ${versions[1]}`);
    expect(text).toMatch(/reason\s+MAE 10% lower/);
    expect(text).toMatch(new RegExp(`replaced\\s+${versions[0]}`));
    expect(text).toMatch(/metrics\s+aic 1400\.50, holdoutMae 2\.25000/);
  });

  it('champion --json is the pointer and metadata; no champion is exit code 1', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const withChampion = captureContext(store);
    const without = captureContext(new InMemoryObjectStore());
    // Act
    const codes = [
      await main(['champion', '--json'], withChampion.context),
      await main(['champion'], without.context),
    ];
    // Assess
    expect(codes).toEqual([0, 1]);
    const parsed = JSON.parse(withChampion.stdout()) as {
      pointer: { version: string };
      metadata: { version: string };
    };
    expect(parsed.pointer.version).toBe(versions[1]);
    expect(parsed.metadata.version).toBe(versions[1]);
    expect(without.stderr()).toMatch(/has no champion yet/);
  });

  it('history lists each change with when, what, what it replaced and why', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['history'], cli.context);
    // Assess
    expect(code).toBe(0);
    const lines = cli.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^when\s+action\s+champion\s+replaced\s+reason$/);
    expect(lines[1]).toMatch(new RegExp(`promote\\s+${versions[0]}\\s+–\\s+first model$`));
    expect(lines[2]).toMatch(new RegExp(`promote\\s+${versions[1]}\\s+${versions[0]}\\s+MAE 10% lower$`));
  });
});

describe('rollback', () => {
  it('returns to the previous champion and records the reason', async () => {
    // Prepare
    const { store, registry, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['rollback', '--reason', 'MAE doubled'], cli.context);
    // Assess
    expect(code).toBe(0);
    expect(cli.stdout()).toBe(
      `Rolled back model "water/forecast": the champion is now ${versions[0]} (was ${versions[1]}).\n`,
    );
    expect(await registry.champion()).toMatchObject({
      version: versions[0],
      action: 'rollback',
      reason: 'MAE doubled',
    });
  });

  it('--to a version that was never champion fails with the registry reason and changes nothing', async () => {
    // Prepare
    const { store, registry, versions } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['rollback', '--reason', 'try', '--to', versions[2] as string], cli.context);
    // Assess
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(new RegExp(`smlp rollback: ${versions[2]} was never champion`));
    expect((await registry.champion())?.version).toBe(versions[1]);
  });

  it('without --reason is a usage error (exit code 2) naming the flag', async () => {
    // Prepare
    const { store } = await registryWithHistory();
    const cli = captureContext(store);
    // Act
    const code = await main(['rollback'], cli.context);
    // Assess
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(/^smlp: --reason is required/);
    expect(cli.targets).toHaveLength(0);
  });
});

describe('download', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smlp-cli-download-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the champion artifact byte for byte, and the metadata next to it on request', async () => {
    // Prepare
    const { store, registry, versions } = await registryWithHistory();
    const out = path.join(dir, 'champion.json');
    const cli = captureContext(store);
    // Act
    const code = await main(['download', '--out', out, '--with-metadata'], cli.context);
    // Assess
    expect(code).toBe(0);
    const model = await registry.getVersion(versions[1] as string);
    const body = await readFile(out, 'utf8');
    expect(sha256Hex(body)).toBe(model?.metadata.artifact.sha256);
    const metadata = JSON.parse(await readFile(path.join(dir, 'champion.metadata.json'), 'utf8'));
    expect(metadata).toEqual(model?.metadata);
    expect(cli.stdout()).toMatch(/sha256 matches the registry's/);
    // The test artifact is no SARIMAX model: the user is told the forecast command cannot read it.
    expect(cli.stderr()).toMatch(/forecast command cannot read this artifact/);
  });

  it('downloads a named version; an unknown one is exit code 1, a malformed id exit code 2', async () => {
    // Prepare
    const { store, versions } = await registryWithHistory();
    const out = path.join(dir, 'v3.json');
    const cli = captureContext(store);
    // Act
    const codes = [
      await main(['download', versions[2] as string, '--out', out], cli.context),
      await main(['download', '20990101T000000Z-ffffff', '--out', out], cli.context),
      await main(['download', 'latest', '--out', out], cli.context),
    ];
    // Assess
    expect(codes).toEqual([0, 1, 2]);
    expect(await readFile(out, 'utf8')).toBe(JSON.stringify({ format: 'test-model' }));
    expect(cli.stderr()).toMatch(/has no complete version 20990101T000000Z-ffffff/);
    expect(cli.stderr()).toMatch(/"latest" is neither "champion" nor a version id/);
  });
});
