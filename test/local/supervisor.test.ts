import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { keepGoodStreamFile, repairStreamFile } from '../../local/emulators/stream-file-guard.cjs';
import { isAlive } from '../support/processes.js';

/**
 * The emulators' supervisor (local/emulators/supervise.cjs) against a stand-in emulator with
 * kinesis-mock's measured behaviours (test/support/fake-emulator.cjs): what the supervisor does
 * decides whether a killed or stopped runtime loses records.
 */
const SUPERVISOR = path.join(REPO_ROOT, 'local/emulators/supervise.cjs');
const FAKE = path.join(REPO_ROOT, 'test/support/fake-emulator.cjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smlp-supervisor-'));
  dirs.push(dir);
  return dir;
};
const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describe('the emulator supervisor', () => {
  it('keeps the emulator running when the runtime that read its output is killed', async () => {
    // Prepare: a "runtime" process that starts the supervisor with its output piped to itself,
    // as child-service.ts does, then is killed with SIGKILL while the emulator keeps printing
    const dir = tempDir();
    const runtime = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const supervisor = spawn(process.execPath, [${JSON.stringify(SUPERVISOR)}, String(process.pid), process.execPath, ${JSON.stringify(FAKE)}], { cwd: ${JSON.stringify(dir)}, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
         supervisor.stdout.on('data', () => {});
         console.log(supervisor.pid);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(runtime);
    const supervisorPid = await new Promise<number>((resolve) =>
      runtime.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    await sleep(300);

    // Act
    runtime.kill('SIGKILL');
    while (isAlive(supervisorPid)) await sleep(50);

    // Assess: the emulator was stopped by the supervisor (SIGTERM), not killed by its own output
    expect(existsSync(path.join(dir, 'terminated'))).toBe(true);
  }, 60_000);

  it('stops a persisting emulator only after a complete write of everything it accepted', async () => {
    // Prepare: records are accepted until the moment the runtime stops, which keeps a good copy
    // of the stream file every second as the runtime does
    const dir = tempDir();
    writeFileSync(path.join(dir, 'producing'), '');
    const supervisor = spawn(
      process.execPath,
      [SUPERVISOR, String(process.pid), `--settle-stream-dir=${dir}`, process.execPath, FAKE, dir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(supervisor);
    const stopCopying = keepGoodStreamFile(dir, 1_000);
    await sleep(1_500);

    // Act: the producer's last put, then the runtime stops the emulator at once
    unlinkSync(path.join(dir, 'producing'));
    while (!existsSync(path.join(dir, 'accepted'))) await sleep(5);
    stopCopying();
    supervisor.kill('SIGTERM');
    await exited(supervisor);
    const repair = repairStreamFile(dir);

    // Assess: the next start finds every accepted record
    const accepted = Number(readFileSync(path.join(dir, 'accepted'), 'utf8'));
    const stored = JSON.parse(readFileSync(path.join(dir, 'streams.json'), 'utf8')) as { accepted: number };
    expect(repair).not.toBe('lost');
    expect(stored.accepted).toBe(accepted);
  }, 60_000);
});
