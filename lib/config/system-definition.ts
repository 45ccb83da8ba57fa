/**
 * The plug-in contract: what a system (water forecasting, sensor clustering, …) declares so the
 * platform can deploy and run it. Plain data and pure modules on purpose: the CDK app, the local
 * runtime, the CLI and the streaming handlers all read it, and none of them may load another's
 * dependencies (aws-cdk-lib, the SDK, model code) through it.
 */
import type { GeneratedDataset } from '../../core/pipelines/generated-dataset.js';
import type { RecordSpec } from '../../core/pipelines/record-spec.js';

/** Key prefixes of one bucket a function may use; `*` is allowed at the end of a segment. */
export interface PrefixAccess {
  /** Objects it reads (GetObject) and prefixes it lists (ListBucket, limited to these). */
  readonly read?: readonly string[];
  /** Objects it writes (PutObject). */
  readonly write?: readonly string[];
  /** Objects it deletes (DeleteObject): only a function that moves data away needs this. */
  readonly delete?: readonly string[];
}

/** A Lambda function: its handler file and the limits it runs with. */
export interface FunctionDefinition {
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** What the function may touch; the stack turns these into grants scoped to the prefixes. */
  readonly access: {
    readonly dataBucket?: PrefixAccess;
    readonly artifactsBucket?: PrefixAccess;
    /**
     * `read`: consume the stream (CDK's grantRead). `write`: put records (grantWrite).
     * `writeAndReadBack`: put records and read them back (GetShardIterator, GetRecords, no
     * consumer APIs), as the producer does to see which rows of an interrupted slice arrived.
     */
    readonly stream?: 'read' | 'write' | 'writeAndReadBack';
  };
  /**
   * Error names the handler throws on purpose (its step helper declares the same classes).
   * `permanent` ones are never retried (the input or the data is wrong); `retryable` ones are
   * (a concurrent writer won). The ASL renderer builds each Task's Retry from these.
   */
  readonly errors?: { readonly permanent?: readonly string[]; readonly retryable?: readonly string[] };
  /** An HTTPS endpoint (Lambda Function URL) in front of the function, IAM-authenticated. */
  readonly functionUrl?: { readonly authType: 'AWS_IAM' };
  /**
   * State machines of its own system it may start (by short name, `churn-monitor`): granted
   * `states:StartExecution` on each, their ARNs given in the environment (`stateMachineArn()` of
   * lambdas/platform/env.ts). A console button's work behind an HTTP endpoint.
   */
  readonly startsStateMachines?: readonly string[];
  /** It sends events to the default EventBridge bus (`events:PutEvents`), e.g. "drift detected". */
  readonly putsEvents?: boolean;
}

/**
 * An EventBridge rule on the default bus that starts one of the system's state machines: S3's
 * "Object Created" events of the data bucket (the stack turns EventBridge notifications on) or a
 * system's own events. The local runtime matches the same pattern on the same events.
 */
export interface EventRuleDefinition {
  /** Short name (`churn-predictions-landed`); starts with the system's name; part of the contract. */
  readonly name: string;
  readonly description: string;
  /**
   * An EventBridge event pattern. In strings, `${DataBucket}` and `${ArtifactsBucket}` are
   * replaced with the buckets' names (S3 events name the bucket).
   */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** The state machine it starts (one of the system's), and the execution input built from the event. */
  readonly target: {
    readonly stateMachine: string;
    /** Input field → JSON path into the event (`$.detail.object.key`); constants are not paths. */
    readonly input: Readonly<Record<string, string>>;
  };
  /**
   * The context flag (`-c <flag>=false`) that leaves the rule out of the stack (and the local
   * runtime's bus), so a user can turn an automatic reaction off without editing code.
   */
  readonly disableFlag?: string;
}

/** A CloudWatch alarm on a metric the system's handlers publish (Embedded Metric Format). */
export interface MetricAlarmDefinition {
  /** Short name (`churn-estimated-f1-low`); starts with the system's name. */
  readonly name: string;
  readonly description: string;
  /**
   * @default the deployment's namespace: the one handlers publish to (handlerEnv.metricsNamespace()),
   * `StreamingMlPipelines/<prefix>-<stage>`
   */
  readonly namespace?: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic: 'Minimum' | 'Maximum' | 'Average' | 'Sum';
  readonly periodSeconds: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly evaluationPeriods: number;
}

/** Column types of a table, as Glue (Athena) and DuckDB both name them. */
export type TableColumnType = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'timestamp';

/**
 * A table over objects the system writes: a Glue table (partition projection, so Athena needs no
 * crawler) in the stack, and a DuckDB view for `smlp query` locally. The column list is the one
 * the system's Parquet writer uses, so they cannot disagree.
 */
export interface TableDefinition {
  /** Table name (`churn_summaries`): lower case, underscores, starts with the system's name. */
  readonly name: string;
  readonly description: string;
  readonly bucket: 'data' | 'artifacts';
  /** Key prefix of the table's objects (`summaries/churn/`); partitions are Hive-style below it. */
  readonly prefix: string;
  /** `parquet`, or `ndjson-gzip` for raw records (JSON lines, gzip). */
  readonly format: 'parquet' | 'ndjson-gzip';
  readonly columns: readonly { readonly name: string; readonly type: TableColumnType }[];
  /** Hive partition keys in key order (`day` for `day=2024-05-01/`); dates are `yyyy-MM-dd`. */
  readonly partitionKeys: readonly {
    readonly name: string;
    readonly type: 'string';
    /** Partition projection: a date range (from `start` to now) or an hour of the day. */
    readonly projection: { readonly kind: 'date'; readonly start: string } | { readonly kind: 'hour' };
  }[];
}

/** Kinesis → Lambda settings, applied to the AWS event source mapping and the local poller alike. */
export interface EventSourceDefinition {
  readonly functionKey: string;
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
  /**
   * Short name used in resource names and on the command line (`water-retrain`). The construct
   * id derives from it (`WaterRetrainStateMachine`): part of the deployed contract, never rename.
   */
  readonly name: string;
  /** ASL file relative to the repository root, with `${Placeholder}` substitutions. */
  readonly aslFile: string;
  /** Placeholder in the ASL → the key of the function whose ARN replaces it. */
  readonly functionPlaceholders: Readonly<Record<string, string>>;
  /** Placeholder in the ASL → a plain value (an ASL shared by systems, bound to one of them). */
  readonly values?: Readonly<Record<string, string>>;
  readonly schedule?: ScheduleDefinition;
  /**
   * What the state machine itself reads and writes in S3, by key prefix: a Distributed Map's
   * ItemReader (`read`: GetObject, ListBucket) and ResultWriter (`write`: PutObject and the
   * multipart calls AWS lists for it). Required when its ASL has either; the stack grants exactly
   * these prefixes.
   * @default - no S3 access
   */
  readonly s3Access?: { readonly dataBucket?: PrefixAccess; readonly artifactsBucket?: PrefixAccess };
  // The execution timeout lives in the ASL file (TimeoutSeconds), the one place both runtimes read.
}

/** One system: everything the platform needs to know to deploy, stream, train and serve it. */
export interface SystemDefinition {
  /** The system's name: the `pipeline` field of its records and a path segment in S3 (`water`). */
  readonly name: string;
  /** One line for listings (`Water consumption forecasting`). */
  readonly title: string;
  /** The system's page, relative to the repository root. */
  readonly docs: string;
  readonly recordSpec: RecordSpec<unknown>;
  /** The synthetic data set the producer streams when no CSV is given. */
  readonly dataset?: GeneratedDataset;
  /**
   * Its model keys in the registry; the first is the default of the CLI and the rollback input.
   * Empty for a system whose models live elsewhere (the online learner's checkpoints): the
   * registry commands then refuse it and say so.
   */
  readonly models: readonly string[];
  /**
   * Models kept per key instead of named here (one per store): registry names matching `pattern`.
   * A system with keyed models usually lists no `models`; the registry commands, the rollback input
   * and the console then need the key named (`--model store-0017`).
   */
  readonly keyedModels?: {
    /** What the keys are, for messages (`one model per store, store-0001 … store-1115`). */
    readonly description: string;
    /** A regular expression every key matches (`^store-\\d{4}$`). */
    readonly pattern: string;
    /** One key, for messages and the console's first look. */
    readonly example: string;
  };
  /**
   * The platform's stream state machine for this system (`<name>-stream`, the producer on a
   * schedule); left out when the system's records arrive some other way.
   */
  readonly stream?: {
    readonly schedule: ScheduleDefinition;
    /**
     * Share of the data set (in time order) the producer keeps for the first model instead of
     * streaming it; the input's `initialShare` overrides it.
     * @default 0 (everything is streamed)
     */
    readonly initialShare?: number;
  };
  /** Its functions by key; every key starts with the system's name (`water-train`). */
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /** Its state machines; every name starts with the system's name (`water-retrain`). */
  readonly stateMachines: readonly StateMachineDefinition[];
  /**
   * Functions of the system that read the stream themselves, besides the platform's ingest: each
   * gets only this system's records (an event filter on the envelope's `pipeline`, on AWS and
   * locally alike), in order per shard, with these event source settings.
   */
  readonly streamConsumers?: readonly EventSourceDefinition[];
  /**
   * A page of the web front end (module relative to the repository root, default-exporting a
   * Preact component) and the function whose Function URL is its API. The local console serves
   * the API under `/api/<system>/…`, as the CloudFront distribution does on AWS.
   */
  readonly web?: { readonly page: string; readonly title: string; readonly apiFunction: string };
  /** EventBridge rules that start its state machines (an S3 object landing, an event it sends). */
  readonly eventRules?: readonly EventRuleDefinition[];
  /** Alarms on its own metrics (in the pipeline stack, beside the platform's). */
  readonly alarms?: readonly MetricAlarmDefinition[];
  /** Tables over its data, for Athena (Glue) on AWS and DuckDB (`smlp query`) locally. */
  readonly tables?: readonly TableDefinition[];
  /** Module (relative to the repository root) exporting `demo`, the system's part of `npm run demo`. */
  readonly demo?: string;
  /**
   * What `npm start` runs by itself once the system's first stream run succeeded and its default
   * model has no champion yet (on AWS such a state machine is started from the console).
   */
  readonly firstModel?: {
    readonly stateMachine: string;
    readonly input?: Record<string, unknown>;
    readonly says: string;
  };
}

export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
