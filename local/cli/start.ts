import path from 'node:path';
import { parseArgs } from 'node:util';
import { stateMachines } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { EventSourceActivity } from '../kinesis-event-source.js';
import { LocalRuntime } from '../local-runtime.js';
import { LocalScheduler } from '../local-scheduler.js';

/**
 * `npm start [-- --speed 360] [--data-dir DIR] [--start ISO]`: the whole system on this machine,
 * like `docker compose up`: emulators, stream, buckets, the ingest event source, and every
 * state machine on its schedule, on a clock `--speed` times faster than the wall clock.
 * Ctrl-C stops it cleanly.
 */
const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: '360' },
    'data-dir': { type: 'string', default: path.join(REPO_ROOT, '.local', 'data') },
    start: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const speed = Number(values.speed);
if (!(Number.isFinite(speed) && speed >= 1 && speed <= 100_000)) {
  console.error(
    `--speed must be a number from 1 to 100000 (simulated seconds per real second), got "${values.speed}"`,
  );
  process.exit(2);
}
const simulatedStart = values.start ? new Date(values.start) : new Date();
if (Number.isNaN(simulatedStart.getTime())) {
  console.error(`--start must be an ISO-8601 time, got "${values.start}"`);
  process.exit(2);
}
if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const dataDir = path.resolve(values['data-dir']);

const time = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
const counters = { ingested: 0, ingestErrors: 0, onFailure: 0 };
const activity = (a: EventSourceActivity) => {
  if (a.type === 'batch') counters.ingested += a.records - a.failedRecords;
  if (a.type === 'error') {
    counters.ingestErrors++;
    console.log(`  ! ingest error on ${a.shardId}: ${a.message}`);
  }
  if (a.type === 'on-failure') {
    counters.onFailure += a.message.KinesisBatchInfo.batchSize;
    console.log(
      `  ! ${a.message.KinesisBatchInfo.batchSize} records to the on-failure destination (${a.message.requestContext.condition})`,
    );
  }
};

console.log('▶ Starting emulators (kinesis-local, s3rver) on 127.0.0.1 …');
const runtime = await LocalRuntime.start({ dataDir, activity, clockSpeed: speed });
const { names } = runtime;
const [s3Endpoint, kinesisEndpoint] = [process.env.AWS_ENDPOINT_URL_S3, process.env.AWS_ENDPOINT_URL_KINESIS];
console.log(`  S3       ${s3Endpoint}  buckets ${names.dataBucket}, ${names.artifactsBucket}`);
console.log(`  Kinesis  ${kinesisEndpoint}  stream ${names.stream}`);
console.log(`  Data     ${dataDir} (S3 objects under s3/, on-failure messages under on-failure/)`);
console.log(`  Processes ${runtime.emulators.map((e) => `${e.name} pid ${e.pid}`).join(', ')}`);
console.log(
  `  Look:    AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${s3Endpoint} s3 ls s3://${names.dataBucket}/ --recursive`,
);
for (const definition of stateMachines) {
  console.log(
    `  Schedule ${definition.name.padEnd(10)} ${definition.schedule?.expression ?? '(on demand)'}  ${definition.schedule?.description ?? ''}`,
  );
}
console.log(`▶ Clock starts at ${time(simulatedStart)} UTC and runs ×${speed} (Ctrl-C to stop)\n`);

const scheduler = new LocalScheduler({
  definitions: stateMachines,
  start: simulatedStart,
  speed,
  skipped: (machine, at) =>
    console.log(`[${time(at)}] ${machine}: previous execution still running, this fire skipped`),
  fire: async (machine, input, scheduledTime) => {
    const record = await runtime.stateMachines.startExecution(machine, input);
    const output = (record.output ?? {}) as Record<string, unknown>;
    const detail =
      record.status !== 'SUCCEEDED'
        ? `${record.error}: ${record.cause ?? ''}`
        : machine === 'stream'
          ? output.noNewData
            ? 'no new data'
            : `${output.produced} records sent (cursor ${(output.cursor as { offset: number; total: number }).offset}/${(output.cursor as { total: number }).total})`
          : machine === 'archive'
            ? `${output.moved ?? 0} objects archived`
            : 'done';
    console.log(
      `[${time(scheduledTime)}] ${machine} ${record.status === 'SUCCEEDED' ? '✔' : '✘'} ${detail} · ingested so far: ${counters.ingested}`,
    );
  },
});
scheduler.start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    console.log('Second interrupt: exiting now.');
    process.exit(130);
  }
  stopping = true;
  console.log(`\n▶ ${signal}: waiting for running executions, then stopping the emulators …`);
  await scheduler.stop();
  await runtime.stop();
  console.log(`✔ Stopped. ${counters.ingested} records ingested this session; data kept in ${dataDir}`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('Ctrl-C'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
