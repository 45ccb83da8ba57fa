import { existsSync, readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext } from '../../bin/app.js';
import { resourceNames } from '../../lib/config/app-config.js';
import { pipelineDefinition } from '../../lib/config/pipeline-definition.js';
import { localStackFiles } from '../../local/localstack/server.js';
import type { ArnScope } from '../iam/aws-actions.js';
import { type Caller, callerId, type RecordedCall } from '../iam/call-recorder.js';
import { DeployedRoles } from '../iam/deployed-roles.js';
import { describeHttpCall, type HttpCall, readCallLog, translateHttpCalls } from '../iam/http-calls.js';
import { type CheckedRequest, evaluate, type Verdict } from '../iam/policy-check.js';
import { describeDenial, distinctRequests, requestsOfCalls } from '../iam/requests.js';
import { logicalIdOf, synthStacks } from '../support/cdk-app.js';
import { LOCALSTACK_PORT, OUTPUTS_FILE, output, region, STAGE, systems } from './deployed.js';

const CALL_LOG_FILE = localStackFiles(LOCALSTACK_PORT).callLog;

/**
 * IAM over the calls of the deployed system: runner.cjs recorded every HTTP request each function
 * made while the other files of this tier used the stacks (the real bundles, with the SDK inside
 * them); each is read back as its SDK command, mapped to IAM requests and evaluated against that
 * function's role as the stacks synthesize it for this stage, the buckets' policies included.
 * The vitest config runs this file last. See docs/iam-check.md.
 */
const config = configFromContext((key) => (key === 'stage' ? STAGE : undefined), process.env);
const names = resourceNames(config);
const scope: ArnScope = { partition: 'aws', region, account: '000000000000' };
const definition = pipelineDefinition(systems);
const callerByFunctionName = new Map<string, Caller>(
  Object.keys(definition.functions).map((key) => [names.function(key), { kind: 'function', name: key }]),
);

let deployed: DeployedRoles;
let httpCalls: HttpCall[] = [];
let olderLines = 0;
let otherFunctions: string[] = [];
let calls: RecordedCall[] = [];
let unknown: string[] = [];
const unmodelled: string[] = [];
const verdicts: Verdict[] = [];

beforeAll(async () => {
  const started = Date.now();
  if (!existsSync(CALL_LOG_FILE))
    throw new Error(
      `no call log at ${CALL_LOG_FILE}: the LocalStack in use was not started by startLocalStack (local/localstack/server.ts), which sets SMLP_CALL_LOG for its functions`,
    );
  // Only this run's calls: LocalStack reused across runs (LOCALSTACK_ENDPOINT) keeps appending.
  const deployedAt = statSync(OUTPUTS_FILE).mtimeMs;
  const synth = synthStacks({ bundle: false, config });
  const generated: Record<string, string> = {
    [logicalIdOf(synth.stacks.data.dataBucket)]: output('DataBucketName'),
    [logicalIdOf(synth.stacks.data.artifactsBucket)]: output('ArtifactsBucketName'),
    [logicalIdOf(synth.stacks.data.accessLogsBucket)]: output('AccessLogsBucketName'),
  };
  deployed = new DeployedRoles(
    [
      { stackName: synth.stacks.data.stackName, template: synth.data.toJSON() },
      { stackName: synth.stacks.pipeline.stackName, template: synth.pipeline.toJSON() },
    ],
    definition,
    config,
    scope,
    generated,
  );
  const all = readCallLog(readFileSync(CALL_LOG_FILE, 'utf8'));
  const thisRun = all.filter((call) => Date.parse(call.time) >= deployedAt);
  olderLines = all.length - thisRun.length;
  // Functions other test files create (the executor's probe) are not the stacks': no role to check.
  // A function the templates name but the definition does not know stays in, and fails.
  const stackFunctions = new Set(
    deployed.stacks.flatMap((stack) =>
      Object.values(stack.template.Resources ?? {})
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => String(deployed.resolve(stack, resource.Properties?.FunctionName))),
    ),
  );
  httpCalls = thisRun.filter((call) => stackFunctions.has(call.function));
  otherFunctions = [...new Set(thisRun.map((c) => c.function).filter((f) => !stackFunctions.has(f)))];
  ({ calls, unknown } = translateHttpCalls(httpCalls, (name) => callerByFunctionName.get(name)));
  for (const request of distinctRequests(requestsOfCalls(calls, scope, unmodelled))) {
    try {
      verdicts.push(await evaluate(request, deployed));
    } catch (error) {
      unmodelled.push(
        `${callerId(request.caller)} ${request.action} on ${request.resource}: ${(error as Error).message}`,
      );
    }
  }
  const functions = new Set(calls.map((call) => call.caller.name));
  process.stdout.write(
    `IAM check (LocalStack): ${httpCalls.length} recorded AWS requests of ${functions.size} functions` +
      `${olderLines > 0 ? ` (${olderLines} older lines of an earlier run ignored)` : ''}` +
      `${otherFunctions.length > 0 ? ` (not checked, not the stacks' functions: ${otherFunctions.join(', ')})` : ''}, ` +
      `${verdicts.length} distinct (role, action, resource) requests evaluated in ${Date.now() - started} ms\n`,
  );
}, 240_000);

describe('IAM over the calls the deployed functions made in LocalStack', () => {
  it('recorded the calls of this run, each by a function the stacks deploy', () => {
    expect(httpCalls.length, `requests recorded in ${CALL_LOG_FILE} since the deploy`).toBeGreaterThan(0);
    const ran = new Set(calls.map((call) => call.caller.name));
    // A function that declares no bucket and no stream (the online source) has nothing to call.
    const callsAws = (key: string) => {
      const access = definition.functions[key]?.access;
      return Boolean(access?.dataBucket || access?.artifactsBucket || access?.stream);
    };
    const silent = Object.keys(definition.functions).filter((key) => callsAws(key) && !ran.has(key));
    expect(silent, 'functions with no recorded AWS call in this tier').toEqual([]);
  });

  it('knows every request it recorded: each is an SDK command mapped to IAM actions and resources', () => {
    expect([...unknown, ...unmodelled]).toEqual([]);
  });

  it('finds no call that IAM would deny to the function that made it', () => {
    const denied = verdicts.filter((v) => v.decision !== 'Allowed');
    expect(denied.map(describeDenial)).toEqual([]);
    expect(verdicts.length).toBeGreaterThan(0);
  });
});

describe('the LocalStack check can fail', () => {
  /** A PutObject ingest made, as recorded: the request line, and its evaluated IAM request. */
  const ingestWrite = (): { line: HttpCall; request: CheckedRequest } => {
    const line = httpCalls.find(
      (call) => call.function === names.function('ingest') && call.method === 'PUT' && call.status === 200,
    );
    const verdict = verdicts.find(
      (v) => v.request.caller.name === 'ingest' && v.request.action === 's3:PutObject',
    );
    if (!line || !verdict) throw new Error('no recorded ingest PutObject to test with');
    return { line, request: verdict.request };
  };

  it('denies a recorded call once the grant it used is removed from the role', async () => {
    // Prepare: ingest's policies without the statements that allow s3:PutObject.
    const { request } = ingestWrite();
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
    expect(describeDenial(verdict)).toMatch(/^function:ingest s3:PutObject on arn:aws:s3:::/);
    expect(verdict.why).toMatch(/no statement of .* grants s3:PutObject/);
  });

  it('denies a recorded request sent to a key outside the prefixes the function declares', async () => {
    // Prepare: the same recorded request line, to models/ in the same bucket.
    const { line } = ingestWrite();
    const bucket = line.path.split('/')[1];
    const moved: HttpCall = { ...line, path: `/${bucket}/models/not-ingest.json?x-id=PutObject` };
    // Act
    const { calls: translated, unknown: refused } = translateHttpCalls([moved], (name) =>
      callerByFunctionName.get(name),
    );
    const verdicts = await Promise.all(
      requestsOfCalls(translated, scope, unmodelled).map((r) => evaluate(r, deployed)),
    );
    // Assess
    expect(refused).toEqual([]);
    expect(verdicts.map((v) => [v.request.action, v.decision])).toEqual([
      ['s3:PutObject', 'ImplicitlyDenied'],
    ]);
    expect(verdicts[0]?.why).toMatch(/s3:PutObject is granted only on .*raw\/\*/);
  });

  it('refuses a request it cannot read rather than passing it', () => {
    const { line } = ingestWrite();
    const tagging: HttpCall = { ...line, path: `${line.path.split('?')[0]}?tagging` };
    const { calls: translated, unknown: refused } = translateHttpCalls([tagging], (name) =>
      callerByFunctionName.get(name),
    );
    expect(translated).toEqual([]);
    expect(refused).toEqual([expect.stringContaining(describeHttpCall(tagging))]);
  });
});
