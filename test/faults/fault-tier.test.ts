import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import type { ExecutionRecord, LocalHandler } from '../../local/state-machine-runner.js';
import { sensorsSystem } from '../../systems/sensors/system.js';
import { waterSystem } from '../../systems/water/system.js';
import { FaultProxy, type FaultRule } from '../support/fault-proxy.js';
import {
  championSound,
  type Invariant,
  recordsExactlyOnce,
  type StreamedDataset,
  sensorChunks,
  type TrainingData,
  trainingDataKept,
  waterSeries,
} from './invariants.js';

/**
 * The fault-injection tier: each system's state machines run on the local runtime with the real
 * handlers and ASL while S3 misbehaves at every step (through a proxy that answers as S3 does),
 * steps crash, fits run out of time and executions race. After each fault (and a clean run, when the
 * fault made one fail) the invariants are checked on the buckets themselves. The table of faults
 * and invariants is printed at the end and written to test-results/fault-tier.md.
 */
let runtime: LocalRuntime;
let proxy: FaultProxy;
let dataDir: string;
/** Steps seen per state machine, in order, as `function.action`. */
const stepsSeen = new Map<string, string[]>();
let currentMachine: string | undefined;
/** A crash armed for one invocation of a step: it runs, then its process "dies" (the call throws). */
let crash: { step: string; afterRequests: number; fired: boolean } | undefined;

// Enough rows for a fresh batch before every scenario (about 28 batches of each system).
const waterSource = {
  kind: 'generated',
  seed: 11,
  days: 60,
  zones: 1,
  metersPerZone: 2,
  malformedRate: 0.01,
};
const sensorsSource = { kind: 'generated', seed: 4, days: 40, sensors: 6, readingsPerHour: 2 };
const streamed: StreamedDataset[] = [
  { system: waterSystem, source: waterSource, initialShare: 0.4 },
  { system: sensorsSystem, source: sensorsSource, initialShare: 0 },
];
const order = { p: 1, d: 0, q: 1, P: 0, D: 1, Q: 1, s: 24 };
const machineInput: Record<string, Record<string, unknown>> = {
  'water-init-model': { order, holdoutHours: 24 },
  'water-retrain': {
    order,
    holdoutHours: 24,
    rule: { minRelativeImprovement: -1, requireAicNotWorse: false },
  },
  'sensors-training': { kMin: 2, kMax: 3, windowDays: 30, rule: { minRelativeImprovement: -1 } },
  'sensors-inference': { lastDays: 6 },
  rollback: { pipeline: 'water', reason: 'fault tier: a rollback under faults' },
};
const streamInput = {
  water: { source: waterSource, initialShare: 0.4, batchSize: 60, numBatches: 1 },
  sensors: { pipeline: 'sensors', source: sensorsSource, initialShare: 0, batchSize: 400, numBatches: 1 },
} as const;

const stepOf = (key: string, event: unknown) => {
  const action = (event as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? `${key}.${action}` : key;
};

function wrapHandler(key: string, handler: LocalHandler): LocalHandler {
  return async (event) => {
    const step = stepOf(key, event);
    if (currentMachine && key !== 'ingest') {
      const seen = stepsSeen.get(currentMachine) ?? [];
      if (!seen.includes(step)) seen.push(step);
      stepsSeen.set(currentMachine, seen);
    }
    const armed = crash && !crash.fired && crash.step === step ? crash : undefined;
    if (!armed) return proxy.during(step, () => handler(event));
    armed.fired = true;
    // The process dies after its first requests: nothing it would have sent later reaches S3.
    const dead = proxy.inject({
      fault: 'reset',
      after: armed.afterRequests,
      matches: (r) => r.steps.has(step),
    });
    try {
      await proxy.during(step, () => handler(event)).catch(() => undefined);
    } finally {
      dead.remove();
    }
    throw Object.assign(
      new Error(`RequestId: local Error: Runtime exited with error: signal: killed (${step}, injected)`),
      {
        name: 'Runtime.ExitError',
      },
    );
  };
}

async function stream(system: 'water' | 'sensors', batches = 1): Promise<void> {
  for (let i = 0; i < batches; i++) {
    const run = await runtime.stateMachines.startExecution(`${system}-stream`, streamInput[system]);
    expect(run.status, run.cause).toBe('SUCCEEDED');
  }
  await runtime.eventSource.waitUntilIdle(120_000);
}

async function execute(machine: string, input?: Record<string, unknown>): Promise<ExecutionRecord> {
  currentMachine = machine;
  try {
    return await runtime.stateMachines.startExecution(machine, input ?? machineInput[machine] ?? {});
  } finally {
    currentMachine = undefined;
  }
}

interface Row {
  fault: string;
  where: string;
  injected: number;
  outcome: string;
  checked: number;
  held: number;
  violations: string[];
}
const rows: Row[] = [];

const trainingData: TrainingData[] = [waterSeries, sensorChunks];
const snapshots = new Map<string, Set<string>>();
const invariants = (): Invariant[] => [
  ...streamed.map((s) => recordsExactlyOnce(runtime, s)),
  ...trainingData.map((data) => trainingDataKept(runtime, data, () => snapshots.get(data.name) ?? new Set())),
  championSound(runtime, 'water', 'forecast'),
  championSound(runtime, 'sensors', 'clusters'),
];

/**
 * One row of the table: snapshot the training data, inject, run, clear, run the machine again
 * if the fault made it fail (as a user or the next schedule would), then check every invariant.
 */
async function scenario(options: {
  fault: string;
  where: string;
  rules?: FaultRule[];
  prepare?: () => Promise<void>;
  act: () => Promise<ExecutionRecord[]>;
  recover?: () => Promise<ExecutionRecord | undefined>;
  injected?: () => number;
}): Promise<Row> {
  await options.prepare?.();
  for (const data of trainingData) snapshots.set(data.name, (await data.read(runtime)).keys);
  const injected = (options.rules ?? []).map((rule) => proxy.inject(rule));
  let executions: ExecutionRecord[];
  try {
    executions = await options.act();
  } finally {
    for (const rule of injected) rule.remove();
    crash = undefined;
  }
  await runtime.eventSource.waitUntilIdle(120_000);
  const outcome = executions.map((e) => {
    const output = e.output as { produced?: number; skipped?: string } | undefined;
    const detail = output?.skipped
      ? ' (sent nothing: another run held the cursor)'
      : output?.produced === undefined
        ? ''
        : ` (${output.produced} sent)`;
    return `${e.status === 'SUCCEEDED' ? 'ok' : (e.error ?? 'failed')}${detail}`;
  });
  if (executions.some((e) => e.status !== 'SUCCEEDED') && options.recover) {
    const again = await options.recover();
    await runtime.eventSource.waitUntilIdle(120_000);
    if (again) outcome.push(`then ${again.status === 'SUCCEEDED' ? 'ok' : `${again.error}: ${again.cause}`}`);
  }
  const violations: string[] = [];
  const checks = invariants();
  for (const invariant of checks) {
    const problem = await invariant.check();
    if (problem) violations.push(`${invariant.name}: ${problem}`);
  }
  const row: Row = {
    fault: options.fault,
    where: options.where,
    injected: options.injected?.() ?? injected.reduce((sum, rule) => sum + rule.injected(), 0),
    outcome: outcome.join(', '),
    checked: checks.length,
    held: checks.length - violations.length,
    violations,
  };
  rows.push(row);
  return row;
}

const inStep = (step: string, operation?: string) => (r: { steps: ReadonlySet<string>; operation: string }) =>
  r.steps.has(step) && (!operation || r.operation === operation);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smlp-faults-'));
  runtime = await LocalRuntime.start({
    dataDir,
    shardCount: 2,
    pollIntervalMs: 50,
    handlerEndpoints: async (emulators) => {
      proxy = await FaultProxy.start(emulators.s3);
      return { ...emulators, s3: proxy.endpoint };
    },
    wrapHandler,
  });
  // A first model for each system, and the steps of every state machine, from clean runs.
  await stream('water', 2);
  await stream('sensors', 2);
  for (const machine of ['water-init-model', 'sensors-training', 'sensors-inference']) {
    const run = await execute(machine);
    expect(run.status, `${machine}: ${run.cause}`).toBe('SUCCEEDED');
  }
  await stream('water');
  const retrain = await execute('water-retrain');
  expect(retrain.status, retrain.cause).toBe('SUCCEEDED');
  // Back to the first water champion: the rollback state machine's steps, seen once cleanly.
  const rollback = await execute('rollback');
  expect(rollback.status, rollback.cause).toBe('SUCCEEDED');
}, 300_000);

afterAll(async () => {
  await runtime?.stop();
  await proxy?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (rows.length === 0) return;
  const table = [
    '| Fault injected | Where | Faults | Outcome | Invariants checked | Held |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.where} | ${r.injected} | ${r.outcome.replaceAll('|', '/')} | ${r.checked} | ${r.held} |`,
    ),
  ].join('\n');
  const dir = path.join(REPO_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'fault-tier.md'), `${table}\n`);
  const faults = rows.reduce((sum, r) => sum + r.injected, 0);
  const held = rows.reduce((sum, r) => sum + r.held, 0);
  const checked = rows.reduce((sum, r) => sum + r.checked, 0);
  console.log(
    `\nFault tier: ${rows.length} scenarios, ${faults} faults injected, ${held}/${checked} invariant checks held\n${table}\n`,
  );
});

const trainingMachines = [
  { machine: 'water-retrain', system: 'water' as const },
  { machine: 'sensors-training', system: 'sensors' as const },
];
/** Every state machine that decides or serves, step by step (the streams have their own tests below). */
const machinesStepByStep = [
  ...trainingMachines,
  { machine: 'water-init-model', system: 'water' as const },
  { machine: 'sensors-inference', system: 'sensors' as const },
  { machine: 'rollback', system: 'water' as const },
];

describe('the fault tier: every step of every state machine under S3 faults', () => {
  for (const { machine, system } of machinesStepByStep) {
    it(`${machine}: an S3 error at each step, mid-step, fails safe and the next run recovers`, async () => {
      const steps = stepsSeen.get(machine) ?? [];
      expect(steps.length, `${machine} steps seen`).toBeGreaterThan(0);
      for (const step of steps) {
        if (proxy.requestsOf(step) === 0) {
          rows.push({
            fault: 'none: the step makes no S3 request',
            where: `${machine} › ${step}`,
            injected: 0,
            outcome: '-',
            checked: 0,
            held: 0,
            violations: [],
          });
          continue;
        }
        // Mid-step (its first request done), or from its first request if it makes only one.
        let row: Row | undefined;
        for (const after of [1, 0]) {
          row = await scenario({
            fault: `S3 500 InternalError on every request${after ? ' after the first' : ''}`,
            where: `${machine} › ${step}`,
            rules: [{ fault: 'error', after, matches: inStep(step) }],
            prepare: () => stream(system),
            act: async () => [await execute(machine)],
            recover: () => execute(machine),
          });
          if (row.injected > 0) break;
          rows.pop();
        }
        expect(row?.injected, `${machine} › ${step}: faults injected`).toBeGreaterThan(0);
        expect(row?.violations, `${machine} › ${step}`).toEqual([]);
      }
    }, 600_000);

    it(`${machine}: S3 throttling on one request in four is absorbed by retries`, async () => {
      let n = 0;
      const row = await scenario({
        fault: 'S3 503 SlowDown on one request in four',
        where: `${machine} (all steps)`,
        rules: [{ fault: 'throttle', matches: () => ++n % 4 === 0 }],
        prepare: () => stream(system),
        act: async () => [await execute(machine)],
      });
      expect(row.injected).toBeGreaterThan(0);
      expect(row.outcome).toBe('ok');
      expect(row.violations).toEqual([]);
    }, 300_000);
  }
});

describe('the fault tier: crashes, lost acknowledgements, fits out of time, races', () => {
  it('ingest: S3 errors, throttling, a lost acknowledgement and a crash mid-batch', async () => {
    let n = 0;
    const cases: { fault: string; rules?: FaultRule[]; crashAfter?: number }[] = [
      {
        fault: 'S3 503 SlowDown on one raw/ write in two',
        rules: [{ fault: 'throttle', matches: (r) => r.steps.has('ingest') && ++n % 2 === 0 }],
      },
      {
        // A batch may make only a couple of writes: fault the first ones, more than the SDK retries.
        fault: 'S3 500 on the first 5 raw/ writes',
        rules: [{ fault: 'error', times: 5, matches: inStep('ingest', 'write') }],
      },
      {
        fault: 'write done, acknowledgement lost (twice)',
        rules: [{ fault: 'lose-response', times: 2, matches: inStep('ingest', 'write') }],
      },
      { fault: 'function crash after 2 S3 requests of a batch', crashAfter: 2 },
    ];
    for (const c of cases) {
      for (const system of ['water', 'sensors'] as const) {
        const row = await scenario({
          fault: c.fault,
          where: `ingest (${system} records)`,
          ...(c.rules ? { rules: c.rules } : {}),
          act: async () => {
            if (c.crashAfter !== undefined)
              crash = { step: 'ingest', afterRequests: c.crashAfter, fired: false };
            const run = await runtime.stateMachines.startExecution(`${system}-stream`, streamInput[system]);
            await runtime.eventSource.waitUntilIdle(120_000);
            return [run];
          },
          ...(c.crashAfter !== undefined ? { injected: () => 1 } : {}),
        });
        expect(row.injected, `${c.fault} (${system}): faults injected`).toBeGreaterThan(0);
        expect(row.violations, `${c.fault} (${system})`).toEqual([]);
      }
    }
  }, 600_000);

  it('producer: the cursor write fails after the records were put, and a crash between the two', async () => {
    for (const system of ['water', 'sensors'] as const) {
      const row = await scenario({
        fault: 'S3 500 on every cursor write (records already put)',
        where: `${system}-stream › producer`,
        rules: [
          { fault: 'error', matches: (r) => r.operation === 'write' && r.path.includes('producer-cursor') },
        ],
        act: async () => [
          await runtime.stateMachines.startExecution(`${system}-stream`, streamInput[system]),
        ],
        recover: () => runtime.stateMachines.startExecution(`${system}-stream`, streamInput[system]),
      });
      expect(row.injected, `${system}: faults injected`).toBeGreaterThan(0);
      expect(row.violations, system).toEqual([]);
    }
  }, 300_000);

  it('archive: a crash between copying to archive/ and deleting from raw/', async () => {
    for (const { machine, system } of trainingMachines) {
      const row = await scenario({
        fault: 'S3 500 on every delete (copies done)',
        where: `${machine} › archive.move`,
        rules: [{ fault: 'error', matches: inStep('archive.move', 'delete') }],
        prepare: () => stream(system),
        act: async () => [await execute(machine)],
        recover: () => execute(machine),
      });
      expect(row.injected, `${machine}: faults injected`).toBeGreaterThan(0);
      expect(row.violations, machine).toEqual([]);
    }
  }, 300_000);

  it('training: every fit runs out of its time limit mid-fit', async () => {
    // The fit's only clock is performance.now (its deadline): once a fit has started, the clock
    // jumps a day ahead, as on a machine that stalls, so every fit stops at its limit mid-search.
    const now = performance.now.bind(performance);
    let calls = 0;
    let jumped = 0;
    const row = await scenario({
      fault: 'the clock jumps past every fit time limit mid-fit',
      where: 'water-retrain › water-train.train',
      prepare: () => stream('water'),
      act: async () => {
        performance.now = () => {
          calls++;
          if (calls === 50) jumped++;
          return now() + (calls >= 50 ? 86_400_000 : 0);
        };
        try {
          return [await execute('water-retrain')];
        } finally {
          performance.now = now;
        }
      },
      recover: () => execute('water-retrain'),
      injected: () => jumped,
    });
    expect(jumped).toBe(1);
    expect(row.violations).toEqual([]);
    expect(row.outcome).toMatch(/^TrainingFailed, then ok/);
  }, 300_000);

  it('races: two executions of the same or conflicting state machines at once', async () => {
    const races: {
      name: string;
      system: 'water' | 'sensors';
      machines: [string, Record<string, unknown>?][];
    }[] = [
      {
        name: 'two water-retrain at once',
        system: 'water',
        machines: [['water-retrain'], ['water-retrain']],
      },
      {
        name: 'two sensors-training at once',
        system: 'sensors',
        machines: [['sensors-training'], ['sensors-training']],
      },
      {
        name: 'water-retrain and a rollback at once',
        system: 'water',
        machines: [['water-retrain'], ['rollback', { pipeline: 'water', reason: 'fault tier: race' }]],
      },
      {
        name: 'two water-stream at once',
        system: 'water',
        machines: [
          ['water-stream', streamInput.water],
          ['water-stream', streamInput.water],
        ],
      },
      {
        name: 'two sensors-stream at once',
        system: 'sensors',
        machines: [
          ['sensors-stream', streamInput.sensors],
          ['sensors-stream', streamInput.sensors],
        ],
      },
    ];
    for (const race of races) {
      const row = await scenario({
        fault: race.name,
        where: race.machines.map(([m]) => m).join(' ∥ '),
        prepare: () => stream(race.system),
        act: () => Promise.all(race.machines.map(([machine, input]) => execute(machine, input))),
        injected: () => race.machines.length,
      });
      expect(row.violations, race.name).toEqual([]);
    }
  }, 600_000);
});
