#!/usr/bin/env node
/**
 * Runs one emulator and makes sure it dies with the process that started it.
 *
 * Emulators run in their own process group (so Ctrl-C in a terminal reaches the runtime, which
 * stops them in order), which also means nothing kills them if the runtime itself is killed
 * with SIGKILL. This supervisor polls the runtime's pid and stops the emulator when it is gone;
 * SIGTERM/SIGINT to the supervisor are passed on.
 *
 * Usage: node supervise.cjs <parentPid> [--settle-stream-dir=<dir> | --process-group] <command> [args...]
 *
 * With --process-group (LocalStack, whose services run as its child processes), the command gets
 * its own process group and stopping signals the whole group: SIGTERM, then SIGKILL to whatever
 * is left after 20 s, so no child of the command outlives it.
 *
 * With --settle-stream-dir (kinesis-mock with persistence), stopping waits until the emulator
 * has written every accepted record to its stream file and keeps that write as the good copy,
 * then uses SIGKILL: kinesis-mock answers SIGTERM by truncating its stream file for a last write
 * that does not always finish (measured: SIGTERM sent to it left an empty file 3 times in 4, the
 * process still alive 3 s later), and the runtime's last good copy can be a second old.
 */
const { spawn } = require('node:child_process');
const { settleStreamFile } = require('./stream-file-guard.cjs');

const [parentPid, ...rest] = process.argv.slice(2);
const settleFlag = rest[0]?.startsWith('--settle-stream-dir=') ? rest.shift() : undefined;
const streamDir = settleFlag?.slice('--settle-stream-dir='.length);
const wholeGroup = rest[0] === '--process-group' ? Boolean(rest.shift()) : false;
const [command, ...args] = rest;
// The emulator's output goes through this process, never straight to the runtime's pipes: when
// the runtime dies, writing to its closed pipe would make the emulator exit in the middle of
// what it was doing (measured: kinesis-mock exited with code 1 during the settle, its stream file
// cut short). Forwarding stops quietly when the runtime's pipes are gone.
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: wholeGroup });
/** Signals the command, or with --process-group everything in its group. */
const signal = (name) => {
  try {
    if (wholeGroup) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // already gone
  }
};
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  to.on('error', () => undefined);
  from.on('data', (chunk) => {
    if (!to.destroyed) to.write(chunk);
  });
}
let stopping = false;

async function stop() {
  if (stopping) return;
  stopping = true;
  if (streamDir) {
    const outcome = await settleStreamFile(streamDir);
    if (outcome === 'timeout')
      console.error(`kinesis-local did not write its stream file in time: its last good copy is kept`);
    child.kill('SIGKILL');
    return;
  }
  signal('SIGTERM');
  // kinesis-mock usually exits in about 2 s on SIGTERM, but once needed SIGKILL; LocalStack
  // stops its services one by one and has taken over 4 s.
  setTimeout(() => signal('SIGKILL'), wholeGroup ? 20_000 : 4000).unref();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch {
    void stop();
  }
}, 1000).unref();
child.on('exit', (code, exitSignal) => {
  // The command's own children (LocalStack's kinesis-mock) must not outlive it.
  if (wholeGroup) signal('SIGKILL');
  process.exit(code ?? (exitSignal ? 1 : 0));
});
