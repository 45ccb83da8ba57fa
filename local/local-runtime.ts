import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamEvent } from 'aws-lambda';
import { recordMatches } from '../core/streaming/event-filter.js';
import { type AppConfig, defaultConfig, resourceNames } from '../lib/config/app-config.js';
import { type PipelineDefinition, pipelineDefinition } from '../lib/config/pipeline-definition.js';
import { REPO_ROOT } from '../lib/config/repo-root.js';
import type { SystemDefinition } from '../lib/config/system-definition.js';
import { systems as allSystems } from '../systems/index.js';
import type { ChildService } from './emulators/child-service.js';
import { LocalEventBus } from './emulators/eventbridge-bus.js';
import { type EventBridgeServer, startEventBridgeServer } from './emulators/eventbridge-server.js';
import { startKinesisEmulator } from './emulators/kinesis-emulator.js';
import { startS3Emulator } from './emulators/s3-emulator.js';
import { startFunctionUrl } from './function-url-server.js';
import {
  type EventSourceActivity,
  type EventSourceOptions,
  KinesisEventSource,
  type OnFailureMessage,
} from './kinesis-event-source.js';
import {
  applyEnvironment,
  LOCAL_REGION,
  type LocalEndpoints,
  localContextFromEnvironment,
  localFunctionArn,
  localHandlerEnvironment,
} from './local-environment.js';
import { executionArn, stateMachineArn } from './sfn-api/arns.js';
import { type StepFunctionsApi, startStepFunctionsApi } from './sfn-api/server.js';
import { type LocalHandler, LocalStateMachines } from './state-machine-runner.js';

export interface LocalRuntimeOptions {
  /** Where S3 objects and on-failure messages are kept between runs. */
  dataDir: string;
  /** Local shard count; a few shards keep kinesis-mock fast (writes slow down as a shard fills). */
  shardCount?: number;
  /** How much faster than the wall clock handler sleeps run (the producer's pacing). */
  clockSpeed?: number;
  /** Event source polling interval. */
  pollIntervalMs?: number;
  activity?: (activity: EventSourceActivity) => void;
  config?: Pick<AppConfig, 'prefix' | 'stage'>;
  /**
   * The systems to run; the platform's own handlers are built for these.
   * @default - the list in systems/index.ts
   */
  systems?: readonly SystemDefinition[];
  /**
   * Where the handlers' SDK calls go, given the emulators' endpoints: the fault-injection tests
   * put a proxy in between that answers some calls with errors S3 can return (503 SlowDown,
   * 500 InternalError, a dropped connection). The runtime's own clients talk to the emulators.
   * @default - straight to the emulators
   */
  handlerEndpoints?: (emulators: LocalEndpoints) => Promise<LocalEndpoints>;
  /**
   * Wraps each function's handler as it is loaded (by function key): the fault-injection tests
   * make a step crash or know which step is running. Deployed functions have no such hook.
   */
  wrapHandler?: (functionKey: string, handler: LocalHandler) => LocalHandler;
  /**
   * Starts each state machine execution inside `start` (whoever starts it: a test, a rule, the
   * API): the IAM check attributes what the execution does itself to the state machine's role.
   */
  withExecution?: (stateMachine: string, start: () => void) => void;
  /**
   * CDK context as `-c key=value` gives it on AWS: an event rule whose `disableFlag` is `false`
   * here is left off the local bus.
   * @default - from the SMLP_CONTEXT environment variable (`SMLP_CONTEXT=flag=false,other=true`)
   */
  context?: Readonly<Record<string, unknown>>;
  /**
   * Worker threads that run Distributed Map children (each imports the children's handlers from
   * their entry files); 0 runs them in this thread. With `wrapHandler` they always run in this
   * thread: a wrapper cannot cross into a worker.
   * @default os.availableParallelism()
   */
  distributedMapWorkers?: number;
}

/**
 * The whole system on one machine: emulators on 127.0.0.1, the stream and buckets created, the
 * handlers loaded from the same files the stacks deploy, the ingest event source polling, and the
 * state machines ready to run from the same ASL.
 */
export class LocalRuntime {
  readonly onFailureFile: string;
  readonly onFailure: OnFailureMessage[] = [];
  /** Local Function URLs of the functions that have one in the definition, by function key. */
  readonly functionUrls: Record<string, string> = {};
  /** Systems' own stream consumers (the online learner), by function key, with their filters. */
  readonly streamConsumers = new Map<string, KinesisEventSource>();
  private readonly servers: { stop(): Promise<void> }[] = [];

  private constructor(
    readonly options: LocalRuntimeOptions,
    readonly names: ReturnType<typeof resourceNames>,
    readonly s3: S3Client,
    readonly kinesis: KinesisClient,
    readonly emulators: ChildService[],
    readonly stateMachines: LocalStateMachines,
    readonly eventSource: KinesisEventSource,
    readonly handlers: ReadonlyMap<string, LocalHandler>,
    readonly definition: PipelineDefinition,
    /** The Step Functions API on 127.0.0.1 (JSON 1.0), over `stateMachines`: for the SDK, the CLI, a console. */
    readonly sfnEndpoint: string,
    /** The default EventBridge bus: the systems' event rules, fed by PutEvents and the data bucket. */
    readonly eventBus: LocalEventBus,
    /** EventBridge's PutEvents on 127.0.0.1 (JSON 1.1), onto `eventBus`. */
    readonly eventBridgeEndpoint: string,
  ) {
    this.onFailureFile = path.join(
      options.dataDir,
      'on-failure',
      `${definition.eventSource.functionKey}.ndjson`,
    );
  }

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const config = options.config ?? { prefix: defaultConfig.prefix, stage: 'local' };
    const names = resourceNames(config);
    const definition = pipelineDefinition(options.systems ?? allSystems);
    const emulators: ChildService[] = [];
    let sfnApi: StepFunctionsApi | undefined;
    let eventServer: EventBridgeServer | undefined;
    let eventBus: LocalEventBus | undefined;
    try {
      // First, so the S3 emulator can be told where the data bucket's events go.
      eventServer = await startEventBridgeServer({ bus: () => eventBus, dataBucket: names.dataBucket });
      const [s3Emulator, kinesisEmulator] = await Promise.all([
        startS3Emulator({
          directory: path.join(options.dataDir, 's3'),
          objectCreatedEvents: { url: eventServer.s3EventsUrl, bucket: names.dataBucket },
        }),
        // The stream survives a restart (and a kill), like a real stream, from files in dataDir.
        startKinesisEmulator({ region: LOCAL_REGION, persistDir: path.join(options.dataDir, 'kinesis') }),
      ]);
      emulators.push(s3Emulator, kinesisEmulator);
      await mkdir(options.dataDir, { recursive: true });

      // The machines bind each Task to its handler now, and the handlers are loaded last (once the
      // environment names every endpoint): each Task calls its handler through this map.
      const handlers = new Map<string, LocalHandler>();
      const byArn = new Map<string, LocalHandler>();
      for (const key of Object.keys(definition.functions))
        byArn.set(localFunctionArn(names.function(key)), (event) => {
          const handler = handlers.get(key);
          if (!handler) throw new Error(`the handler of ${key} is not loaded yet`);
          return handler(event);
        });
      const machines = new LocalStateMachines({
        repoRoot: REPO_ROOT,
        definition,
        functionArn: (key) => localFunctionArn(names.function(key)),
        handlers: byArn,
        stateMachineArn: (key) => stateMachineArn(names.stateMachine(key)),
        ...(options.withExecution ? { withExecution: options.withExecution } : {}),
        ...(options.wrapHandler
          ? { distributedMapWorkers: 0 }
          : options.distributedMapWorkers !== undefined
            ? { distributedMapWorkers: options.distributedMapWorkers }
            : {}),
      });
      sfnApi = await startStepFunctionsApi({ machines, deployedName: names.stateMachine });
      const context = options.context ?? localContextFromEnvironment(process.env);
      eventBus = new LocalEventBus({
        rules: definition.eventRules,
        buckets: { data: names.dataBucket, artifacts: names.artifactsBucket },
        context: (key) => context[key],
        start: (machine, input) => {
          const record = machines.start(machine, input);
          return {
            executionName: record.executionName,
            executionArn: executionArn(names.stateMachine(machine), record.executionName),
          };
        },
      });

      const emulatorEndpoints: LocalEndpoints = {
        s3: s3Emulator.endpoint,
        kinesis: kinesisEmulator.endpoint,
        sfn: sfnApi.endpoint,
        eventbridge: eventServer.endpoint,
      };
      // Every machine some function may start, by the ARN the local Step Functions API knows it by.
      const startable = Object.values(definition.functions).flatMap((fn) => fn.startsStateMachines ?? []);
      applyEnvironment(
        localHandlerEnvironment((await options.handlerEndpoints?.(emulatorEndpoints)) ?? emulatorEndpoints, {
          ...config,
          clockSpeed: options.clockSpeed ?? 1,
          metricsFile: path.join(options.dataDir, 'metrics.ndjson'),
          stateMachineArns: Object.fromEntries(
            startable.map((name) => [name, stateMachineArn(names.stateMachine(name))]),
          ),
        }),
      );
      const s3 = new S3Client({ region: LOCAL_REGION, forcePathStyle: true, endpoint: s3Emulator.endpoint });
      const kinesis = new KinesisClient({
        region: LOCAL_REGION,
        endpoint: kinesisEmulator.endpoint,
        requestHandler: new NodeHttpHandler(),
      });

      for (const bucket of [names.dataBucket, names.artifactsBucket]) {
        await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
          if (!/BucketAlready/.test(error.name)) throw error;
        });
      }
      // A restart finds the stream it persisted, with the records nobody ingested yet.
      await kinesis
        .send(new CreateStreamCommand({ StreamName: names.stream, ShardCount: options.shardCount ?? 4 }))
        .catch((error: Error) => {
          if (error.name !== 'ResourceInUseException') throw error;
        });
      await waitUntilStreamExists(
        { client: kinesis, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
        { StreamName: names.stream },
      );
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.stream }));
      const streamArn =
        summary.StreamDescriptionSummary?.StreamARN ??
        `arn:aws:kinesis:${LOCAL_REGION}:000000000000:stream/${names.stream}`;

      for (const [key, handler] of await loadHandlers(definition, options.wrapHandler))
        handlers.set(key, handler);

      let runtime: LocalRuntime | undefined;
      /** An event source mapping from the stream to one function, ingest's or a system's consumer's. */
      const eventSourceFor = (
        settings: EventSourceOptions['settings'],
        mapping: Pick<EventSourceOptions, 'onFailure' | 'filter'>,
      ): KinesisEventSource => {
        const handler = handlers.get(settings.functionKey);
        if (!handler) throw new Error(`no handler for ${settings.functionKey}`);
        return new KinesisEventSource({
          client: kinesis,
          streamName: names.stream,
          streamArn,
          settings,
          invoke: (event: KinesisStreamEvent) => handler(event) as never,
          ...mapping,
          // Where the function got to on each shard, as Lambda's event source mapping remembers
          // it: a restart resumes after it instead of reading the stream again from its start.
          checkpointFile: path.join(options.dataDir, 'event-source', `${settings.functionKey}.json`),
          ...(options.activity ? { activity: options.activity } : {}),
          pollIntervalMs: options.pollIntervalMs ?? 200,
        });
      };
      const eventSource = eventSourceFor(definition.eventSource, {
        onFailure: async (message) => runtime?.recordOnFailure(message),
      });
      runtime = new LocalRuntime(
        options,
        names,
        s3,
        kinesis,
        emulators,
        machines,
        eventSource,
        handlers,
        definition,
        sfnApi.endpoint,
        eventBus,
        eventServer.endpoint,
      );
      runtime.servers.push(sfnApi, eventServer);
      await eventSource.start();
      for (const { definition: consumer, filter } of definition.streamConsumers) {
        const onFailureFile = path.join(options.dataDir, 'on-failure', `${consumer.functionKey}.ndjson`);
        const source = eventSourceFor(consumer, {
          filter: (data) => recordMatches(filter, data),
          onFailure: async (message) => {
            await mkdir(path.dirname(onFailureFile), { recursive: true });
            await appendFile(onFailureFile, `${JSON.stringify(message)}\n`);
          },
        });
        runtime.streamConsumers.set(consumer.functionKey, source);
        await source.start();
      }
      for (const [key, fn] of Object.entries(definition.functions)) {
        const handler = handlers.get(key);
        if (!fn.functionUrl || !handler) continue;
        const server = await startFunctionUrl(names.function(key), handler);
        runtime.servers.push(server);
        runtime.functionUrls[key] = server.url;
      }
      return runtime;
    } catch (error) {
      await sfnApi?.stop();
      await eventServer?.stop();
      await Promise.allSettled(emulators.map((e) => e.stop()));
      throw error;
    }
  }

  private async recordOnFailure(message: OnFailureMessage): Promise<void> {
    this.onFailure.push(message);
    await mkdir(path.dirname(this.onFailureFile), { recursive: true });
    await appendFile(this.onFailureFile, `${JSON.stringify(message)}\n`);
  }

  /** Stops polling, then the emulators; leaves no process behind. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.servers.map((server) => server.stop()));
    await this.eventSource.stop();
    await Promise.allSettled([...this.streamConsumers.values()].map((source) => source.stop()));
    await this.stateMachines.close();
    this.s3.destroy();
    this.kinesis.destroy();
    await Promise.allSettled(this.emulators.map((e) => e.stop()));
  }
}

/**
 * Imports each function's handler from its entry file (the file the stack bundles). A platform
 * function that serves every system exports `createHandler(systems)`: it is built for the
 * systems this runtime runs, as the deployed one is built for the list. A system's own function
 * is always its `handler` (whatever else its module exports).
 */
async function loadHandlers(
  definition: PipelineDefinition,
  wrap: LocalRuntimeOptions['wrapHandler'],
): Promise<Map<string, LocalHandler>> {
  const handlers = new Map<string, LocalHandler>();
  for (const [key, fn] of Object.entries(definition.functions)) {
    const module = (await import(pathToFileURL(path.join(REPO_ROOT, fn.entry)).href)) as {
      handler?: LocalHandler;
      createHandler?: (systems: readonly SystemDefinition[]) => LocalHandler;
    };
    const platformWide = definition.systemOf(key) === undefined && module.createHandler;
    const handler = platformWide ? platformWide(definition.systems) : module.handler;
    if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export a handler function`);
    handlers.set(key, wrap ? wrap(key, handler) : handler);
  }
  return handlers;
}
