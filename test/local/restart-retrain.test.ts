import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { getBytes, getJson, S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { decodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { listKeys } from '../../local/inspect-data.js';
import { LOCAL_REGION } from '../../local/local-environment.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { systems } from '../../systems/index.js';
import type { HourlyBuckets } from '../../systems/water/model/hourly-series.js';
import { waterKeys } from '../../systems/water/store/keys.js';
import { landedKeys, sentAgainstLanded } from '../faults/invariants.js';
import { isAlive, spawnTsx } from '../support/processes.js';

/** Simulated seconds per real second, for both sessions and the restarted runtime (the same clock, as a user restarting `npm start` would keep it). */
const SPEED = 600;
/**
 * Restart is a normal event, also in the middle of a retrain: `npm start` killed with SIGKILL
 * while the scheduled water-retrain is training (its collect step has merged the new raw objects
 * into the hourly series and written the run's manifest; nothing is decided yet), then started
 * again on the same data directory, still has a complete champion, has promoted nothing
 * half-done, has lost no reading from the series and no record from raw/ and archive/, and
 * retrains. (The scheduled retrain searches SARIMAX orders, for up to two minutes by default: time
 * enough for the kill to land in it.)
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
const runtimes: LocalRuntime[] = [];
afterAll(async () => {
  await Promise.allSettled(runtimes.map((runtime) => runtime.stop()));
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The names `npm start` gives its buckets. */
const names = resourceNames({ prefix: defaultConfig.prefix, stage: 'local' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `npm start` as restart.test.ts runs it: node and tsx, without npm's wrappers and their signal relaying. */
function npmStart(dataDir: string, args: string[]) {
  const { child, printed } = spawnTsx('local/cli/start.ts', ['--data-dir', dataDir, ...args], children);
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  /** Waits for a line it prints (an observable event), failing if it ends first. */
  const waitFor = async (pattern: RegExp, timeoutMs = 180_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = printed.stdout.match(pattern);
      if (match) return match;
      if (ended() || Date.now() > deadline)
        throw new Error(`npm start never printed ${pattern}:\n${printed.stdout}\n${printed.stderr}`);
      await sleep(20);
    }
  };
  /** The emulators' supervisors (as printed) and the emulators under them. */
  const processes = async () => {
    const line = (await waitFor(/Processes (.*)\n/))[1] ?? '';
    const supervisors = (line.match(/pid (\d+)/g) ?? []).map((m) => Number(m.slice(4)));
    const emulators = supervisors.flatMap((pid) =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
    return [...supervisors, ...emulators];
  };
  return { child, waitFor, processes, ended, output: () => printed.stdout, errors: () => printed.stderr };
}

/**
 * Waits until a key under `prefix` matching `pattern` is in a bucket of a running `npm start`
 * (through the S3 endpoint it printed), checking every 20 ms; returns the key.
 */
async function untilListed(
  session: ReturnType<typeof npmStart>,
  bucket: string,
  prefix: string,
  pattern = /./,
): Promise<string> {
  const endpoint = (await session.waitFor(/ {2}S3 +(http:\/\/\S+)/))[1] as string;
  const probe = new S3Client({
    region: LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      const keys = await listKeys(probe, bucket, prefix).catch(() => []);
      const key = keys.find((k) => pattern.test(k));
      if (key) return key;
      if (session.ended() || Date.now() > deadline)
        throw new Error(
          `no ${prefix} key matching ${pattern} in ${bucket}:\n${session.output()}\n${session.errors()}`,
        );
      await sleep(20);
    }
  } finally {
    probe.destroy();
  }
}

/** Waits until none of the processes is alive (the supervisors stop the emulators on their own). */
async function gone(pids: number[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`still running: ${pids.filter(isAlive).join(', ')}`);
    await sleep(50);
  }
}

/**
 * For each system that streams: every record its producer sent (the stream share up to its
 * cursor) is in raw/ or archive/ of the system, and none more often than the data set holds it.
 */
async function expectEachSentRecordOnce(runtime: LocalRuntime, when: string) {
  for (const system of systems) {
    if (!system.dataset || !system.stream) continue;
    const { sentValid, lost, twice } = await sentAgainstLanded(runtime, {
      system,
      source: {},
      initialShare: system.stream.initialShare ?? 0,
    });
    expect(sentValid, `${system.name}: records sent ${when}`).toBeGreaterThan(0);
    expect(lost, `${system.name}: sent but in neither raw/ nor archive/ ${when}`).toEqual([]);
    expect(twice, `${system.name}: in raw/ or archive/ more often than sent ${when}`).toEqual([]);
  }
}

const seriesKeys = async (runtime: LocalRuntime) =>
  (await getJson<HourlyBuckets>(runtime.s3, runtime.names.dataBucket, waterKeys.hourlyBuckets))?.seen ?? [];

describe('a runtime killed in the middle of a retrain, started again', () => {
  it('keeps a complete champion, promotes nothing half-done, loses no reading or record, and retrains', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-restart-retrain-'));
    dirs.push(dataDir);

    // Prepare: a first session streams, ingests and trains its first model by itself, as npm
    // start does for a system with a first model; its clock starts 22 simulated hours (over two
    // minutes) before the 02:00 retrain, and Ctrl-C (SIGINT) stops it, waiting for running
    // executions, once raw/water/ holds records for that retrain.
    const first = npmStart(dataDir, ['--speed', String(SPEED), '--start', '2026-11-29T04:00:00Z']);
    const firstProcesses = await first.processes();
    expect((await first.waitFor(/water-init-model [✔✘].*/))[0]).toMatch(
      /water-init-model ✔ promoted: no champion yet/,
    );
    await untilListed(first, names.dataBucket, 'raw/water/');
    first.child.kill('SIGINT');
    await first.waitFor(/✔ Stopped\./);
    await gone(firstProcesses);
    expect(first.output(), 'the first session must stop before 02:00').not.toMatch(
      /water-retrain (started|[✔✘])/,
    );

    // Act: a second session, its clock 30 simulated seconds before water-retrain fires at 02:00.
    // Once the run's collect step has written its manifest, the run is training: kill -9.
    const second = npmStart(dataDir, ['--speed', String(SPEED), '--start', '2026-11-30T01:59:30Z']);
    const secondProcesses = await second.processes();
    await second.waitFor(/water-retrain started\n/);
    const manifest = await untilListed(
      second,
      names.artifactsBucket,
      'runs/water/water-retrain-',
      /\/data\.json$/,
    );
    process.kill(second.child.pid as number, 'SIGKILL');
    await gone(secondProcesses);
    const killedRun = manifest.split('/')[2] as string;

    // Started again on the same data directory (no scheduler: the test starts what it needs)
    const runtime = await LocalRuntime.start({
      dataDir,
      shardCount: 4,
      pollIntervalMs: 50,
      clockSpeed: SPEED,
    });
    runtimes.push(runtime);
    const { s3 } = runtime;
    const artifacts = runtime.names.artifactsBucket;
    const registry = new ModelRegistry({
      store: new S3ObjectStore(s3, artifacts),
      pipeline: 'water',
      model: 'forecast',
    });

    // The kill landed in the middle of the retrain: it had merged new readings into the series
    // and written its manifest, decided nothing, and never printed its end.
    const killed = waterKeys.run(killedRun);
    const collected = await getJson<{ newReadings: number }>(s3, artifacts, killed.data);
    expect(collected?.newReadings, 'new readings the killed run was training on').toBeGreaterThan(0);
    expect(await getJson(s3, artifacts, killed.decision), 'a decision of the killed run').toBeUndefined();
    expect(second.output()).not.toMatch(/water-retrain [✔✘]/);

    // Assess: the champion is the first model, complete, and the history holds its entry only
    const historyBefore = await registry.history();
    expect(historyBefore.map((entry) => entry.reason)).toEqual([expect.stringMatching(/^no champion yet/)]);
    expect((await registry.loadChampion())?.pointer).toMatchObject({ version: historyBefore[0]?.version });
    const versionsOfKilledRun = (await registry.listVersions()).filter(
      (version) => version !== historyBefore[0]?.version,
    );
    // ... and any other model that has a champion names a complete version
    for (const system of systems)
      for (const model of system.models) {
        const other = new ModelRegistry({
          store: new S3ObjectStore(s3, artifacts),
          pipeline: system.name,
          model,
        });
        const pointer = await other.champion();
        if (pointer) expect((await other.loadChampion())?.model.version).toBe(pointer.version);
      }
    const seriesBefore = await seriesKeys(runtime);
    expect(seriesBefore.length, 'readings in the series after the killed collect').toBeGreaterThan(0);

    // Act: new data arrives (the first of two batches may be a slice the killed session had
    // announced), ingest drains, and a retrain runs to its end
    const stream = await runtime.stateMachines.startExecution('water-stream', { numBatches: 2 });
    expect(stream.status, stream.cause).toBe('SUCCEEDED');
    await runtime.eventSource.waitUntilIdle(180_000);
    await expectEachSentRecordOnce(runtime, 'after the restart');
    const retrain = await runtime.stateMachines.startExecution('water-retrain', {
      order: { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 },
      holdoutHours: 48,
    });

    // Assess: the retrain succeeded and its decision is recorded
    expect(retrain.status, retrain.cause).toBe('SUCCEEDED');
    const output = retrain.output as {
      runId: string;
      decision?: { promoted: boolean; reason: string };
      challenger: { version: string };
    };
    expect(output.decision, JSON.stringify(output)).toBeDefined();
    const decision = await getJson<{ reason: string }>(s3, artifacts, waterKeys.run(output.runId).decision);
    expect(decision?.reason).toBe(output.decision?.reason);

    // The history gained this run's entry if it promoted, none for the killed run; the champion
    // is the newest entry's version, complete, and every version the history names is complete
    const history = await registry.history();
    expect(history.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(history.slice(historyBefore.length).map((entry) => entry.version)).toEqual(
      output.decision?.promoted ? [output.challenger.version] : [],
    );
    for (const version of versionsOfKilledRun)
      expect(history.map((entry) => entry.version)).not.toContain(version);
    expect((await registry.loadChampion())?.pointer.version).toBe(history.at(-1)?.version);
    for (const entry of history) expect(await registry.getVersion(entry.version)).toBeDefined();

    // The series lost no reading it had (the initial share init-model merged, what it held after
    // the kill), and holds every reading archived; the retrain archived everything in raw/,
    // including what the killed run had collected
    const water = systems.find((system) => system.name === 'water') as SystemDefinition;
    const series = new Set(await seriesKeys(runtime));
    const initialShare = decodeNdjsonGzip(
      (await getBytes(s3, runtime.names.dataBucket, waterKeys.initialDataset)) ?? new Uint8Array(),
    ).flatMap((row) => {
      const verdict = water.recordSpec.validate(row, Date.now());
      return verdict.ok ? [water.recordSpec.naturalKey(verdict.value)] : [];
    });
    expect(initialShare.length, 'readings of the initial share').toBeGreaterThan(0);
    expect(
      initialShare.filter((key) => !series.has(key)),
      'readings of the initial share the series lost',
    ).toEqual([]);
    expect(
      seriesBefore.filter((key) => !series.has(key)),
      'readings the series had after the kill and lost',
    ).toEqual([]);
    const archived = await landedKeys(runtime, water, ['archive']);
    expect(archived.length, 'readings archived').toBeGreaterThan(0);
    expect(
      archived.filter((key) => !series.has(key)),
      'archived readings missing from the series',
    ).toEqual([]);
    expect(await listKeys(s3, runtime.names.dataBucket, 'raw/water/'), 'raw objects left').toEqual([]);

    // Archiving moved records, neither losing nor doubling any
    await expectEachSentRecordOnce(runtime, 'after the retrain archived what it used');
  }, 420_000);
});
