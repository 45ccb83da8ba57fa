import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { cursorKey } from '../../core/streaming/dataset-keys.js';
import { type AppConfig, defaultConfig, resourceNames } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, localFunctionArn } from '../../local/local-environment.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { LocalScheduler } from '../../local/local-scheduler.js';
import type { ExecutionRecord } from '../../local/state-machine-runner.js';
import { systems as allSystems } from '../../systems/index.js';
import { logicalIdOf, synthStacks } from '../support/cdk-app.js';
import { failCommand, slowDown } from '../support/faults.js';
import { type ArnScope, iamRequestsOf, UnknownCallError } from './aws-actions.js';
import { type Caller, CallRecorder, callerId, type RecordedCall } from './call-recorder.js';
import { DeployedRoles } from './deployed-roles.js';
import {
  type CheckedRequest,
  evaluate,
  type Grant,
  grantKey,
  grantsOf,
  type Verdict,
} from './policy-check.js';
import { writeIamReport } from './report.js';
import { describeDenial, distinctRequests, requestsOfCalls } from './requests.js';

/**
 * IAM proven against real calls: every system's flows run on the local runtime with the real
 * handlers, every AWS SDK call each handler makes is recorded (with the function it ran in), and
 * each is evaluated by a policy simulator against that function's role as the stacks synthesize
 * it, the buckets' policies included. The state machines' Task invocations and the schedules'
 * starts are checked against their roles the same way. Any denial fails; the grants never used
 * are printed and written to test-results/iam-check.md. See docs/iam-check.md.
 */
// The local runtime's default names: the same configuration the stacks are synthesized with here.
const config: Pick<AppConfig, 'prefix' | 'stage'> = { prefix: defaultConfig.prefix, stage: 'local' };
const names = resourceNames(config);
const scope: ArnScope = { partition: 'aws', region: LOCAL_REGION, account: LOCAL_ACCOUNT };
const definition = pipelineDefinition(allSystems);
const stateMachineArn = (name: string) =>
  `arn:${scope.partition}:states:${scope.region}:${scope.account}:stateMachine:${names.stateMachine(name)}`;

const recorder = new CallRecorder();
let deployed: DeployedRoles;
let runtime: LocalRuntime | undefined;
let dataDir: string;
const verdicts: Verdict[] = [];
const unmodelled: string[] = [];

const order = { p: 1, d: 0, q: 0, P: 0, D: 1, Q: 1, s: 24 };
const waterSource = {
  kind: 'generated',
  seed: 21,
  days: 20,
  zones: 1,
  metersPerZone: 1,
  malformedRate: 0.02,
};
const sensorsSource = { seed: 8, days: 3, sensors: 4 };

async function run(machine: string, input: Record<string, unknown>): Promise<ExecutionRecord> {
  // As Step Functions would: the Tasks' invocations are this state machine role's calls.
  return recorder.as({ kind: 'state-machine', name: machine }, () =>
    (runtime as LocalRuntime).stateMachines.startExecution(machine, input),
  );
}

/** Runs a stream state machine until its data set is exhausted (at most `maxRuns` times). */
async function streamUntilExhausted(machine: string, input: Record<string, unknown>, maxRuns: number) {
  for (let i = 0; i < maxRuns; i++) {
    const stream = await run(machine, input);
    expect(stream.status, stream.cause).toBe('SUCCEEDED');
    if ((stream.output as { exhausted?: boolean }).exhausted) break;
  }
}

/** Every flow of every system, small: streaming (with a recovered slice), ingest, training, serving, lifecycle. */
async function exerciseEverySystem(rt: LocalRuntime): Promise<void> {
  // The producer's read-back path: its cursor write after a sent slice fails once, the Task's
  // retry (same run) finds the slice pending and reads the stream back.
  const producer = await import('../../lambdas/producer/index.js');
  let cursorWrites = 0;
  const cursorFault = failCommand(
    producer.s3,
    'PutObjectCommand',
    (_, input) => input.Key === cursorKey('water') && ++cursorWrites === 2,
    slowDown,
  );
  await streamUntilExhausted(
    'water-stream',
    { source: waterSource, initialShare: 0.45, batchSize: 100, numBatches: 1 },
    6,
  );
  cursorFault.remove();
  expect(cursorWrites, 'the failing cursor write happened').toBeGreaterThanOrEqual(2);
  // A user's CSV under uploads/ that is not there: read, answered 404.
  const missingCsv = await run('water-stream', {
    source: { uri: `s3://${names.dataBucket}/uploads/water/missing.csv` },
    resetCursor: true,
  });
  expect(missingCsv.status).toBe('FAILED');
  await streamUntilExhausted(
    'sensors-stream',
    { source: sensorsSource, initialShare: 0, batchSize: 2000, numBatches: 2 },
    10,
  );
  await rt.eventSource.waitUntilIdle(60_000);

  const init = await run('water-init-model', { order, holdoutHours: 24 });
  expect(init.status, init.cause).toBe('SUCCEEDED');
  const forecast = await fetch(`${rt.functionUrls['water-forecast']}?horizon=6`);
  expect(forecast.status).toBe(200);
  const retrain = await run('water-retrain', {
    order,
    holdoutHours: 24,
    rule: { minRelativeImprovement: -1, requireAicNotWorse: false },
  });
  expect(retrain.status, retrain.cause).toBe('SUCCEEDED');
  const rollback = await run('rollback', { pipeline: 'water', reason: 'iam check: back to the first model' });
  expect(rollback.status, rollback.cause).toBe('SUCCEEDED');
  // The retrained version, promoted again by hand.
  const registry = new ModelRegistry({
    store: new S3ObjectStore(rt.s3, names.artifactsBucket),
    pipeline: 'water',
    model: 'forecast',
  });
  const promote = await run('promote', {
    pipeline: 'water',
    version: (await registry.listVersions()).at(-1),
    reason: 'iam check: promoted by hand',
  });
  expect(promote.status, promote.cause).toBe('SUCCEEDED');
  const archive = await run('archive', { pipeline: 'water', beforeDay: '9999-12-31' });
  expect(archive.status, archive.cause).toBe('SUCCEEDED');

  const training = await run('sensors-training', { kMin: 2, kMax: 3, windowDays: 30 });
  expect(training.status, training.cause).toBe('SUCCEEDED');
  const inference = await run('sensors-inference', { lastDays: 3 });
  expect(inference.status, inference.cause).toBe('SUCCEEDED');
  const days = (training.output as { days: string[] }).days;
  const endpoint = rt.functionUrls['sensors-endpoint'] as string;
  const stored = await fetch(`${endpoint}?sensorId=sensor-001&day=${days[0]}`);
  expect(stored.status).toBe(200);

  // Online: the poller onto the stream, the learner (the system's own stream consumer), the
  // daily analysis, and both Function URLs (the source, the API over the learner's results).
  const poll = await run('online-poll', { seconds: 1, intervalSeconds: 0.01 });
  expect(poll.status, poll.cause).toBe('SUCCEEDED');
  await rt.eventSource.waitUntilIdle(60_000);
  await rt.streamConsumers.get('online-learner')?.waitUntilIdle(60_000);
  const record = await fetch(new URL('?tick=3', rt.functionUrls['online-source']));
  expect(record.status).toBe(200);
  const metrics = await fetch(new URL('metrics', rt.functionUrls['online-api']));
  expect(metrics.status).toBe(200);
  const analysis = await run('online-analysis', {});
  expect(analysis.status, analysis.cause).toBe('SUCCEEDED');

  // Churn: the initial share and a first slice, the daily run (collect, summarize, features;
  // the first model waits for settled labels), a training run by hand on permissive settings,
  // the rest streamed, the daily run again (scores → the marker's S3 event → monitoring, whose
  // alert event may start a retrain), the EDA, and both HTTP routes of the control endpoint.
  const churnSource = {
    seed: 5,
    start: '2025-01-01',
    days: 70,
    customers: 120,
    activity: 0.08,
    driftStartDay: 50,
  };
  const churnStream = { source: churnSource, initialShare: 0.7, batchSize: 2000, numBatches: 1 };
  const firstSlice = await run('churn-stream', churnStream);
  expect(firstSlice.status, firstSlice.cause).toBe('SUCCEEDED');
  await rt.eventSource.waitUntilIdle(60_000);
  const firstDaily = await run('churn-daily', {});
  expect(firstDaily.status, firstDaily.cause).toBe('SUCCEEDED');
  const churnTraining = await run('churn-train', {
    snapshotEveryDays: 1,
    minSnapshots: 3,
    calibrationSnapshots: 2,
    holdoutSnapshots: 2,
    nTrees: 10,
  });
  expect(churnTraining.status, churnTraining.cause).toBe('SUCCEEDED');
  await streamUntilExhausted('churn-stream', { ...churnStream, numBatches: 5 }, 10);
  await rt.eventSource.waitUntilIdle(60_000);
  const secondDaily = await run('churn-daily', {});
  expect(secondDaily.status, secondDaily.cause).toBe('SUCCEEDED');
  const churnMonitor = await run('churn-monitor', { lastDays: 30 });
  expect(churnMonitor.status, churnMonitor.cause).toBe('SUCCEEDED');
  const eda = await run('churn-eda', { startDate: '2025-01-01', endDate: '2025-01-31' });
  expect(eda.status, eda.cause).toBe('SUCCEEDED');
  const control = rt.functionUrls['churn-control'] as string;
  const startStream = await fetch(new URL('start_stream', control), {
    method: 'POST',
    body: JSON.stringify({ batchSize: 10, numBatches: 1, intervalSeconds: 0 }),
  });
  expect(startStream.status).toBe(202);
  const runMonitoring = await fetch(new URL('run-monitoring', control), { method: 'POST' });
  expect(runMonitoring.status).toBe(202);
  // Sales: history and a first week, sales-train (collect, plan, the Distributed Map's manifest,
  // children and results in S3, summarize), the daily run (monitor, forecast, archive) twice so
  // monitoring scores a forecast, the forecast service, a second training of one store and its
  // rollback.
  const salesStream = {
    source: { seed: 3, stores: 2, days: 420, shiftDay: 400, shiftStoreShare: 1, shiftFactor: 0.5 },
    initialShare: 0.93,
    batchSize: 14,
    numBatches: 1,
  };
  const salesFirst = await run('sales-stream', salesStream);
  expect(salesFirst.status, salesFirst.cause).toBe('SUCCEEDED');
  await rt.eventSource.waitUntilIdle(60_000);
  const salesTraining = await run('sales-train', { trigger: 'first-models' });
  expect(salesTraining.status, salesTraining.cause).toBe('SUCCEEDED');
  const salesDaily = await run('sales-daily', {});
  expect(salesDaily.status, salesDaily.cause).toBe('SUCCEEDED');
  await streamUntilExhausted('sales-stream', salesStream, 3);
  await rt.eventSource.waitUntilIdle(60_000);
  const salesSecondDaily = await run('sales-daily', {});
  expect(salesSecondDaily.status, salesSecondDaily.cause).toBe('SUCCEEDED');
  const salesApi = rt.functionUrls['sales-api'] as string;
  expect((await fetch(new URL('forecast?store=1&horizon=7', salesApi))).status).toBe(200);
  expect((await fetch(new URL('health', salesApi))).status).toBe(200);
  const storeRetrain = await run('sales-train', { stores: [1] });
  expect(storeRetrain.status, storeRetrain.cause).toBe('SUCCEEDED');
  const storeRollback = await run('rollback', {
    pipeline: 'sales',
    model: 'store-0001',
    reason: 'iam check: back to the first model of store 1',
  });
  expect(storeRollback.status, storeRollback.cause).toBe('SUCCEEDED');

  // What the endpoint and the rules started runs in the background: let it end, so its calls are
  // checked too and none lands in a later test's window.
  const deadline = Date.now() + 240_000;
  while (rt.stateMachines.executions.some((e) => e.status === 'RUNNING')) {
    if (Date.now() > deadline) throw new Error('executions started by the endpoint or the rules did not end');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await rt.eventSource.waitUntilIdle(60_000);

  // EventBridge Scheduler's part: the local scheduler fires every schedule of the definition on
  // a fast clock; each start is the schedule role's states:StartExecution on its state machine.
  const scheduler = new LocalScheduler({
    definitions: definition.stateMachines,
    start: new Date('2024-01-01T00:00:00Z'),
    speed: 2_000_000,
    tickMs: 20,
    fire: async (machine) =>
      recorder.recordDirect({ kind: 'schedule', name: machine }, 'states:StartExecution', {
        stateMachineArn: stateMachineArn(machine),
      }),
  });
  scheduler.start();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await scheduler.stop();
}

beforeAll(async () => {
  const started = Date.now();
  const synth = synthStacks({ bundle: false, config });
  deployed = new DeployedRoles(
    [
      { stackName: synth.stacks.data.stackName, template: synth.data.toJSON() },
      { stackName: synth.stacks.pipeline.stackName, template: synth.pipeline.toJSON() },
    ],
    definition,
    config,
    scope,
    // Bucket names are left to CloudFormation; locally they are these.
    {
      [logicalIdOf(synth.stacks.data.dataBucket)]: names.dataBucket,
      [logicalIdOf(synth.stacks.data.artifactsBucket)]: names.artifactsBucket,
      // Only S3's log delivery writes to it; no function, state machine or schedule reaches it.
      [logicalIdOf(synth.stacks.data.accessLogsBucket)]: 'smlp-local-access-logs',
    },
  );
  recorder.install();
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-iam-'));
  runtime = await LocalRuntime.start({
    dataDir,
    shardCount: 1,
    pollIntervalMs: 50,
    wrapHandler: recorder.wrapHandler((key) => localFunctionArn(names.function(key))),
    withExecution: (machine, start) => recorder.withExecution(machine, start),
  });
  await exerciseEverySystem(runtime);
  const requests = [
    ...distinctRequests(requestsOfCalls(recorder.calls, scope, unmodelled)),
    ...deployed.serviceCalls.map((call) => ({ ...call })),
  ];
  for (const request of requests) {
    try {
      verdicts.push(await evaluate(request, deployed));
    } catch (error) {
      unmodelled.push(
        `${callerId(request.caller)} ${request.action} on ${request.resource}: ${(error as Error).message}`,
      );
    }
  }
  process.stdout.write(
    `IAM check: scenario and ${verdicts.length} evaluations in ${Date.now() - started} ms\n`,
  );
}, 600_000);

afterAll(async () => {
  await runtime?.stop();
  recorder.uninstall();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('IAM proven against the calls the handlers make', () => {
  it('attributes every SDK call to a function: none from a client the harness does not own', () => {
    const stray = recorder.strayCalls([(runtime as LocalRuntime).s3, (runtime as LocalRuntime).kinesis]);
    expect(
      stray.map((s) => `${[...s.commands].map(([c, n]) => `${c}×${n}`).join(', ')} from\n${s.firstStack}`),
    ).toEqual([]);
    expect(CallRecorder.clientPrototypes(), 'one copy of the SDK client core').toHaveLength(1);
  });

  it('ran every function, every state machine and every schedule, and saw each function call AWS', () => {
    const invoked = Object.keys(definition.functions).filter((key) => !recorder.invocations.has(key));
    expect(invoked, 'functions never invoked').toEqual([]);
    const callers = new Set(recorder.calls.map((call) => callerId(call.caller)));
    // A function that declares no bucket and no stream (the online source) has nothing to call.
    const callsAws = (key: string) => {
      const access = definition.functions[key]?.access;
      return Boolean(access?.dataBucket || access?.artifactsBucket || access?.stream);
    };
    const silent = Object.keys(definition.functions).filter(
      (key) => callsAws(key) && !callers.has(`function:${key}`),
    );
    expect(silent, 'functions with no recorded AWS call').toEqual([]);
    const machines = definition.stateMachines.filter((m) => !callers.has(`state-machine:${m.name}`));
    expect(
      machines.map((m) => m.name),
      'state machines never run',
    ).toEqual([]);
    const schedules = definition.stateMachines.filter(
      (m) => m.schedule && !callers.has(`schedule:${m.name}`),
    );
    expect(
      schedules.map((m) => m.name),
      'schedules never fired',
    ).toEqual([]);
    // The producer's read-back of the stream (after its failed cursor write) ran too.
    const producerCommands = new Set(
      recorder.calls.filter((c) => c.caller.name === 'producer').map((c) => c.command),
    );
    expect([...producerCommands]).toEqual(
      expect.arrayContaining([
        'ListShardsCommand',
        'GetShardIteratorCommand',
        'GetRecordsCommand',
        'PutRecordsCommand',
      ]),
    );
  });

  it('knows every call it recorded: each maps to IAM actions and resources the simulator accepts', () => {
    expect(unmodelled).toEqual([]);
  });

  it("schedules start the state machine their definition names, the one the template's schedule targets", () => {
    for (const machine of definition.stateMachines.filter((m) => m.schedule))
      expect(deployed.scheduleTargets.get(machine.name), machine.name).toBe(stateMachineArn(machine.name));
  });

  it('finds no call that IAM would deny, to any function, state machine or schedule role', () => {
    const denied = verdicts.filter((v) => v.decision !== 'Allowed');
    expect(denied.map(describeDenial)).toEqual([]);
  });

  it('reports the permissions granted but never used, per role', () => {
    const used = new Set(verdicts.flatMap((v) => v.grantsUsed));
    const grants: Grant[] = [...deployed.roles.entries()].flatMap(([id, role]) => {
      const [kind, ...rest] = id.split(':');
      return grantsOf({ kind: kind as Caller['kind'], name: rest.join(':') }, role.policies);
    });
    const unused = grants.filter((g) => !used.has(grantKey(g)));
    const report = writeIamReport(path.join(REPO_ROOT, 'test-results', 'iam-check.md'), {
      verdicts,
      grants,
      unused,
      unmappedRoles: deployed.unmappedRoles,
      calls: recorder.calls.length,
    });
    process.stdout.write(`\n${report.summary}\n`);
    // Something was used by every role: a role whose grants all went unused was not exercised.
    const unusedRoles = [...deployed.roles.keys()].filter(
      (id) => !grants.some((g) => g.caller === id && used.has(grantKey(g))),
    );
    expect(unusedRoles).toEqual([]);
    expect(grants.length).toBeGreaterThan(unused.length);
  });
});

describe('the check can fail', () => {
  const ingestWrite = (): CheckedRequest => {
    const verdict = verdicts.find(
      (v) =>
        v.request.caller.name === 'ingest' &&
        v.request.action === 's3:PutObject' &&
        v.request.by === 'recorded',
    );
    if (!verdict) throw new Error('no recorded ingest PutObject to test with');
    return verdict.request;
  };

  it('denies a recorded call once the grant it used is removed from the role', async () => {
    // Prepare: ingest's policies without the statement that allows its raw/ writes.
    const request = ingestWrite();
    const role = deployed.roleOf(request.caller);
    const without = role.policies.map((policy) => ({
      ...policy,
      document: {
        ...policy.document,
        Statement: policy.document.Statement.filter(
          (s) => !(s.Effect === 'Allow' && JSON.stringify(s.Action).includes('s3:PutObject')),
        ),
      },
    }));
    // Act
    const verdict = await evaluate(request, deployed, { policies: without });
    // Assess
    expect(verdict.decision).toBe('ImplicitlyDenied');
    expect(describeDenial(verdict)).toMatch(
      /^function:ingest s3:PutObject on arn:aws:s3:::smlp-local-data\/raw\//,
    );
    expect(verdict.why).toMatch(/no statement of .* grants s3:PutObject/);
  });

  it('denies a write outside the prefixes a function declares', async () => {
    const request = { ...ingestWrite(), resource: `arn:aws:s3:::${names.dataBucket}/models/water/x.json` };
    const verdict = await evaluate(request, deployed);
    expect(verdict.decision).toBe('ImplicitlyDenied');
    expect(verdict.why).toMatch(/s3:PutObject is granted only on .*raw\/\*/);
  });

  it("applies the bucket's own policy: a call over plain HTTP is denied explicitly", async () => {
    const verdict = await evaluate(ingestWrite(), deployed, { context: { 'aws:SecureTransport': 'false' } });
    expect(verdict.decision).toBe('ExplicitlyDenied');
    expect(verdict.why).toMatch(/resource policy/);
  });

  it('refuses a call it cannot map rather than passing it', () => {
    const call: RecordedCall = {
      caller: { kind: 'function', name: 'ingest' },
      command: 'PutBucketPolicyCommand',
      input: { Bucket: names.dataBucket },
    };
    expect(() => iamRequestsOf(call, scope)).toThrow(UnknownCallError);
    expect(() =>
      iamRequestsOf(
        { ...call, command: 'PutObjectCommand', input: { Bucket: 'b', Key: 'k', ACL: 'public-read' } },
        scope,
      ),
    ).toThrow(/ACL/);
  });

  it('records a call made inside a handler, and nothing made outside one', async () => {
    const before = recorder.calls.length;
    const { S3Client, HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ region: LOCAL_REGION, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const wrapped = recorder.wrapHandler((key) => key)('probe', async () =>
      client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' })).catch(() => undefined),
    );
    await wrapped({});
    await client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'outside' })).catch(() => undefined);
    client.destroy();
    const seen = recorder.calls.slice(before);
    expect(seen.map((c) => [callerId(c.caller), c.command, c.input.Key])).toEqual([
      ['function:probe', 'HeadObjectCommand', 'k'],
    ]);
    expect(recorder.strayCalls([]).some((s) => s.client === client)).toBe(true);
    recorder.calls.splice(before);
    recorder.invocations.delete('probe');
  });
});
