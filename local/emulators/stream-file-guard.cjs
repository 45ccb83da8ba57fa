'use strict';
/**
 * kinesis-mock rewrites its persistence file in place (every interval, even when nothing changed),
 * so a kill during a write leaves it empty or cut short, and the emulator then refuses to start.
 * This guard keeps a copy of the last complete file beside it (`streams.good.json`, written to a
 * temporary name and renamed, so the copy itself is never half-written) and puts it back before
 * the emulator starts when the file is damaged.
 *
 * Plain CommonJS: the emulator's supervisor (supervise.cjs, no TypeScript loader) settles the file
 * with it before it stops the emulator, and the runtime uses it through stream-file-guard.d.cts.
 */
const {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
} = require('node:fs');
const path = require('node:path');

const STREAM_FILE = 'streams.json';
const GOOD_FILE = 'streams.good.json';

function parses(file) {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Cheap completeness check for the periodic copy: a JSON object's first and last characters. */
function looksComplete(file) {
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

/** Copies the stream file aside if it is complete; the copy replaces the good one only if it is too. */
function copyIfComplete(dir, check) {
  const file = path.join(dir, STREAM_FILE);
  if (!check(file)) return false;
  const temporary = path.join(dir, `${GOOD_FILE}.tmp`);
  copyFileSync(file, temporary);
  // The copy may have caught a write in progress: only a complete one replaces the last good.
  if (!check(temporary)) return false;
  renameSync(temporary, path.join(dir, GOOD_FILE));
  return true;
}

/**
 * Before the emulator starts: a damaged stream file is replaced by the last good copy. Returns
 * what it did, for the runtime to say; without a good copy the damaged file is moved aside
 * (the stream then starts empty, and the caller must say that records may be lost).
 */
function repairStreamFile(dir) {
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
function keepGoodStreamFile(dir, everyMs) {
  const file = path.join(dir, STREAM_FILE);
  let copiedMtime = 0;
  const timer = setInterval(() => {
    try {
      if (!existsSync(file)) return;
      const { mtimeMs } = statSync(file);
      if (mtimeMs !== copiedMtime && copyIfComplete(dir, looksComplete)) copiedMtime = mtimeMs;
    } catch {
      // A write in progress or a vanished file: the next tick tries again.
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Before the emulator is stopped: waits for two complete writes of the stream file after this
 * call (writes follow one another, so the second began after the first ended, after this call,
 * and holds every record accepted before it), then keeps that write as the good copy. Nothing
 * may put records meanwhile (the runtime is stopping or gone). Resolves 'settled', or 'timeout'
 * if that did not happen within `timeoutMs` (the good copy is then whatever it was).
 */
async function settleStreamFile(dir, { pollMs = 10, timeoutMs = 5_000 } = {}) {
  const file = path.join(dir, STREAM_FILE);
  const mtime = () => (existsSync(file) ? statSync(file).mtimeMs : 0);
  const deadline = Date.now() + timeoutMs;
  let seen = mtime();
  let completeWrites = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = mtime();
    if (now === seen) continue;
    seen = now;
    // No prefix of a JSON object parses: a file that parses is a finished write.
    if (!parses(file)) continue;
    completeWrites += 1;
    if (completeWrites >= 2 && copyIfComplete(dir, parses)) return 'settled';
  }
  return 'timeout';
}

module.exports = { STREAM_FILE, repairStreamFile, keepGoodStreamFile, settleStreamFile };
