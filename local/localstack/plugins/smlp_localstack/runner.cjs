'use strict';
/**
 * The process one LocalStack execution environment runs a Node.js function in (started by
 * executor.py). Like the Lambda Node.js runtime it loads the handler once (the init phase, where
 * module-scope clients are created), then runs one invocation at a time. Invocations arrive as
 * JSON lines on stdin; answers go as JSON lines to the file descriptor in SMLP_RESPONSE_FD, so
 * the function's own console output (stdout/stderr) stays its log.
 */
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { pathToFileURL } = require('node:url');

const responseFd = Number(process.env.SMLP_RESPONSE_FD);
delete process.env.SMLP_RESPONSE_FD; // the function sees the environment Lambda would give it
const send = (message) => fs.writeSync(responseFd, `${JSON.stringify(message)}\n`);

/** The error body Lambda returns for a failed invocation: Step Functions matches on errorType. */
function errorBody(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

async function loadHandler() {
  const spec = process.env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  const moduleName = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const file = ['.js', '.cjs', '.mjs']
    .map((extension) => path.join(root, `${moduleName}${extension}`))
    .find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw Object.assign(new Error(`Cannot find module '${moduleName}' in ${root}`), {
      name: 'Runtime.ImportModuleError',
    });
  }
  const loaded = await import(pathToFileURL(file).href);
  const handler = loaded[exportName] ?? loaded.default?.[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler;
}

function contextFor(request) {
  return {
    awsRequestId: request.requestId,
    invokedFunctionArn: request.functionArn,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadlineMs - Date.now()),
  };
}

function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

/** Resolves once everything the function printed so far has reached the pipe. */
const flushed = (stream) => new Promise((resolve) => stream.write('', () => resolve()));

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    send({ type: 'initError', error: errorBody(error) });
    return;
  }
  send({ type: 'ready' });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const request = JSON.parse(line);
    process.env._X_AMZN_TRACE_ID = request.traceId ?? '';
    console.log(`START RequestId: ${request.requestId}`);
    const started = process.hrtime.bigint();
    let message;
    try {
      const event = request.payload ? JSON.parse(request.payload) : {};
      const result = await run(handler, event, contextFor(request));
      message = { type: 'response', payload: JSON.stringify(result === undefined ? null : result) };
    } catch (error) {
      message = { type: 'error', payload: JSON.stringify(errorBody(error)) };
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`END RequestId: ${request.requestId}`);
    console.log(`REPORT RequestId: ${request.requestId}\tDuration: ${ms.toFixed(2)} ms`);
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    send(message);
  }
}

main();
