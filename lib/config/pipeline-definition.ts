/**
 * The one description of what runs: functions, the stream's event source mapping, state machines
 * and their schedules. The CDK stacks build AWS resources from it and the local runtime runs the
 * same handlers, ASL files and schedules from it, so the two cannot drift apart.
 *
 * Plain data on purpose: the local runtime imports it without loading aws-cdk-lib.
 */

/** A Lambda function: its handler file and the limits it runs with. */
export interface FunctionDefinition {
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** What the function may touch; the stack turns these into `grant*` calls. */
  readonly access: {
    readonly dataBucket?: 'read' | 'write' | 'readWrite';
    readonly artifactsBucket?: 'read' | 'write' | 'readWrite';
    readonly stream?: 'read' | 'write';
  };
}

/** Kinesis → Lambda settings, applied to the AWS event source mapping and the local poller alike. */
export interface EventSourceDefinition {
  readonly functionKey: FunctionKey;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before it goes to the on-failure destination. */
  readonly retryAttempts: number;
  /** Records older than this are sent to the on-failure destination instead of being retried. */
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: true;
  readonly parallelizationFactor: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

/** An EventBridge Scheduler schedule that starts a state machine. */
export interface ScheduleDefinition {
  /** `rate(N minute|minutes|hour|hours|day|days)` or `cron(min hour dom month dow year)`. */
  readonly expression: string;
  /**
   * Execution input. The string `<aws.scheduler.scheduled-time>` is replaced with the scheduled
   * time by EventBridge Scheduler, and by the local clock when run locally.
   */
  readonly input: Record<string, unknown>;
  readonly description: string;
}

export interface StateMachineDefinition {
  /** Construct id (PascalCase, part of the deployed contract: never rename). */
  readonly id: string;
  /** Short name used in resource names and on the command line. */
  readonly name: string;
  /** ASL file relative to the repository root, with `${Placeholder}` substitutions. */
  readonly aslFile: string;
  /** Placeholder in the ASL → the function whose ARN replaces it. */
  readonly functionPlaceholders: Readonly<Record<string, FunctionKey>>;
  readonly schedule?: ScheduleDefinition;
  // The execution timeout lives in the ASL file (TimeoutSeconds), the one place both runtimes read.
}

export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export const functions = {
  producer: {
    entry: 'lambdas/producer/index.ts',
    description: 'Stream simulator: replays a data set into Kinesis from a cursor kept in S3',
    memoryMb: 512,
    timeoutSeconds: 900,
    access: { dataBucket: 'readWrite', stream: 'write' },
  },
  ingest: {
    entry: 'lambdas/ingest/index.ts',
    description: 'Validates stream records; valid ones to raw/, invalid ones to quarantine/ with reasons',
    memoryMb: 512,
    timeoutSeconds: 60,
    access: { dataBucket: 'write', stream: 'read' },
  },
  archive: {
    entry: 'lambdas/archive/index.ts',
    description: 'Moves the raw objects a run consumed to archive/ (idempotent)',
    memoryMb: 256,
    timeoutSeconds: 300,
    access: { dataBucket: 'readWrite', artifactsBucket: 'write' },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionKey = keyof typeof functions;

export const ingestEventSource: EventSourceDefinition = {
  functionKey: 'ingest',
  batchSize: 500,
  maxBatchingWindowSeconds: 5,
  retryAttempts: 3,
  maxRecordAgeSeconds: 6 * 3600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  parallelizationFactor: 1,
  startingPosition: 'TRIM_HORIZON',
};

export const stateMachines: readonly StateMachineDefinition[] = [
  {
    id: 'StreamStateMachine',
    name: 'stream',
    aslFile: 'state-machines/stream.asl.json',
    functionPlaceholders: { ProducerFunctionArn: 'producer' },
    schedule: {
      expression: 'rate(1 hour)',
      description: 'Hourly: replay the next slice of the water data set into the stream',
      input: { pipeline: 'water', scheduledTime: SCHEDULED_TIME },
    },
  },
  {
    id: 'ArchiveStateMachine',
    name: 'archive',
    aslFile: 'state-machines/archive.asl.json',
    functionPlaceholders: { ArchiveFunctionArn: 'archive' },
    schedule: {
      expression: 'rate(1 day)',
      description: 'Daily: move raw objects of finished days to archive/',
      input: { pipeline: 'water', scheduledTime: SCHEDULED_TIME },
    },
  },
];
