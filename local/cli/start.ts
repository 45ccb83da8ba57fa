import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { defaultConfig } from '../../lib/config/app-config.js';
import { distributedMapStates } from '../../lib/config/distributed-maps.js';
import { streamStateMachine } from '../../lib/config/platform-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { systems } from '../../systems/index.js';
import { buildConsoleForStart } from '../console/build-console.js';
import { startLocalConsole } from '../console/start-local-console.js';
import { StreamStats } from '../console/stream-stats.js';
import { removeLocalEndpoints, writeLocalEndpoints } from '../endpoints-file.js';
import type { EventSourceActivity } from '../kinesis-event-source.js';
import { LocalRuntime } from '../local-runtime.js';
import { LocalScheduler } from '../local-scheduler.js';
import { stateMachineArn } from '../sfn-api/arns.js';
import { describeExecution as describe } from './describe-execution.js';
import { mapRunLine, RunDigest } from './run-digest.js';

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
// The SDK warns that its 2027 releases will need Node 22; this project supports Node 20 (as the CLI does).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// One line per execution is the console's job; the handlers' structured logs only on request.
if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const dataDir = path.resolve(values['data-dir']);

const time = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
// What the event source did: the console's stream page and the lines below read the same counts.
const streamStats = new StreamStats();
const ingestedSoFar = () => streamStats.totals().recordsIn;
const activity = (a: EventSourceActivity) => {
  streamStats.record(a);
  if (a.type === 'error') {
    console.log(`  ! ingest error on ${a.shardId}: ${a.message}`);
  }
  if (a.type === 'on-failure') {
    console.log(
      `  ! ${a.message.KinesisBatchInfo.batchSize} records to the on-failure destination (${a.message.requestContext.condition})`,
    );
  }
};

// The console builds (only when web/ changed) while the emulators start.
const consoleAssets = buildConsoleForStart(console.log);
console.log('▶ Starting emulators (kinesis-local, s3rver) on 127.0.0.1 …');
const runtime = await LocalRuntime.start({ dataDir, activity, clockSpeed: speed, systems });
const localConsole = await startLocalConsole({ runtime, stats: streamStats, assetsDir: await consoleAssets });
const { stateMachines } = runtime.definition;
const { names } = runtime;
const [s3Endpoint, kinesisEndpoint] = [process.env.AWS_ENDPOINT_URL_S3, process.env.AWS_ENDPOINT_URL_KINESIS];
console.log(`  S3       ${s3Endpoint}  buckets ${names.dataBucket}, ${names.artifactsBucket}`);
console.log(`  Kinesis  ${kinesisEndpoint}  stream ${names.stream}`);
console.log(
  `  SFN      ${runtime.sfnEndpoint}  state machines ${names.stateMachine('<name>')} (Step Functions API)`,
);
console.log(
  `  Events   ${runtime.eventBridgeEndpoint}  rules ${runtime.eventBus.rules.map((rule) => rule.name).join(', ') || '(none)'}${runtime.eventBus.disabled.length ? ` · off: ${runtime.eventBus.disabled.map((rule) => rule.name).join(', ')}` : ''}`,
);
console.log(`  Data     ${dataDir} (S3 objects under s3/, on-failure messages under on-failure/)`);
console.log(`  Processes ${runtime.emulators.map((e) => `${e.name} pid ${e.pid}`).join(', ')}`);
console.log(
  `  Look:    AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${s3Endpoint} s3 ls s3://${names.dataBucket}/ --recursive`,
);
console.log(
  `  Runs:    AWS_ENDPOINT_URL_SFN=${runtime.sfnEndpoint} aws stepfunctions list-executions --state-machine-arn ${stateMachineArn(names.stateMachine(stateMachines[0]?.name ?? '<name>'))}`,
);
console.log(`  Console  ${localConsole.url}`);
// `smlp … --local` finds these endpoints in .local/endpoints.json while this process runs.
writeLocalEndpoints({
  pid: process.pid,
  startedAt: new Date().toISOString(),
  s3: s3Endpoint ?? '',
  kinesis: kinesisEndpoint ?? '',
  sfn: runtime.sfnEndpoint,
  console: localConsole.url,
  prefix: defaultConfig.prefix,
  stage: 'local',
});
console.log('  CLI      npx smlp machines --local   (npx smlp --help for every command)');
for (const [key, url] of Object.entries(runtime.functionUrls)) {
  console.log(`  URL      ${key} ${url}  (IAM auth is not enforced locally)`);
}
for (const definition of stateMachines) {
  console.log(
    `  Schedule ${definition.name.padEnd(18)} ${definition.schedule?.expression ?? '(on demand)'}  ${definition.schedule?.description ?? ''}`,
  );
}
console.log(`▶ Clock starts at ${time(simulatedStart)} UTC and runs ×${speed} (Ctrl-C to stop)\n`);

/** One line per execution: what a person watching wants to know about it. */
const inFlight = new Set<Promise<void>>();
/** Lines carry the simulated time they are printed at, so they read in time order. */
const now = () => time(scheduler.now());
/** Fires skipped per state machine while its execution runs: one line when it starts skipping. */
const skipped = new Map<string, number>();
/** Executions this process started and reports itself; others (started through the API) are reported as they end. */
const reportedHere = new Set<string>();
const digest = new RunDigest(stateMachines);
const runAndReport = async (machine: string, input: unknown, at: Date) => {
  const name = `${machine}-${randomUUID().slice(0, 8)}`;
  reportedHere.add(name);
  const record = await runtime.stateMachines.startExecution(machine, input, name);
  reportedHere.delete(name);
  const skips = skipped.get(machine) ?? 0;
  skipped.delete(machine);
  const shown = digest.record(machine, record.status === 'SUCCEEDED', scheduler.now().getTime());
  if (shown.digest) console.log(`[${now()}] ${shown.digest} · ingested so far: ${ingestedSoFar()}`);
  if (!shown.ownLine) return record;
  console.log(
    `[${now()}] ${machine} ${record.status === 'SUCCEEDED' ? '✔' : '✘'} ${describe(machine, record)} · started ${time(at)} · ingested so far: ${ingestedSoFar()}${skips > 0 ? ` · ${skips} fire${skips === 1 ? '' : 's'} skipped while it ran` : ''}`,
  );
  return record;
};

// An event rule's start (an object landed, a system's event): which rule, which machine, which run.
runtime.eventBus.onActivity((a) => {
  if (a.type === 'started')
    console.log(`[${now()}] ${a.rule} → ${a.stateMachine} started · ${a.executionArn}`);
  else console.log(`  ! ${a.rule} could not start ${a.stateMachine}: ${a.message}`);
});

runtime.stateMachines.onExecutionEnded((record) => {
  if (reportedHere.has(record.executionName)) return;
  const rule = runtime.eventBus.ruleOf(record.executionName);
  const redriven = record.redriveCount ? ` (redrive ${record.redriveCount})` : '';
  const outcome =
    record.status === 'ABORTED'
      ? `✘ stopped${record.cause ? `: ${record.cause}` : ''}`
      : `${record.status === 'SUCCEEDED' ? '✔' : '✘'} ${describe(record.stateMachine, record)}`;
  console.log(
    `[${now()}] ${record.stateMachine} ${outcome} · ${record.executionName}${redriven}, started ${rule ? `by rule ${rule}` : 'through the Step Functions API'} · ingested so far: ${ingestedSoFar()}`,
  );
});

// A Distributed Map's progress: a line as its run starts, at each further tenth of its items, and
// as it ends (a run over 1,115 stores takes a while).
const shownTenths = new Map<string, number>();
runtime.stateMachines.onMapRunProgress((record, run) => {
  const done = run.itemCounts.succeeded + run.itemCounts.failed;
  const tenth = run.itemCounts.total === 0 ? 10 : Math.floor((done / run.itemCounts.total) * 10);
  if (run.status === 'RUNNING' && shownTenths.get(run.mapRunArn) === tenth) return;
  if (run.status === 'RUNNING') shownTenths.set(run.mapRunArn, tenth);
  else shownTenths.delete(run.mapRunArn);
  console.log(`[${now()}] ${record.stateMachine} · ${mapRunLine(run)}`);
});

// A system's first model is on demand on AWS; locally it starts by itself once the system's first
// stream run has written the initial training share, unless a champion exists already.
const firstModelChecked = new Set<string>();
async function maybeStartFirstModel(system: SystemDefinition, at: Date) {
  const first = system.firstModel;
  // Ctrl-C was pressed while the stream run was ending: start nothing new.
  if (stopping) return;
  // A system with keyed models (one per store) has its first models once its example key has one.
  const model = system.models[0] ?? system.keyedModels?.example;
  if (!first || !model || firstModelChecked.has(system.name)) return;
  firstModelChecked.add(system.name);
  const registry = new ModelRegistry({
    store: new S3ObjectStore(runtime.s3, names.artifactsBucket),
    pipeline: system.name,
    model,
  });
  if (await registry.champion()) return;
  console.log(`[${now()}] ${first.stateMachine} started: ${first.says}`);
  const run = runAndReport(first.stateMachine, first.input ?? {}, at).then(() => undefined);
  inFlight.add(run);
  void run.finally(() => inFlight.delete(run));
}

const scheduler = new LocalScheduler({
  definitions: stateMachines,
  start: simulatedStart,
  speed,
  skipped: (machine) => {
    if (!digest.announces(machine)) {
      digest.skipped(machine);
      return;
    }
    const count = (skipped.get(machine) ?? 0) + 1;
    skipped.set(machine, count);
    if (count === 1)
      console.log(`[${now()}] ${machine}: still running; its next fires are skipped until it ends`);
  },
  fire: async (machine, input, scheduledTime) => {
    const streamOf = systems.find((system) => streamStateMachine(system)?.name === machine);
    if (!streamOf && digest.announces(machine)) console.log(`[${now()}] ${machine} started`);
    const record = await runAndReport(machine, input, scheduledTime);
    if (streamOf && record.status === 'SUCCEEDED') await maybeStartFirstModel(streamOf, scheduledTime);
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
  removeLocalEndpoints(process.pid);
  // No new fires from here on; the scheduler's stop resolves once its fires' executions end.
  const schedulerStopped = scheduler.stop();
  // A fan-out (a Distributed Map over every store) can run for many minutes: it is stopped
  // instead of awaited. Its running children finish, no new one starts; what they trained stays.
  await stopFanOuts(signal);
  await schedulerStopped;
  await Promise.allSettled([...inFlight]);
  // Executions started through the Step Functions API (the CLI, the console) or by a rule end
  // too; a fan-out one of them started meanwhile is stopped as well.
  for (;;) {
    const running = runtime.stateMachines.executions.filter((record) => record.status === 'RUNNING');
    if (running.length === 0) break;
    await stopFanOuts(signal);
    await Promise.allSettled(running.map((record) => runtime.stateMachines.finished(record)));
  }
  await localConsole.stop();
  await runtime.stop();
  console.log(`✔ Stopped. ${ingestedSoFar()} records ingested this session; data kept in ${dataDir}`);
  process.exit(0);
}
/** Stops the running fan-outs and waits (at most 2 minutes) for their running children to end. */
async function stopFanOuts(signal: string): Promise<void> {
  const fanOuts = runtime.stateMachines.executions.filter(
    (record) => record.status === 'RUNNING' && fansOut(record.stateMachine),
  );
  for (const record of fanOuts)
    runtime.stateMachines.stop(record, {
      error: 'Interrupted',
      cause: `${signal} stopped npm start during the run; the items its Distributed Map finished are kept, start it again for the rest`,
    });
  if (fanOuts.length > 0)
    console.log(
      `  stopped ${fanOuts.map((r) => r.executionName).join(', ')}: no new Distributed Map children, the running ones finish (what they did is kept; start it again for the rest). Ctrl-C again exits at once.`,
    );
  const deadline = Date.now() + 120_000;
  while (fanOuts.some((r) => r.mapRuns?.some((run) => run.status === 'RUNNING')) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Whether a state machine's definition has a Distributed Map (a fan-out that Ctrl-C stops). */
function fansOut(stateMachine: string): boolean {
  const asl = runtime.stateMachines.definitionOf(stateMachine) as
    | { States: Record<string, { Type: string; [field: string]: unknown }> }
    | undefined;
  return asl !== undefined && distributedMapStates(asl.States).length > 0;
}
process.on('SIGINT', () => void shutdown('Ctrl-C'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
