import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../../lib/config/repo-root.js';

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `node --import tsx <script> …args` from the checkout, as `npm start` runs it, added to the
 * test's `children` (which its afterAll stops), with everything it has printed so far.
 */
export function spawnTsx(
  script: string,
  args: string[],
  children: ChildProcess[],
): { child: ChildProcess; printed: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const printed = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    printed.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed.stderr += chunk.toString();
  });
  return { child, printed };
}
