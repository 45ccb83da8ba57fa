import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, spawnTsx } from '../support/processes.js';
import { inTerminal as runInTerminal } from '../support/terminal.js';

/** The two commands a newcomer runs, as processes, the way a person would run them. */
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  // SIGTERM: the CLIs stop their emulators in order (a SIGKILL would leave that to the supervisors).
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tsx(script: string, args: string[]) {
  const { child, printed } = spawnTsx(script, args, children);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(printed.stdout)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no ${pattern} in:\n${printed.stdout}\n${printed.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return printed.stdout.match(pattern);
  };
  return { child, exited, waitFor, output: () => ({ ...printed }) };
}

/** The emulator pids from the runtime's "Processes s3rver pid 1, kinesis-local pid 2" line. */
const emulatorPids = (line: string | undefined) =>
  (line?.match(/pid (\d+)/g) ?? []).map((m) => Number(m.slice(4)));

/** A terminal run that the test stops if it fails before the run ends (closing the terminal). */
function inTerminal(command: string) {
  const run = runInTerminal(command);
  children.push(run.child);
  return run;
}

const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smlp-cli-'));
  dirs.push(dir);
  return dir;
};

describe('npm start', () => {
  it('runs the schedules on a fast clock, and Ctrl-C in a terminal stops it cleanly with no process left behind', async () => {
    // Prepare: `npm start` in a terminal, as a newcomer runs it
    const start = inTerminal(`npm start -- --speed 7200 --data-dir ${tempDir()}`);
    const pids = emulatorPids((await start.waitFor(/Processes (.*)\n/, 120_000))[1]);
    await start.waitFor(/\] water-stream ✔ \d+ records sent/, 120_000);

    // Act: Ctrl-C, which the terminal sends to npm, its shell and the runtime at once
    start.interrupt();
    await start.exited;

    // Assess: one interrupt, the running executions finished, every process gone
    const output = start.output();
    expect(output).toContain('▶ Ctrl-C: waiting for running executions, then stopping the emulators');
    expect(output).not.toContain('Second interrupt');
    expect(output).toMatch(/✔ Stopped\. \d+ records ingested this session/);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
    // One readable line per event, in simulated-time order, no handler logs, no stale hints.
    const times = [...output.matchAll(/^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\]/gm)].map((m) => m[1] as string);
    expect(times.length).toBeGreaterThan(2);
    expect(times).toEqual([...times].sort());
    expect(output).not.toMatch(/^\{"level"/m);
    expect(output).not.toMatch(/sensors-endpoint .*horizon/);
    const streaks = output.match(/its next fires are skipped until it ends/g) ?? [];
    const executions = output.match(/^\[.*\] [\w-]+ [✔✘] /gm) ?? [];
    expect(streaks.length).toBeLessThanOrEqual(executions.length + 8);
  }, 300_000);

  it('leaves no emulator behind even when it is killed with SIGKILL', async () => {
    // Prepare
    const start = tsx('local/cli/start.ts', ['--speed', '360', '--data-dir', tempDir()]);
    const supervisors =
      (await start.waitFor(/Processes (.*)\n/, 30_000))?.[1]
        ?.match(/pid (\d+)/g)
        ?.map((m) => Number(m.slice(4))) ?? [];
    const emulators = supervisors.flatMap((pid) =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
    expect(emulators).toHaveLength(2);
    // Act
    start.child.kill('SIGKILL');
    await start.exited;
    const deadline = Date.now() + 10_000;
    while (emulators.some(isAlive) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    // Assess
    expect(emulators.filter(isAlive)).toEqual([]);
  }, 60_000);

  it('refuses a bad --speed with a message saying what it expects', async () => {
    // Act
    const start = tsx('local/cli/start.ts', ['--speed', 'fast']);
    const code = await start.exited;
    // Assess
    expect(code).toBe(2);
    expect(start.output().stderr).toContain('--speed must be a number from 1 to 100000');
  });
});

describe('npm run demo', () => {
  it('stops cleanly on Ctrl-C in a terminal: the running execution ends, the emulators stop, exit 130', async () => {
    // Prepare
    const demo = inTerminal(`npm run demo -- --data-dir ${tempDir()}`);
    const pids = emulatorPids((await demo.waitFor(/Processes (.*)\n/, 120_000))[1]);
    await demo.waitFor(/stream: \d+ records sent/, 120_000);

    // Act
    demo.interrupt();
    const code = await demo.exited;

    // Assess
    expect(code).toBe(130);
    expect(demo.output()).toContain('▶ Ctrl-C: finishing the running execution, then stopping the emulators');
    expect(demo.output()).toMatch(/✔ Stopped by Ctrl-C; data kept in /);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 300_000);
});

describe('npm run demo -- --json', () => {
  it('runs one full cycle from an empty state and ends with one JSON summary line', async () => {
    // Act
    // The two systems this test checks: the online and churn scenarios run in their own tests
    // (test/systems/churn/churn-pipeline.e2e.test.ts, the same scenario and context) and all four
    // in the LocalStack tier; running them here too would add minutes to every CI run.
    const demo = tsx('local/cli/demo.ts', ['--json', '--data-dir', tempDir(), '--only', 'water,sensors']);
    const code = await demo.exited;

    // Assess
    const { stdout, stderr } = demo.output();
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] ?? '{}');
    // Each system's part under its name; the platform's (executions, reports) beside them.
    const { water, sensors } = summary;
    expect(summary.accountedFor).toBe('all');
    expect(water.produced).toBeGreaterThan(300);
    expect(water.landedInRaw + water.quarantined.total).toBe(water.produced + water.producerQuarantined);
    expect(water.accountedFor).toBe('all');
    expect(water.archived.rawObjectsLeft).toBe(0);
    expect(water.archived.objects).toBeGreaterThan(0);
    expect(summary.executions.map((e: { status: string }) => e.status)).not.toContain('FAILED');
    expect(water.models).toHaveLength(3);
    expect(water.decisions.map((d: { stateMachine: string }) => d.stateMachine)).toEqual([
      'water-init-model',
      'water-retrain',
      'water-retrain',
    ]);
    expect(water.decisions[0]).toMatchObject({
      promoted: true,
      reason: expect.stringMatching(/^no champion yet/),
    });
    for (const decision of water.decisions) expect(decision.reason).toMatch(/promoted|champion kept/);
    expect(water.champion.metrics).toMatchObject({
      aic: expect.any(Number),
      holdoutMae: expect.any(Number),
    });
    expect(summary.reports).toEqual(
      expect.arrayContaining(['reports/water/latest/report.svg', 'reports/sensors/latest/report.svg']),
    );
    // The sensor clustering system, through the same producer, ingest and registry.
    expect(sensors.landedInRaw + sensors.quarantined).toBe(sensors.produced);
    expect(sensors.featureFiles).toBe(8);
    expect(sensors.decision).toMatchObject({
      promoted: true,
      reason: expect.stringMatching(/^no champion yet/),
    });
    expect(Object.values(sensors.clusterSizes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(80);
    expect(stderr).toContain('▶ Streaming 60 days');
  }, 600_000);
});
