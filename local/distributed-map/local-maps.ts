import type { S3Client } from '@aws-sdk/client-s3';
import { taskStates } from '../../lib/config/asl.js';
import { type ChildHandler, type ChildResult, processorMachine, runChild } from './child-execution.js';
import { type MapRunRecord, runMap } from './map-run.js';
import { type AslStateLike, type DistributedMapState, distributedMapsOf, standInTask } from './map-state.js';
import type { WorkerPool } from './worker-pool.js';

/** A Task of an ItemProcessor, bound: its handler here, and the file a worker imports it from. */
export interface ProcessorTask {
  handler: ChildHandler;
  /** Absolute path of the handler's entry file. */
  entry: string;
  /**
   * Whether a worker can load it by itself: a platform function built for the runtime's systems
   * (`createHandler(systems)`) cannot, and then the map runs its children in this thread.
   */
  loadableInWorker: boolean;
}

/** Children in flight at most when they run in this thread (MaxConcurrency 0 means unbounded). */
const IN_PROCESS_LIMIT = 8;

export interface LocalDistributedMapsOptions {
  /** The state machine's key, naming its ItemProcessors for the workers' caches. */
  machine: string;
  /** Where errors point (the ASL file). */
  where: string;
  /** The execution timeout: the stand-in Task's, so a long map run is not cut at 60 s. */
  timeoutSeconds: number;
  /** Binds a Task of an ItemProcessor (throws, naming it, when it has no local handler). */
  bind: (stateName: string, state: AslStateLike) => ProcessorTask;
  /** The worker pool; undefined: children run in this thread (wrapped handlers cannot cross a thread). */
  pool: () => WorkerPool | undefined;
  retryIntervalMs: number;
  s3: () => S3Client;
}

/** What one run of an execution gives its map runs, and learns from them. */
export interface MapRunHooks {
  stateMachineArn: string;
  executionArn: string;
  signal: AbortSignal;
  /** Errors the children's handlers threw. */
  taskError: (error: { state: string; error: string; message: string }) => void;
  progress: (run: MapRunRecord) => void;
}

interface LoadedMap {
  state: DistributedMapState;
  tasks: Map<string, ProcessorTask>;
  inWorker: boolean;
  machine: ReturnType<typeof processorMachine>;
}

/**
 * The Distributed Map states of one definition, made runnable locally: the definition the engine
 * runs (each map replaced by its stand-in Task), and per execution run the handlers of those
 * stand-ins, which run the map runs.
 */
export class LocalDistributedMaps {
  readonly engineStates: Record<string, AslStateLike>;
  private readonly maps = new Map<string, LoadedMap>();

  constructor(
    states: Record<string, AslStateLike>,
    private readonly options: LocalDistributedMapsOptions,
  ) {
    this.engineStates = { ...states };
    for (const [name, state] of distributedMapsOf(states, options.where)) {
      const refuse = (what: string) => {
        throw new Error(`${options.where}: Distributed Map "${name}": ${what} does not run locally`);
      };
      if (state.ItemReader && !state.ItemReader.Resource.endsWith(':s3:getObject'))
        refuse(`ItemReader ${state.ItemReader.Resource} (only s3:getObject)`);
      if (state.ResultWriter?.Resource && !state.ResultWriter.Resource.endsWith(':s3:putObject'))
        refuse(`ResultWriter ${state.ResultWriter.Resource} (only s3:putObject)`);
      if (state.ResultWriter && 'WriterConfig' in state.ResultWriter) refuse('ResultWriter.WriterConfig');
      const tasks = new Map<string, ProcessorTask>();
      for (const [taskName, task] of taskStates(state.ItemProcessor.States as never)) {
        if (tasks.has(taskName))
          throw new Error(
            `${options.where}: two Task states of "${name}" are named "${taskName}"; local bindings go by state name`,
          );
        tasks.set(taskName, options.bind(taskName, task));
      }
      this.maps.set(name, {
        state,
        tasks,
        inWorker: [...tasks.values()].every((task) => task.loadableInWorker),
        machine: processorMachine(state.ItemProcessor),
      });
      this.engineStates[name] = standInTask(state, options.timeoutSeconds);
    }
  }

  /** The names of the Distributed Map states (their stand-ins' events are the Map's). */
  get names(): ReadonlySet<string> {
    return new Set(this.maps.keys());
  }

  /** The stand-ins' handlers for one run of an execution, by state name. */
  handlers(hooks: MapRunHooks): Record<string, (parameters: unknown) => Promise<unknown>> {
    return Object.fromEntries(
      [...this.maps].map(([name, map]) => [
        name,
        async (parameters: unknown) => {
          const { input, context } = parameters as { input: unknown; context: Record<string, unknown> };
          const pool = map.inWorker ? this.options.pool() : undefined;
          const child = async (childInput: unknown, childContext: Parameters<typeof runChild>[3]) => {
            const result: ChildResult = pool
              ? await pool.run({
                  processorKey: `${this.options.machine}/${name}`,
                  processor: map.state.ItemProcessor,
                  tasks: Object.fromEntries([...map.tasks].map(([state, task]) => [state, task.entry])),
                  input: childInput,
                  context: childContext,
                  retryIntervalMs: this.options.retryIntervalMs,
                })
              : await runChild(
                  map.machine,
                  new Map([...map.tasks].map(([state, task]) => [state, task.handler])),
                  childInput,
                  childContext,
                  { retryIntervalMs: this.options.retryIntervalMs, threadId: 0 },
                );
            for (const error of result.taskErrors) hooks.taskError(error);
            return result;
          };
          return runMap({
            stateName: name,
            state: map.state,
            input,
            context,
            stateMachineArn: hooks.stateMachineArn,
            executionArn: hooks.executionArn,
            runChild: child,
            localLimit: pool ? pool.capacity : IN_PROCESS_LIMIT,
            s3: this.options.s3,
            signal: hooks.signal,
            progress: hooks.progress,
          });
        },
      ]),
    );
  }
}
