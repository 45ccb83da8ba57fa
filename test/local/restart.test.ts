import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/local-runtime.js';
import { systems } from '../../systems/index.js';
import { sentAgainstLanded } from '../faults/invariants.js';
import { isAlive, spawnTsx } from '../support/processes.js';

/**
 * Restart is a normal event: `npm start` killed with SIGKILL while records are on the stream and
 * not yet ingested, then started again on the same data directory, loses none of them and
 * ingests none twice.
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
const runtimes: LocalRuntime[] = [];
/** One runtime per process at a time: the handlers' SDK clients follow the newest emulators. */
afterEach(async () => {
  await Promise.allSettled(runtimes.splice(0).map((runtime) => runtime.stop()));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a killed runtime, started again', () => {
  it('ingests every record the stream had accepted, exactly once, after SIGKILL mid-stream', async () => {
    // Prepare: the system at ten simulated hours per second, records flowing all the time
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-restart-'));
    dirs.push(dataDir);
    const { child: start, printed } = spawnTsx(
      'local/cli/start.ts',
      ['--speed', '36000', '--data-dir', dataDir],
      children,
    );
    const deadline = Date.now() + 120_000;
    while ((printed.stdout.match(/-stream ✔ \d+ records sent/g) ?? []).length < 4) {
      if (start.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not stream:\n${printed.stdout}\n${printed.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const supervisors = (printed.stdout.match(/Processes (.*)\n/)?.[1]?.match(/pid (\d+)/g) ?? []).map((m) =>
      Number(m.slice(4)),
    );
    const emulators = supervisors.flatMap((pid) =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );

    // Act: kill -9 the runtime, as the issue did (its supervisors then stop the emulators), restart
    process.kill(start.pid as number, 'SIGKILL');
    while ([...supervisors, ...emulators].some(isAlive))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const restarted = await LocalRuntime.start({ dataDir, shardCount: 4, pollIntervalMs: 50 });
    runtimes.push(restarted);
    await restarted.eventSource.waitUntilIdle(120_000);

    // Assess: for every system, each record the producer had sent (up to its cursor) is in
    // raw/ or archive/ at least once and never more often than the data set holds it
    for (const system of systems) {
      if (!system.dataset || !system.stream) continue;
      const { sentValid, lost, twice } = await sentAgainstLanded(restarted, {
        system,
        source: {},
        initialShare: system.stream.initialShare ?? 0,
      });
      expect(sentValid, `${system.name}: records sent before the kill`).toBeGreaterThan(0);
      expect(lost, `${system.name}: sent but never ingested`).toEqual([]);
      expect(twice, `${system.name}: ingested more often than sent`).toEqual([]);
    }
  }, 300_000);
});
