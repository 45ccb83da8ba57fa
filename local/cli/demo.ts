import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rawPipelinePrefix } from '../../core/streaming/keys.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { listKeys, readNdjsonUnder, reasonKind } from '../inspect-data.js';
import type { EventSourceActivity } from '../kinesis-event-source.js';
import { LocalRuntime } from '../local-runtime.js';
import type { ExecutionRecord } from '../state-machine-runner.js';

/**
 * `npm run demo [-- --json] [--data-dir DIR] [--days N]`: one full cycle from an empty state —
 * generate, stream, ingest, archive — then a summary, and exit.
 */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    days: { type: 'string', default: '60' },
  },
});

const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 3660) {
  console.error(`--days must be a whole number from 1 to 3660, got "${values.days}"`);
  process.exit(2);
}
const dataDir = path.resolve(
  values['data-dir'] ??
    path.join(REPO_ROOT, '.local', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
mkdirSync(dataDir, { recursive: true });

// Progress goes to stderr so `--json` leaves exactly one line on stdout.
const say = (line: string) => process.stderr.write(`${line}\n`);
let ingested = 0;
const activity = (a: EventSourceActivity) => {
  if (a.type === 'batch') ingested += a.records - a.failedRecords;
  if (a.type === 'error') say(`  ! ingest error on ${a.shardId}: ${a.message}`);
  if (a.type === 'on-failure')
    say(
      `  ! ${a.message.KinesisBatchInfo.batchSize} records sent to the on-failure destination (${a.message.requestContext.condition})`,
    );
};

say(`▶ Starting the local system (data in ${dataDir})`);
const runtime = await LocalRuntime.start({ dataDir, activity });
let exitCode = 0;
try {
  const { dataBucket } = runtime.names;
  const executions: ExecutionRecord[] = [];
  const source = { kind: 'generated', days };
  const run = async (machine: string, input: unknown) => {
    const record = await runtime.stateMachines.startExecution(machine, input);
    executions.push(record);
    if (record.status !== 'SUCCEEDED')
      throw new Error(
        `${machine} execution ${record.executionName} ${record.status}: ${record.error} ${record.cause ?? ''}`,
      );
    return record.output as Record<string, unknown>;
  };

  say(`▶ Streaming ${days} days of generated water readings (20% kept for initial training)`);
  let produced = 0;
  let producerQuarantined = 0;
  for (;;) {
    const output = await run('stream', { pipeline: 'water', source, batchSize: 500, numBatches: 4 });
    produced += Number(output.produced ?? 0);
    producerQuarantined += Number(output.quarantined ?? 0);
    const cursor = output.cursor as { offset: number; total: number };
    say(`  stream: ${produced} records sent (${cursor.offset}/${cursor.total}), ${ingested} ingested so far`);
    if (output.noNewData || output.exhausted) break;
  }
  say('▶ Waiting for ingest to drain the stream');
  await runtime.eventSource.waitUntilIdle();
  // One more run shows the end-of-data path of the state machine.
  await run('stream', { pipeline: 'water', source });

  const raw = await readNdjsonUnder(runtime.s3, dataBucket, rawPipelinePrefix('water'));
  const quarantine = await readNdjsonUnder<{ reason: string }>(runtime.s3, dataBucket, 'quarantine/');
  const byReason: Record<string, number> = {};
  for (const { row } of quarantine)
    byReason[reasonKind(row.reason)] = (byReason[reasonKind(row.reason)] ?? 0) + 1;
  say(`  ingest: ${raw.length} records in raw/, ${quarantine.length} in quarantine/`);

  say('▶ Archiving every raw object');
  const archiveOutput = await run('archive', { pipeline: 'water', beforeDay: '9999-12-31' });
  const archivedObjects = (await listKeys(runtime.s3, dataBucket, 'archive/')).length;
  const rawLeft = (await listKeys(runtime.s3, dataBucket, 'raw/')).length;

  const summary = {
    dataDir,
    produced,
    producerQuarantined,
    landedInRaw: raw.length,
    quarantined: { total: quarantine.length, byReason },
    accountedFor: raw.length + quarantine.length === produced + producerQuarantined ? 'all' : 'MISMATCH',
    archived: { objects: archivedObjects, moved: archiveOutput.moved, rawObjectsLeft: rawLeft },
    onFailureMessages: runtime.onFailure.length,
    executions: executions.map((e) => ({
      stateMachine: e.stateMachine,
      name: e.executionName,
      status: e.status,
    })),
  };
  if (summary.accountedFor !== 'all') exitCode = 1;
  say(
    `✔ Done: ${produced} produced → ${raw.length} raw + ${quarantine.length} quarantined; ${archivedObjects} objects archived; ${executions.length} executions`,
  );
  for (const [reason, count] of Object.entries(byReason))
    say(`    quarantined ${String(count).padStart(4)} × ${reason}`);
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
} catch (error) {
  say(`✘ ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await runtime.stop();
}
process.exit(exitCode);
