/**
 * The exactly-once test's child process: it plays Lambda's Kinesis event source mapping for the
 * online learner. It delivers a fixed stream in fixed batches to the real handler (against the S3
 * emulator the environment names), and keeps its own position in a file, written only after the
 * handler returned, as the mapping checkpoints only after a batch succeeded: a kill anywhere
 * means the batch is delivered again on restart.
 *
 *   node --import tsx exactly-once-runner.ts <position file> [<batch>:<text>]
 *
 * It prints a line before every S3 request (`s3 <Command> <key>`) and around every batch, so a
 * test can pick kill points from what it has done. With `<batch>:<text>` it stops (never to go
 * on) at the first such line of that batch containing the text, and prints `paused`.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { exactlyOnceStream, onlineEvent, watchS3 } from './online-support.js';

async function main(): Promise<void> {
  const [positionFile, pauseSpec] = process.argv.slice(2);
  if (!positionFile) throw new Error('usage: exactly-once-runner.ts <position file> [<batch>:<text>]');
  const pause = pauseSpec
    ? {
        batch: Number(pauseSpec.slice(0, pauseSpec.indexOf(':'))),
        text: pauseSpec.slice(pauseSpec.indexOf(':') + 1),
      }
    : undefined;
  const learner = await import('../../../systems/online/handlers/learner.js');
  let current = -1;
  const say = async (line: string) => {
    // Writes to a pipe are synchronous on Linux: the test sees the line before the next request.
    process.stdout.write(`${line}\n`);
    if (pause && current === pause.batch && line.includes(pause.text)) {
      process.stdout.write('paused\n');
      setInterval(() => {}, 60_000); // keeps the process alive until the test kills it
      await new Promise(() => {});
    }
  };
  watchS3(learner.s3, 'exactly-once-progress', (command, input) => say(`s3 ${command} ${input.Key ?? ''}`));

  const batches = exactlyOnceStream();
  let sequence = 0;
  const firstSequence = batches.map((batch) => {
    const first = sequence;
    sequence += batch.length;
    return first;
  });
  const position = (() => {
    try {
      return Number(readFileSync(positionFile, 'utf8'));
    } catch {
      return 0;
    }
  })();
  for (current = position; current < batches.length; current++) {
    await say(`batch ${current} start`);
    const event = onlineEvent(batches[current] ?? [], firstSequence[current] ?? 0);
    // A failed batch is delivered again, as Lambda retries it.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await learner.handler(event);
        if (response.batchItemFailures.length > 0) throw new Error(`batch ${current} reported failures`);
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
        await say(`batch ${current} failed (${(error as Error).name}), retrying`);
      }
    }
    await say(`esm-commit ${current}`);
    writeFileSync(`${positionFile}.tmp`, String(current + 1));
    renameSync(`${positionFile}.tmp`, positionFile);
    await say(`batch ${current} committed`);
  }
  await say('all done');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
