#!/usr/bin/env node
/**
 * CDK entry point. Configuration comes from `defaultConfig`, overridden by CDK context
 * (`-c stage=prod -c shardCount=4 -c streamMode=on-demand -c schedulesEnabled=false
 * -c alarmEmail=ops@example.com -c retainData=true -c functionUrlCallers=<role ARN>,<account id>
 * -c webDistribution=true -c webAclArn=<WAF web ACL ARN>`) and a
 * few environment variables; this is the
 * only place below which nothing reads `process.env`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type Environment, Tags } from 'aws-cdk-lib';
import { type AppConfig, defaultConfig, validateConfig } from '../lib/config/app-config.js';
import { pipelineDefinition } from '../lib/config/pipeline-definition.js';
import type { SystemDefinition } from '../lib/config/system-definition.js';
import { selectSystems } from '../lib/config/system-selection.js';
import { DataStack } from '../lib/stacks/data-stack.js';
import { PipelineStack } from '../lib/stacks/pipeline-stack.js';
import { systems as allSystems } from '../systems/index.js';

/** Reads one context value; `undefined` when not given. */
export type ContextReader = (key: string) => unknown;

function text(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Context ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function wholeNumber(key: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || (typeof value === 'string' && value.trim() === '')) {
    throw new Error(`Context ${key} must be a whole number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A list: a JSON array of strings (cdk.json), or comma-separated on the command line. */
function textList(key: string, value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item: string) => item.trim());
  throw new Error(
    `Context ${key} must be a list of strings (a JSON array, or comma-separated), got ${JSON.stringify(value)}`,
  );
}

function flag(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * Builds the configuration from context (strings on the command line, JSON values in cdk.json)
 * and environment, then validates it. `retainData` defaults to true for the `prod` stage so a
 * production teardown never deletes data by accident.
 */
export function configFromContext(
  context: ContextReader,
  env: Readonly<Record<string, string | undefined>> = {},
  base: AppConfig = defaultConfig,
): AppConfig {
  const get = (key: string): unknown => {
    const value = context(key);
    return value === undefined || value === null ? undefined : value;
  };
  const stageValue = get('stage') ?? env.PIPELINE_STAGE;
  const prefixValue = get('prefix');
  const modeValue = get('streamMode');
  const shardValue = get('shardCount');
  const retentionValue = get('retentionHours');
  const schedulesValue = get('schedulesEnabled');
  const emailValue = get('alarmEmail') ?? env.ALARM_EMAIL;
  const retainValue = get('retainData');
  const callersValue = get('functionUrlCallers');
  const webValue = get('webDistribution');
  const webAclValue = get('webAclArn');

  const stage = stageValue === undefined ? base.stage : text('stage', stageValue);
  let mode = base.stream.mode;
  if (modeValue !== undefined) {
    if (modeValue !== 'provisioned' && modeValue !== 'on-demand') {
      throw new Error(
        `Context streamMode must be "provisioned" or "on-demand", got ${JSON.stringify(modeValue)}`,
      );
    }
    mode = modeValue;
  }

  return validateConfig({
    ...base,
    stage,
    prefix: prefixValue === undefined ? base.prefix : text('prefix', prefixValue),
    stream: {
      mode,
      shardCount: shardValue === undefined ? base.stream.shardCount : wholeNumber('shardCount', shardValue),
      retentionHours:
        retentionValue === undefined
          ? base.stream.retentionHours
          : wholeNumber('retentionHours', retentionValue),
    },
    schedulesEnabled:
      schedulesValue === undefined ? base.schedulesEnabled : flag('schedulesEnabled', schedulesValue),
    alarmEmail:
      emailValue === undefined || emailValue === '' ? base.alarmEmail : text('alarmEmail', emailValue),
    retainData:
      retainValue === undefined ? base.retainData || stage === 'prod' : flag('retainData', retainValue),
    functionUrlCallers:
      callersValue === undefined ? base.functionUrlCallers : textList('functionUrlCallers', callersValue),
    webDistribution: webValue === undefined ? base.webDistribution : flag('webDistribution', webValue),
    ...(webAclValue === undefined ? {} : { webAclArn: text('webAclArn', webAclValue) }),
  });
}

export interface PipelineStacks {
  readonly data: DataStack;
  readonly pipeline: PipelineStack;
}

/** Adds the two stacks of one stage to an app, tagged with project and stage. */
export function addPipelineStacks(
  app: App,
  config: AppConfig,
  env?: Environment,
  /** The systems to deploy; the list in systems/index.ts unless a test gives its own. */
  systems: readonly SystemDefinition[] = allSystems,
): PipelineStacks {
  const base = `${config.prefix}-${config.stage}`;
  const data = new DataStack(app, 'DataStack', {
    stackName: `${base}-data`,
    description: `Streaming ML pipeline (${config.stage}): stream and buckets (stateful)`,
    env,
    config,
  });
  const pipeline = new PipelineStack(app, 'PipelineStack', {
    stackName: `${base}-pipeline`,
    description: `Streaming ML pipeline (${config.stage}): functions, state machines, schedules, alarms`,
    env,
    config,
    stream: data.stream,
    dataBucket: data.dataBucket,
    artifactsBucket: data.artifactsBucket,
    definition: pipelineDefinition(systems),
  });
  Tags.of(app).add('project', config.prefix);
  Tags.of(app).add('stage', config.stage);
  return { data, pipeline };
}

/** `<package version>+<git commit>`, or just the version outside a git checkout. */
function codeVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return commit ? `${version}+${commit}` : version;
  } catch {
    return version;
  }
}

function main(): void {
  const app = new App();
  const config = {
    ...configFromContext((key) => app.node.tryGetContext(key), process.env),
    codeVersion: codeVersion(),
  };
  // Environment-agnostic unless the CLI knows the account, so `cdk synth` works offline without
  // credentials; with credentials the stacks are bound to the account and region in use.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const env: Environment | undefined = account
    ? { account, region: process.env.CDK_DEFAULT_REGION }
    : undefined;
  addPipelineStacks(app, config, env, selectSystems(app.node.tryGetContext('systems'), allSystems));
  app.synth();
}

// Run only as the entry point, so tests can import the functions above without synthesizing.
const entry = process.argv[1];
if (entry && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) main();
