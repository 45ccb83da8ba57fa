import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import { createS3Client } from '../lambdas/platform/clients.js';
import {
  inPartition,
  LAMBDA_INVOKE,
  LOCAL_PARTITION,
  renderAsl,
  substitutions,
  taskStates,
} from '../lib/config/asl.js';
import type { PipelineDefinition } from '../lib/config/pipeline-definition.js';
import type { StateMachineDefinition } from '../lib/config/system-definition.js';
import { LocalDistributedMaps } from './distributed-map/local-maps.js';
import type { MapRunRecord } from './distributed-map/map-run.js';
import { WorkerPool } from './distributed-map/worker-pool.js';
import { lambdaInvokeBinding } from './lambda-invoke.js';
import { withExecutionLongTaskTimeouts } from './task-timeouts.js';

export type LocalHandler = (event: unknown) => Promise<unknown>;

/** One event of aws-local-stepfunctions' event log (the library does not export the type). */
export type EngineEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** What happened during an execution, oldest first: the engine's events, and each redrive. */
export type RecordedEvent =
  | EngineEvent
  | { type: 'ExecutionRedriven'; timestamp: number; redriveCount: number }
  | MapRunEvent;

/** A Distributed Map's run starting and ending (the Map state's own events come from the engine). */
export type MapRunEvent = {
  type: 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed' | 'MapRunAborted';
  timestamp: number;
  mapRunArn: string;
  stateName: string;
  error?: string;
  cause?: string;
};

export type { MapRunRecord } from './distributed-map/map-run.js';

export interface ExecutionRecord {
  executionName: string;
  stateMachine: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Errors thrown by handlers during the execution (retried or caught ones included), oldest first. */
  taskErrors: { state: string; error: string; message: string }[];
  /**
   * The engine's events of every run of this execution (the first and each redrive), oldest
   * first. Always there on records the runner makes; optional for records built by hand.
   */
  events?: RecordedEvent[];
  /** How many times the execution was redriven (absent: never), and when last. */
  redriveCount?: number;
  redriveDate?: string;
  /**
   * Where a redrive starts once the execution failed: the top-level state the failure came from
   * and the input that state received.
   */
  redriveFrom?: { state: string; input: unknown };
  /** The Distributed Map runs of the execution (of every run of it), with their item counts as they go. */
  mapRuns?: MapRunRecord[];
}

type AslStates = Record<string, { Type: string }>;
type Asl = Record<string, unknown> & { StartAt: string; States: AslStates };

interface LoadedMachine {
  asl: Asl;
  /** What the engine runs: `asl` with each Distributed Map replaced by its stand-in Task. */
  engineAsl: Asl;
  maps: LocalDistributedMaps;
  machine: StateMachine;
  tasks: Map<string, LocalHandler>;
  retryStates: string[];
}

/**
 * The definition exactly as AWS receives it (the shared renderer: Retry policies filled in), with
 * its placeholders filled as CloudFormation's DefinitionSubstitutions do.
 */
export function loadDefinition(
  repoRoot: string,
  definition: StateMachineDefinition,
  pipeline: PipelineDefinition,
  arnOf: (key: string) => string,
): Record<string, unknown> {
  const values = substitutions(definition, arnOf, LOCAL_PARTITION);
  const text = JSON.stringify(renderAsl(definition, pipeline.functions, repoRoot)).replace(
    /\$\{(\w+)\}/g,
    (match, name: string) => values[name] ?? match,
  );
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Where a failed run's redrive starts, as on AWS: the last top-level state that failed (the
 * unsuccessful step), with the input it received. An error a Catch routed into a Fail state makes
 * that Fail state the unsuccessful step, so its redrive fails again, on AWS and here alike. A
 * failure inside a Map or Parallel is the failure of the enclosing top-level state.
 */
export function findRedrivePoint(
  events: readonly RecordedEvent[],
  asl: Asl,
): { state: string; input: unknown } | undefined {
  const isTopLevel = (event: RecordedEvent): event is Extract<EngineEvent, { state: unknown }> =>
    'state' in event && event.index === undefined && event.state.name in asl.States;
  const inputs = new Map<string, unknown>();
  let failed: string | undefined;
  for (const event of events) {
    if (!isTopLevel(event)) continue;
    if (event.type === 'StateEntered') inputs.set(event.state.name, event.state.input);
    if (event.type === 'StateFailed') failed = event.state.name;
  }
  if (!failed) return undefined;
  return { state: failed, input: inputs.get(failed) };
}

/**
 * Runs the project's ASL files with aws-local-stepfunctions, binding each `lambda:invoke` Task to
 * the in-process handler whose ARN the definition names. A Task that cannot be bound is an
 * error at load time: a local run must never call real AWS by accident.
 */
export class LocalStateMachines {
  readonly executions: ExecutionRecord[] = [];
  /** When the machines were loaded: their creation date, as the API reports it. */
  readonly createdAt = new Date();
  private readonly retryIntervalMs: number;
  private readonly withExecution: ((stateMachine: string, start: () => void) => void) | undefined;
  private readonly machines = new Map<string, LoadedMachine>();
  /** Each running execution's abort and the promise of its end. */
  private readonly running = new Map<ExecutionRecord, { abort: () => void; ended: Promise<void> }>();
  private readonly endListeners = new Set<(record: ExecutionRecord) => void>();
  private readonly mapRunListeners = new Set<(record: ExecutionRecord, run: MapRunRecord) => void>();
  private readonly stateMachineArn: (key: string) => string;
  private workers: number;
  private pool: WorkerPool | undefined;
  private s3: S3Client | undefined;

  constructor(options: {
    repoRoot: string;
    definition: PipelineDefinition;
    functionArn: (key: string) => string;
    handlers: ReadonlyMap<string, LocalHandler>;
    /** Retry waits in milliseconds (the ASL's intervals are minutes of wall time on AWS). */
    retryIntervalMs?: number;
    /**
     * Worker threads that run Distributed Map children; 0 runs them in this thread (as the runtime
     * does when it wraps handlers: a wrapper cannot cross a thread).
     * @default os.availableParallelism()
     */
    distributedMapWorkers?: number;
    /** A state machine's ARN by its key (map run and child ARNs derive from it). */
    stateMachineArn?: (key: string) => string;
    /**
     * Starts each execution (and each redrive) inside `start`: the IAM check enters the state
     * machine role's context there, so what the execution does itself (a Distributed Map reading
     * its items, writing its results), whoever started it, is checked against that role.
     */
    withExecution?: (stateMachine: string, start: () => void) => void;
  }) {
    this.withExecution = options.withExecution;
    this.retryIntervalMs = options.retryIntervalMs ?? 50;
    this.workers = options.distributedMapWorkers ?? availableParallelism();
    this.stateMachineArn =
      options.stateMachineArn ?? ((key) => `arn:aws:states:us-east-1:000000000000:stateMachine:${key}`);
    const keyOfArn = new Map(
      Object.keys(options.definition.functions).map((key) => [options.functionArn(key), key]),
    );
    for (const definition of options.definition.stateMachines) {
      const asl = loadDefinition(
        options.repoRoot,
        definition,
        options.definition,
        options.functionArn,
      ) as Asl;
      const bind = (stateName: string, state: { Resource?: unknown; Parameters?: unknown; Type: string }) => {
        const functionName = (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName;
        const handler = functionName ? options.handlers.get(functionName) : undefined;
        if (state.Resource !== inPartition(LAMBDA_INVOKE, LOCAL_PARTITION) || !handler) {
          throw new Error(
            `${definition.aslFile}: Task "${stateName}" (${state.Resource} ${functionName ?? ''}) has no local binding; only lambda:invoke of the project's functions runs locally`,
          );
        }
        return { handler, functionKey: functionName ? keyOfArn.get(functionName) : undefined };
      };
      const executionTimeout = (asl.TimeoutSeconds as number | undefined) ?? 3600;
      const engineSource = withExecutionLongTaskTimeouts(asl, executionTimeout);
      const maps = new LocalDistributedMaps(engineSource.States, {
        machine: definition.name,
        where: definition.aslFile,
        timeoutSeconds: executionTimeout,
        bind: (stateName, state) => {
          const { handler, functionKey } = bind(stateName, state);
          const fn = functionKey ? options.definition.functions[functionKey] : undefined;
          return {
            handler,
            entry: path.join(options.repoRoot, fn?.entry ?? ''),
            // A platform function is built for the runtime's systems, which a worker does not have.
            loadableInWorker:
              fn !== undefined && options.definition.systemOf(functionKey as string) !== undefined,
          };
        },
        pool: () => this.workerPool(),
        retryIntervalMs: this.retryIntervalMs,
        s3: () => {
          // Created at the first map run: the environment names the emulators by then.
          this.s3 ??= createS3Client();
          return this.s3;
        },
      });
      const engineAsl = { ...engineSource, States: maps.engineStates } as Asl;
      const tasks = new Map<string, LocalHandler>();
      for (const [stateName, state] of taskStates(engineAsl.States as never)) {
        if (maps.names.has(stateName)) continue;
        const { handler } = bind(stateName, state);
        if (tasks.has(stateName)) {
          throw new Error(
            `${definition.aslFile}: two Task states are named "${stateName}"; local bindings go by state name`,
          );
        }
        tasks.set(stateName, handler);
      }
      const machine = new StateMachine(engineAsl as never, { validationOptions: { checkArn: false } });
      this.machines.set(definition.name, {
        asl,
        engineAsl,
        maps,
        machine,
        tasks,
        retryStates: [...tasks.keys()],
      });
    }
  }

  /** Calls `listener` as a Distributed Map run starts, after each of its children, and as it ends. */
  onMapRunProgress(listener: (record: ExecutionRecord, run: MapRunRecord) => void): () => void {
    this.mapRunListeners.add(listener);
    return () => this.mapRunListeners.delete(listener);
  }

  /** Stops the Distributed Map worker threads (the runtime's stop); running executions should have ended. */
  async close(): Promise<void> {
    // The closed pool stays, so `workerThreadIds` can show that its threads are gone.
    this.workers = 0;
    await this.pool?.close();
    this.s3?.destroy();
  }

  /** The running worker threads' ids (none before the first map run, none after close). */
  get workerThreadIds(): number[] {
    return this.pool?.threadIds ?? [];
  }

  private workerPool(): WorkerPool | undefined {
    if (this.workers <= 0) return undefined;
    if (this.pool?.closed) this.pool = undefined;
    this.pool ??= new WorkerPool(this.workers);
    return this.pool;
  }

  names(): string[] {
    return [...this.machines.keys()];
  }

  /** The definition a state machine runs, as AWS would hold it. */
  definitionOf(stateMachine: string): Record<string, unknown> | undefined {
    return this.machines.get(stateMachine)?.asl;
  }

  /** Calls `listener` each time an execution (or a redrive of it) ends; returns the unsubscribe. */
  onExecutionEnded(listener: (record: ExecutionRecord) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Runs one execution to its end and records it; resolves with the record, never throws for a failed execution. */
  async startExecution(
    stateMachine: string,
    input: unknown = {},
    executionName = `${stateMachine}-${randomUUID().slice(0, 8)}`,
  ): Promise<ExecutionRecord> {
    return this.finished(this.start(stateMachine, input, executionName));
  }

  /** Starts one execution in the background and returns its record, RUNNING; `finished()` awaits its end. */
  start(
    stateMachine: string,
    input: unknown = {},
    executionName = `${stateMachine}-${randomUUID().slice(0, 8)}`,
  ): ExecutionRecord {
    const entry = this.machines.get(stateMachine);
    if (!entry) throw new Error(`No state machine "${stateMachine}"; known: ${this.names().join(', ')}`);
    const record: ExecutionRecord = {
      executionName,
      stateMachine,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      input,
      taskErrors: [],
      events: [],
      redriveCount: 0,
    };
    this.executions.push(record);
    this.run(record, entry, entry.machine, input);
    return record;
  }

  /**
   * Runs a FAILED execution again from the state its failure came from, with the input that
   * state received, as the same execution (its events continue after an ExecutionRedriven one).
   */
  redrive(record: ExecutionRecord): ExecutionRecord {
    const entry = this.machines.get(record.stateMachine);
    if (!entry) throw new Error(`No state machine "${record.stateMachine}"`);
    if (record.status !== 'FAILED')
      throw new Error(`Execution is ${record.status}; only FAILED ones redrive`);
    const from = record.redriveFrom ?? { state: entry.asl.StartAt, input: record.input };
    // The same definition entered at the failed state: the states before it are not run again.
    // (A failed Distributed Map runs again as a whole: a new map run over all of its items.)
    const fromFailedState = new StateMachine({ ...entry.engineAsl, StartAt: from.state } as never, {
      validationOptions: { noValidate: true },
    });
    const redriveCount = (record.redriveCount ?? 0) + 1;
    record.status = 'RUNNING';
    record.redriveCount = redriveCount;
    record.redriveDate = new Date().toISOString();
    for (const key of ['stopDate', 'output', 'error', 'cause', 'redriveFrom'] as const) delete record[key];
    record.events = [
      ...(record.events ?? []),
      { type: 'ExecutionRedriven', timestamp: Date.now(), redriveCount },
    ];
    this.run(record, entry, fromFailedState, from.input);
    return record;
  }

  /** Aborts a running execution (handlers already called run to their end, as Lambda invocations do). */
  stop(record: ExecutionRecord, failure: { error?: string; cause?: string } = {}): void {
    const run = this.running.get(record);
    if (!run) return;
    record.status = 'ABORTED';
    if (failure.error !== undefined) record.error = failure.error;
    if (failure.cause !== undefined) record.cause = failure.cause;
    run.abort();
  }

  /** Resolves with the record once its current run has ended. */
  async finished(record: ExecutionRecord): Promise<ExecutionRecord> {
    await this.running.get(record)?.ended;
    return record;
  }

  private run(record: ExecutionRecord, entry: LoadedMachine, machine: StateMachine, input: unknown): void {
    const start = () => this.runNow(record, entry, machine, input);
    if (this.withExecution) this.withExecution(record.stateMachine, start);
    else start();
  }

  private runNow(record: ExecutionRecord, entry: LoadedMachine, machine: StateMachine, input: unknown): void {
    const overrides = Object.fromEntries(
      [...entry.tasks].map(([stateName, handler]) => [
        stateName,
        lambdaInvokeBinding(stateName, handler, (error) => record.taskErrors.push(error)),
      ]),
    );
    const controller = new AbortController();
    const mapRuns = entry.maps.handlers({
      stateMachineArn: this.stateMachineArn(record.stateMachine),
      executionArn: `${this.stateMachineArn(record.stateMachine).replace(':stateMachine:', ':execution:')}:${record.executionName}`,
      signal: controller.signal,
      taskError: (error) => record.taskErrors.push(error),
      progress: (run) => this.mapRunProgress(record, run),
    });
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: { ...overrides, ...mapRuns } as never,
        retryIntervalOverrides: Object.fromEntries(
          entry.retryStates.map((name) => [name, this.retryIntervalMs]),
        ),
      },
      context: {
        Execution: { Name: record.executionName, StartTime: record.startDate, Input: record.input as never },
      },
    });
    const redriven = (record.redriveCount ?? 0) > 0;
    const events = record.events ?? [];
    record.events = events;
    // The engine logs ends by closing its event stream: reading it to its end sees every event.
    const logged = (async () => {
      for await (const event of execution.eventLogs) {
        // A redrive is the same execution: its history has the ExecutionRedriven event instead.
        if (redriven && event.type === 'ExecutionStarted') continue;
        // A Distributed Map's stand-in Task is the Map state in the history.
        if ('state' in event && event.index === undefined && entry.maps.names.has(event.state.name))
          event.state.type = 'Map';
        events.push(event);
      }
    })();
    const ended = this.settle(record, entry, execution.result, logged);
    this.running.set(record, {
      abort: () => {
        controller.abort();
        execution.abort();
      },
      ended,
    });
  }

  private mapRunProgress(record: ExecutionRecord, run: MapRunRecord): void {
    record.mapRuns ??= [];
    const known = record.mapRuns.includes(run);
    // Its start, and its end: the children in between only update the counts.
    if (!known || run.status !== 'RUNNING') {
      const event = mapRunEvent(run);
      record.events ??= [];
      if (event) record.events.push(event);
    }
    if (!known) record.mapRuns.push(run);
    for (const listener of this.mapRunListeners) listener(record, run);
  }

  private async settle(
    record: ExecutionRecord,
    entry: LoadedMachine,
    result: Promise<unknown>,
    logged: Promise<void>,
  ): Promise<void> {
    try {
      const output = await result;
      record.output = output;
      record.status = 'SUCCEEDED';
    } catch (error) {
      if (record.status !== 'ABORTED') {
        // ExecutionError wraps what ended the run: a Fail state (its Error and Cause) or an uncaught error.
        const failure = ((error as { cause?: unknown }).cause ?? error) as Error;
        record.status = 'FAILED';
        record.error = failure.name;
        const lastTaskError = record.taskErrors.at(-1);
        record.cause = lastTaskError
          ? `${failure.message} (last task error in ${lastTaskError.state}: ${lastTaskError.error}: ${lastTaskError.message})`
          : failure.message;
      }
    }
    await logged;
    if (record.status === 'FAILED') {
      const events = record.events ?? [];
      const redriveFrom = findRedrivePoint(events.slice(lastRunStart(events)), entry.asl);
      if (redriveFrom) record.redriveFrom = redriveFrom;
    }
    record.stopDate = new Date().toISOString();
    this.running.delete(record);
    for (const listener of this.endListeners) listener(record);
  }
}

/** The event a map run's start or end adds to its execution's history. */
function mapRunEvent(run: MapRunRecord): MapRunEvent | undefined {
  const type = (
    {
      RUNNING: 'MapRunStarted',
      SUCCEEDED: 'MapRunSucceeded',
      FAILED: 'MapRunFailed',
      ABORTED: 'MapRunAborted',
    } as const
  )[run.status];
  return {
    type,
    timestamp: Date.now(),
    mapRunArn: run.mapRunArn,
    stateName: run.stateName,
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
  };
}

/** Where the events of an execution's latest run (the first, or its latest redrive) begin. */
function lastRunStart(events: readonly RecordedEvent[]): number {
  const redriven = events.findLastIndex((event) => event.type === 'ExecutionRedriven');
  return redriven === -1 ? 0 : redriven;
}
