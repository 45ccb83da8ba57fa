/**
 * Typed configuration of one deployment (a stage). `bin/app.ts` builds it from CDK context and
 * the environment; nothing below `lib/` reads `process.env`.
 */
export interface StreamConfig {
  /** `on-demand` scales by itself; `provisioned` uses `shardCount`. */
  readonly mode: 'provisioned' | 'on-demand';
  readonly shardCount: number;
  /**
   * How long the stream keeps records (24 to 8760). It is also how long there is to replay a
   * batch ingest gave up on: the on-failure queue holds only pointers into the stream, and keeps
   * them no longer than this minus the event source's maximum record age.
   */
  readonly retentionHours: number;
}

export interface RetentionConfig {
  /** Archived raw data moves to Glacier Instant Retrieval after this many days. */
  readonly archiveToColdStorageAfterDays: number;
  /** Archived raw data is deleted after this many days. */
  readonly archiveExpireAfterDays: number;
  /** Quarantined records are deleted after this many days. */
  readonly quarantineExpireAfterDays: number;
  /** S3 server access logs of the data and artifacts buckets are deleted after this many days. */
  readonly accessLogsExpireAfterDays: number;
}

export interface AppConfig {
  /** Stage name, part of every resource name (`dev`, `prod`, `local`). */
  readonly stage: string;
  /** Prefix of resource names, so several copies can live in one account. */
  readonly prefix: string;
  readonly stream: StreamConfig;
  readonly retention: RetentionConfig;
  /** When false the schedules are created disabled: start executions from the console instead. */
  readonly schedulesEnabled: boolean;
  /** Where alarm notifications go; no subscription when left out. */
  readonly alarmEmail?: string;
  /** Keep buckets and the stream when the stack is destroyed (`true` for production). */
  readonly retainData: boolean;
  /**
   * Who may call the Function URLs (`water-forecast`, `sensors-endpoint`), besides principals of
   * the deploying account whose own IAM policies allow it: IAM role ARNs
   * (`arn:aws:iam::123456789012:role/forecast-client`) or 12-digit account ids (then that
   * account's own policies decide which of its principals). Each is granted both
   * `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (the latter only through the URL) in
   * the functions' resource policies. Context: `-c functionUrlCallers=<arn>,<account>` or a JSON
   * array in cdk.json.
   */
  readonly functionUrlCallers: readonly string[];
  /**
   * Serve the web front end (the systems' pages, such as the online-learning dashboard) from a
   * private S3 bucket behind a CloudFront distribution, with each page's API behind the same
   * distribution (origin access control on both). Off by default: then nothing is public, and
   * the APIs are reached only through their IAM-authenticated Function URLs. Build the pages
   * first (`npm run build:web`). Context: `-c webDistribution=true`.
   */
  readonly webDistribution: boolean;
  /**
   * ARN of a WAF web ACL (scope CLOUDFRONT, created in us-east-1) in front of the distribution,
   * such as an IP allow list that keeps the pages to an office or a VPN. Context:
   * `-c webAclArn=arn:aws:wafv2:us-east-1:…:global/webacl/…`.
   * @default - no web ACL: anyone with the distribution's address reaches the pages
   */
  readonly webAclArn?: string;
  /**
   * Which code trained a model: recorded in every registered version's metadata.
   * @default - 'unknown' (bin/app.ts sets the package version and git commit)
   */
  readonly codeVersion?: string;
}

export const defaultConfig: AppConfig = {
  stage: 'dev',
  prefix: 'smlp',
  // A week, not the 24 h Kinesis includes: a batch ingest gave up on on a Friday can still be
  // replayed on the Monday. The cost: retention beyond 24 h is billed per shard-hour on a
  // provisioned stream (a little more than the shard-hour itself, so the shards cost about twice
  // as much) and per GB-month on demand. `-c retentionHours=24` saves it where a lost day of
  // records does not matter.
  stream: { mode: 'provisioned', shardCount: 2, retentionHours: 168 },
  retention: {
    archiveToColdStorageAfterDays: 30,
    archiveExpireAfterDays: 365,
    quarantineExpireAfterDays: 90,
    accessLogsExpireAfterDays: 365,
  },
  schedulesEnabled: true,
  retainData: false,
  functionUrlCallers: [],
  webDistribution: false,
};

/** Resource names shared by the stacks and the local runtime. */
export function resourceNames(config: Pick<AppConfig, 'prefix' | 'stage'>) {
  const base = `${config.prefix}-${config.stage}`;
  return {
    stream: `${base}-records`,
    dataBucket: `${base}-data`,
    artifactsBucket: `${base}-artifacts`,
    stateMachine: (name: string) => `${base}-${name}`,
    function: (key: string) => `${base}-${key}`,
    /** The Glue database of the systems' tables: Glue and Athena want `_`, not `-`. */
    glueDatabase: base.toLowerCase().replace(/-/g, '_'),
    athenaWorkGroup: base,
  };
}

/** A 12-digit account id, or the ARN of an IAM role (with a path or not) in any partition. */
const FUNCTION_URL_CALLER = /^(\d{12}|arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+)$/;

/** Checks a configuration and says what is wrong and what was expected. */
export function validateConfig(config: AppConfig): AppConfig {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(config.stage)) {
    problems.push(`stage "${config.stage}" must be 1-20 lowercase letters, digits or dashes`);
  }
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(config.prefix)) {
    problems.push(`prefix "${config.prefix}" must be 1-20 lowercase letters, digits or dashes`);
  }
  if (
    config.stream.mode === 'provisioned' &&
    !(Number.isInteger(config.stream.shardCount) && config.stream.shardCount >= 1)
  ) {
    problems.push(`stream.shardCount must be a whole number >= 1, got ${config.stream.shardCount}`);
  }
  if (!(config.stream.retentionHours >= 24 && config.stream.retentionHours <= 8760)) {
    problems.push(`stream.retentionHours must be between 24 and 8760, got ${config.stream.retentionHours}`);
  }
  const r = config.retention;
  if (!(Number.isInteger(r.quarantineExpireAfterDays) && r.quarantineExpireAfterDays >= 1)) {
    problems.push(
      `retention.quarantineExpireAfterDays must be a whole number >= 1 (S3 rejects 0), got ${r.quarantineExpireAfterDays}`,
    );
  }
  if (!(Number.isInteger(r.archiveToColdStorageAfterDays) && r.archiveToColdStorageAfterDays >= 0)) {
    problems.push(
      `retention.archiveToColdStorageAfterDays must be a whole number >= 0, got ${r.archiveToColdStorageAfterDays}`,
    );
  }
  if (!(Number.isInteger(r.accessLogsExpireAfterDays) && r.accessLogsExpireAfterDays >= 1)) {
    problems.push(
      `retention.accessLogsExpireAfterDays must be a whole number >= 1 (S3 rejects 0), got ${r.accessLogsExpireAfterDays}`,
    );
  }
  for (const caller of config.functionUrlCallers) {
    if (!FUNCTION_URL_CALLER.test(caller))
      problems.push(
        `functionUrlCallers entry "${caller}" must be a 12-digit account id or an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)`,
      );
  }
  if (
    config.webAclArn !== undefined &&
    !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+/.test(config.webAclArn)
  )
    problems.push(
      `webAclArn "${config.webAclArn}" must be the ARN of a CloudFront-scope WAF web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)`,
    );
  if (config.webAclArn !== undefined && !config.webDistribution)
    problems.push(
      'webAclArn is set but webDistribution is not: there is no distribution to put it in front of',
    );
  if (config.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail)) {
    problems.push(`alarmEmail "${config.alarmEmail}" is not an e-mail address`);
  }
  if (!(r.archiveExpireAfterDays > r.archiveToColdStorageAfterDays)) {
    problems.push(
      `retention.archiveExpireAfterDays (${r.archiveExpireAfterDays}) must be greater than archiveToColdStorageAfterDays (${r.archiveToColdStorageAfterDays})`,
    );
  }
  if (problems.length > 0) throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
