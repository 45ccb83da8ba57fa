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
  /** An HTTPS endpoint (Lambda Function URL) in front of the function, IAM-authenticated. */
  readonly functionUrl?: { readonly authType: 'AWS_IAM' };
  /**
   * Files copied next to the bundle (paths relative to the repository root and the bundle): what
   * esbuild cannot follow, such as a worker thread's file and the package it loads at run time.
   */
  readonly bundleCopies?: readonly { readonly from: string; readonly to: string }[];
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
    access: { dataBucket: 'readWrite', artifactsBucket: 'readWrite' },
  },
  series: {
    entry: 'lambdas/series/index.ts',
    description: 'Builds and extends the hourly training series from the initial share and new raw objects',
    memoryMb: 1024,
    timeoutSeconds: 300,
    access: { dataBucket: 'readWrite', artifactsBucket: 'readWrite' },
  },
  train: {
    entry: 'lambdas/train/index.ts',
    description:
      'Fits the SARIMAX challenger and the champion order on the same window, scores both, registers the challenger',
    memoryMb: 2048,
    timeoutSeconds: 900,
    access: { dataBucket: 'read', artifactsBucket: 'readWrite' },
    // Fits run in a worker thread (a hung fit can only be stopped by terminating it).
    bundleCopies: [
      { from: 'core/forecasting/fit-worker.cjs', to: 'fit-worker.cjs' },
      { from: 'node_modules/arima', to: 'node_modules/arima' },
    ],
  },
  promote: {
    entry: 'lambdas/promote/index.ts',
    description: 'Champion/challenger decision and rollback through the model registry',
    memoryMb: 512,
    timeoutSeconds: 120,
    access: { artifactsBucket: 'readWrite' },
  },
  report: {
    entry: 'lambdas/report/index.ts',
    description:
      'Writes the run report: a JSON summary and an SVG of history, forecast and champion vs challenger',
    memoryMb: 1024,
    timeoutSeconds: 120,
    access: { dataBucket: 'read', artifactsBucket: 'readWrite' },
  },
  forecast: {
    entry: 'lambdas/forecast/index.ts',
    description: 'Forecast service: horizon in, point forecasts and 80%/95% intervals out, from the champion',
    memoryMb: 1024,
    timeoutSeconds: 30,
    access: { dataBucket: 'read', artifactsBucket: 'read' },
    functionUrl: { authType: 'AWS_IAM' },
  },
  sensorChunks: {
    entry: 'lambdas/sensor-chunks/index.ts',
    description:
      'Sensor readings that arrived → one chunk per UTC day × sensor (merged by conditional writes)',
    memoryMb: 1024,
    timeoutSeconds: 300,
    access: { dataBucket: 'readWrite', artifactsBucket: 'readWrite' },
  },
  sensorFeatures: {
    entry: 'lambdas/sensor-features/index.ts',
    description:
      "One day's chunks → one feature row per sensor, written as Parquet; shapes and memory as metrics",
    memoryMb: 1024,
    timeoutSeconds: 300,
    access: { dataBucket: 'readWrite' },
  },
  cluster: {
    entry: 'lambdas/cluster/index.ts',
    description:
      'k-means training with champion/challenger, cluster assignment, feature drift and the run report',
    memoryMb: 2048,
    timeoutSeconds: 600,
    access: { dataBucket: 'readWrite', artifactsBucket: 'readWrite' },
  },
  clusterEndpoint: {
    entry: 'lambdas/cluster-endpoint/index.ts',
    description:
      'Clustering service: a sensor-day or a feature row in, its cluster and distance out, from the champion',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { dataBucket: 'read', artifactsBucket: 'read' },
    functionUrl: { authType: 'AWS_IAM' },
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
    // On demand: the daily retrain archives exactly the raw data it trained on.
  },
  {
    id: 'InitModelStateMachine',
    name: 'init-model',
    aslFile: 'state-machines/init-model.asl.json',
    functionPlaceholders: {
      SeriesFunctionArn: 'series',
      TrainFunctionArn: 'train',
      PromoteFunctionArn: 'promote',
      ReportFunctionArn: 'report',
    },
  },
  {
    id: 'RetrainStateMachine',
    name: 'retrain',
    aslFile: 'state-machines/retrain.asl.json',
    functionPlaceholders: {
      SeriesFunctionArn: 'series',
      TrainFunctionArn: 'train',
      PromoteFunctionArn: 'promote',
      ReportFunctionArn: 'report',
      ArchiveFunctionArn: 'archive',
    },
    schedule: {
      expression: 'cron(0 2 * * ? *)',
      description:
        'Daily at 02:00 UTC: retrain on the data that arrived, promote or keep, archive what was used',
      input: { pipeline: 'water', scheduledTime: SCHEDULED_TIME },
    },
  },
  {
    // The same ASL as the water stream: a new pipeline reuses the producer as it is.
    id: 'SensorsStreamStateMachine',
    name: 'sensors-stream',
    aslFile: 'state-machines/stream.asl.json',
    functionPlaceholders: { ProducerFunctionArn: 'producer' },
    schedule: {
      expression: 'rate(1 hour)',
      description: 'Hourly: replay the next slice of the sensor data set into the stream',
      input: { pipeline: 'sensors', batchSize: 2000, numBatches: 1, scheduledTime: SCHEDULED_TIME },
    },
  },
  {
    id: 'SensorsTrainingStateMachine',
    name: 'sensors-training',
    aslFile: 'state-machines/sensors-training.asl.json',
    functionPlaceholders: {
      SensorChunksFunctionArn: 'sensorChunks',
      SensorFeaturesFunctionArn: 'sensorFeatures',
      ClusterFunctionArn: 'cluster',
      ArchiveFunctionArn: 'archive',
    },
    schedule: {
      expression: 'cron(0 3 * * ? *)',
      description:
        'Daily at 03:00 UTC: chunk, featurize, retrain the clustering from the champion, report drift',
      input: { scheduledTime: SCHEDULED_TIME },
    },
  },
  {
    id: 'SensorsInferenceStateMachine',
    name: 'sensors-inference',
    aslFile: 'state-machines/sensors-inference.asl.json',
    functionPlaceholders: { ClusterFunctionArn: 'cluster' },
    schedule: {
      expression: 'cron(30 3 * * ? *)',
      description:
        'Daily at 03:30 UTC: assign the latest sensor-days to clusters, record the distribution and drift',
      input: { scheduledTime: SCHEDULED_TIME },
    },
  },
  {
    id: 'RollbackStateMachine',
    name: 'rollback',
    aslFile: 'state-machines/rollback.asl.json',
    functionPlaceholders: { PromoteFunctionArn: 'promote' },
  },
];
