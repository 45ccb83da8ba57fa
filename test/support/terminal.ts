import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../../lib/config/repo-root.js';

/**
 * A command run the way a person runs it: in a pseudo-terminal (util-linux `script`), so Ctrl-C
 * is the terminal's interrupt character and the kernel signals the whole foreground process
 * group (npm, its shell, the node process), exactly as in a terminal window.
 */
export interface TerminalRun {
  readonly child: ChildProcess;
  /** Resolves with the command's exit code (`script -e` passes it through). */
  readonly exited: Promise<number | null>;
  /** Waits until the output matches; the deadline is a bound for a hung run, not a speed test. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Types Ctrl-C. */
  interrupt(): void;
  output(): string;
}

export function inTerminal(command: string, env: Record<string, string> = {}): TerminalRun {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  // A terminal ends lines with CR LF: kept as plain LF, so patterns and messages read as printed.
  const append = (chunk: Buffer) => {
    output += chunk.toString().replace(/\r\n?/g, '\n');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    interrupt: () => child.stdin?.write('\x03'),
    output: () => output,
  };
}
