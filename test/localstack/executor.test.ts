import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { region, STAGE } from './deployed.js';
import { storedZip } from './stored-zip.js';

/**
 * The project's LocalStack Lambda executor (local/localstack/plugins/smlp_localstack): each
 * execution environment a local Node.js process. A probe function, created through the Lambda
 * API as any function is, shows what the deployed handlers rely on: results, error names (Step
 * Functions retries and catches by them), the timeout, a crash, and warm module state.
 */
const lambda = new LambdaClient({ region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const FunctionName = `smlp-${STAGE}-executor-probe`;
const TIMEOUT_SECONDS = 3;
const PROBE = `
let invocations = 0; // module scope: kept while the environment is warm
exports.handler = async (event, context) => {
  invocations += 1;
  console.log('probe got', JSON.stringify(event));
  if (event.throw) {
    const error = new Error('the object changed since it was read');
    error.name = 'PreconditionFailedError';
    throw error;
  }
  if (event.exit) process.exit(3);
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { invocations, pid: process.pid, functionName: context.functionName, remainingMs: context.getRemainingTimeInMillis() };
};
`;

async function invoke(event: Record<string, unknown>) {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName, Payload: JSON.stringify(event), LogType: 'Tail' }),
  );
  return {
    functionError: response.FunctionError,
    body: JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8') || 'null'),
    logs: Buffer.from(response.LogResult ?? '', 'base64').toString('utf8'),
  };
}

beforeAll(async () => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/executor-probe',
      Timeout: TIMEOUT_SECONDS,
      Code: { ZipFile: storedZip({ 'index.js': PROBE }) },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 120 }, { FunctionName });
});
afterAll(async () => {
  await lambda.send(new DeleteFunctionCommand({ FunctionName }));
});

describe.sequential('the node-process Lambda executor', () => {
  it("returns the handler's result, with the function's log lines", async () => {
    // Act
    const { functionError, body, logs } = await invoke({ hello: 'world' });

    // Assess
    expect(functionError).toBeUndefined();
    expect(body).toMatchObject({ functionName: FunctionName });
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(TIMEOUT_SECONDS * 1000);
    expect(logs).toContain('probe got {"hello":"world"}');
    expect(logs).toMatch(/REPORT RequestId: \S+\tDuration: /);
  });

  it('keeps module state between invocations of a warm environment, as Lambda does', async () => {
    // Act
    const first = await invoke({});
    const second = await invoke({});

    // Assess: the same process answered both
    expect(second.body.pid).toBe(first.body.pid);
    expect(second.body.invocations).toBe(first.body.invocations + 1);
  });

  it("answers a thrown error with the error's name as errorType, which Step Functions matches on", async () => {
    // Act
    const { functionError, body } = await invoke({ throw: true });

    // Assess
    expect(functionError).toBe('Unhandled');
    expect(body).toMatchObject({
      errorType: 'PreconditionFailedError',
      errorMessage: 'the object changed since it was read',
    });
  });

  it("stops an invocation at the function's timeout with Lambda's error, then serves the next one from a fresh process", async () => {
    // Prepare
    const before = await invoke({});

    // Act
    const late = await invoke({ sleepMs: 60_000 });
    const after = await invoke({});

    // Assess
    expect(late.functionError).toBe('Unhandled');
    expect(late.body).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(late.body.errorMessage).toMatch(`Task timed out after ${TIMEOUT_SECONDS}.00 seconds`);
    expect(after.functionError).toBeUndefined();
    expect(after.body.pid).not.toBe(before.body.pid);
    expect(after.body.invocations).toBe(1);
  });

  it('reports a runtime that exits during an invocation, then starts a fresh one', async () => {
    // Act
    const crashed = await invoke({ exit: true });
    const after = await invoke({});

    // Assess
    expect(crashed.functionError).toBe('Unhandled');
    expect(crashed.body).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(crashed.body.errorMessage).toMatch('exit status 3');
    expect(after.functionError).toBeUndefined();
    expect(after.body.invocations).toBe(1);
  });
});
