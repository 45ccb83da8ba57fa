import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/** Median of a non-empty list: robust to one repetition disturbed by GC or the other core's work. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds for the table: enough digits to compare rows, not so many that noise looks like signal. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A temp dir that is removed whatever `work` does; `work` gets its path. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    // A child process that was just stopped (an emulator) may still be closing files in it.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/**
 * Remembers the current values of some variables and returns a function that puts them back, so a
 * suite that points handlers at emulators does not leak those settings into the suites after it.
 */
export function rememberEnvironment(names: readonly string[]): () => void {
  const previous = new Map(names.map((name) => [name, process.env[name]]));
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * The host's 1-minute load average against its cores, for the notes: the bench machine is shared
 * with other work, and a reader comparing two runs needs to know whether the CPU was contended.
 */
export function hostLoad(): string {
  return `host load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`;
}
