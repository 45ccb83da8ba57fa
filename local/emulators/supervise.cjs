#!/usr/bin/env node
/**
 * Runs one emulator and makes sure it dies with the process that started it.
 *
 * Emulators run in their own process group (so Ctrl-C in a terminal reaches the runtime, which
 * stops them in order), which also means nothing kills them if the runtime itself is killed
 * with SIGKILL. This supervisor polls the runtime's pid and stops the emulator when it is gone;
 * SIGTERM/SIGINT to the supervisor are passed on.
 *
 * Usage: node supervise.cjs <parentPid> <command> [args...]
 */
const { spawn } = require('node:child_process');

const [parentPid, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit' });
let stopping = false;

function stop(signal) {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  // kinesis-mock usually exits in about 2 s on SIGTERM, but once needed SIGKILL.
  setTimeout(() => child.kill('SIGKILL'), 4000).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGTERM'));
setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch {
    stop('SIGTERM');
  }
}, 1000).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
