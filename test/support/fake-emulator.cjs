'use strict';
/**
 * A stand-in for an emulator process, with the behaviours of kinesis-mock that the supervisor
 * must survive (each measured on the real one; see supervise.cjs):
 * - it writes a line to stdout and stderr every 20 ms (kinesis-mock prints CPU-starvation
 *   warnings under load), and, like any Node program, exits with code 1 when that write fails;
 * - with a directory argument, it keeps accepting records while `<dir>/producing` exists, and
 *   rewrites `<dir>/streams.json` ({"accepted": n}) in place every 50 ms, in two chunks;
 * - on SIGTERM it truncates its stream file for a last write and never finishes it.
 * It reports a clean stop by SIGTERM in `<dir or cwd>/terminated`.
 *
 * Usage: node fake-emulator.cjs [dir]
 */
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
let accepted = 0;
let stoppedAccepting = false;
const writers = [];
const marker = path.join(dir ?? process.cwd(), 'terminated');

setInterval(() => {
  process.stdout.write('[WARNING] Your CPU is probably starving\n');
  process.stderr.write('[WARNING] Your CPU is probably starving\n');
}, 20);

if (dir) {
  const streamFile = path.join(dir, 'streams.json');
  writers.push(
    setInterval(() => {
      if (fs.existsSync(path.join(dir, 'producing'))) accepted += 1;
      else if (!stoppedAccepting) {
        // Written once and renamed into place, so a reader (or a SIGKILL) never sees it half
        // written: the count is final once the producer has stopped.
        stoppedAccepting = true;
        const acceptedFile = path.join(dir, 'accepted');
        fs.writeFileSync(`${acceptedFile}.tmp`, String(accepted));
        fs.renameSync(`${acceptedFile}.tmp`, acceptedFile);
      }
    }, 5),
  );
  writers.push(
    setInterval(() => {
      const text = JSON.stringify({ accepted, padding: 'x'.repeat(2000) });
      const fd = fs.openSync(streamFile, 'w');
      fs.writeSync(fd, text.slice(0, 1000));
      setTimeout(() => {
        fs.writeSync(fd, text.slice(1000));
        fs.closeSync(fd);
      }, 5);
    }, 50),
  );
}

process.on('SIGTERM', () => {
  fs.writeFileSync(marker, 'SIGTERM');
  if (!dir) process.exit(0);
  // A last write that never completes: the file is left empty until the process is killed.
  for (const timer of writers) clearInterval(timer);
  fs.writeFileSync(path.join(dir, 'streams.json'), '');
});
