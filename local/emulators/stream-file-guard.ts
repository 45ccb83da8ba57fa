import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
} from 'node:fs';
import path from 'node:path';

/**
 * kinesis-mock rewrites its persistence file in place, so a kill during a write leaves it empty or
 * cut short, and the emulator then refuses to start. This guard keeps a copy of the last complete
 * file beside it (`streams.good.json`, written to a temporary name and renamed, so the copy itself
 * is never half-written) and puts it back before the emulator starts when the file is damaged.
 */
export const STREAM_FILE = 'streams.json';
const GOOD_FILE = 'streams.good.json';

function parses(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Cheap completeness check for the periodic copy: a JSON object's first and last characters. */
function looksComplete(file: string): boolean {
  const size = statSync(file).size;
  if (size < 2) return false;
  const fd = openSync(file, 'r');
  try {
    const first = Buffer.alloc(1);
    const last = Buffer.alloc(64);
    readSync(fd, first, 0, 1, 0);
    const tail = Math.min(64, size);
    readSync(fd, last, 0, tail, size - tail);
    return first.toString() === '{' && last.subarray(0, tail).toString().trimEnd().endsWith('}');
  } finally {
    closeSync(fd);
  }
}

/**
 * Before the emulator starts: a damaged stream file is replaced by the last good copy. Returns
 * what it did, for the runtime to say; without a good copy the damaged file is moved aside
 * (the stream then starts empty, and the caller must say that records may be lost).
 */
export function repairStreamFile(dir: string): 'intact' | 'none' | 'restored' | 'lost' {
  const file = path.join(dir, STREAM_FILE);
  if (!existsSync(file)) return 'none';
  if (parses(file)) return 'intact';
  const good = path.join(dir, GOOD_FILE);
  if (existsSync(good) && parses(good)) {
    copyFileSync(good, file);
    return 'restored';
  }
  renameSync(file, path.join(dir, `streams.damaged-${Date.now()}.json`));
  return 'lost';
}

/** While the emulator runs: copies each new complete stream file aside. Returns a stop function. */
export function keepGoodStreamFile(dir: string, everyMs: number): () => void {
  const file = path.join(dir, STREAM_FILE);
  let copiedMtime = 0;
  const timer = setInterval(() => {
    try {
      if (!existsSync(file)) return;
      const { mtimeMs } = statSync(file);
      if (mtimeMs === copiedMtime || !looksComplete(file)) return;
      const temporary = path.join(dir, `${GOOD_FILE}.tmp`);
      copyFileSync(file, temporary);
      // The copy may have caught a write in progress: only a complete one replaces the last good.
      if (!looksComplete(temporary)) return;
      renameSync(temporary, path.join(dir, GOOD_FILE));
      copiedMtime = mtimeMs;
    } catch {
      // A write in progress or a vanished file: the next tick tries again.
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
