'use strict';
/**
 * The process one LocalStack execution environment runs a Node.js function in (started by
 * node_executor.py). Like the Lambda Node.js runtime it loads the handler once (the init phase, where
 * module-scope clients are created), then runs one invocation at a time. Invocations arrive as
 * JSON lines on stdin; answers go as JSON lines to the file descriptor in SMLP_RESPONSE_FD, so
 * the function's own console output (stdout/stderr) stays its log.
 */
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { pathToFileURL } = require('node:url');

const responseFd = Number(process.env.SMLP_RESPONSE_FD);
const callLog = process.env.SMLP_CALL_LOG;
// The function sees the environment Lambda would give it.
delete process.env.SMLP_RESPONSE_FD;
delete process.env.SMLP_CALL_LOG;
const send = (message) => fs.writeSync(responseFd, `${JSON.stringify(message)}\n`);

/**
 * The LocalStack tier's IAM check (test/localstack/iam.test.ts): one JSON line per HTTP request
 * the function makes, appended to SMLP_CALL_LOG once the exchange is over. The SDK is bundled
 * into the function, so this hooks below it, on Node's HTTP client: requests through
 * diagnostics_channel, their bodies by wrapping ClientRequest's write and end. JSON-protocol
 * requests (x-amz-target) keep their body, and the shard iterators and page tokens their answer
 * hands back (GetRecords names only an iterator); S3's POST ?delete keeps its XML body.
 */
function recordHttpCalls(file) {
  const http = require('node:http');
  const channels = require('node:diagnostics_channel');
  const fd = fs.openSync(file, 'a');
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const entries = new WeakMap();
  const bodies = new WeakMap();
  const pending = new Set();
  // Which bodies to keep. Node 20 announces a request only once end() has written its body.
  const keepsBody = (request) =>
    request.getHeader('x-amz-target') !== undefined ||
    (request.method === 'POST' && /[?&]delete(=|&|$)/.test(request.path));
  const write = (entry) => {
    if (entry.written) return;
    entry.written = true;
    pending.delete(entry);
    const { chunks, answer, written, ...line } = entry;
    if (chunks) line.body = bodyOf(line, Buffer.concat(chunks).toString('utf8'));
    if (answer) Object.assign(line, tokensOf(Buffer.concat(answer).toString('utf8')));
    fs.writeSync(fd, `${JSON.stringify(line)}\n`);
  };
  channels.subscribe('http.client.request.start', ({ request }) => {
    const header = (name) => {
      const value = request.getHeader(name);
      return value === undefined ? undefined : String(value);
    };
    const headers = {};
    for (const name of request.getHeaderNames())
      if ((name.startsWith('x-amz-') && name !== 'x-amz-security-token') || name === 'content-type')
        headers[name] = header(name);
    const entry = {
      function: functionName,
      pid: process.pid,
      time: new Date().toISOString(),
      method: request.method,
      host: header('host') ?? request.host,
      path: request.path,
      // The credential scope of the SigV4 signature names the service; the signature is not kept.
      service: /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(header('authorization') ?? '')?.[1],
      headers,
      status: null,
      ...(keepsBody(request) ? { chunks: bodies.get(request) ?? [] } : {}),
    };
    entries.set(request, entry);
    pending.add(entry);
    request.once('close', () => {
      if (!entry.answer) write(entry);
    });
  });
  channels.subscribe('http.client.response.finish', ({ request, response }) => {
    const entry = entries.get(request);
    if (!entry) return;
    entry.status = response.statusCode;
    if (!entry.headers['x-amz-target'] || response.headers['content-encoding']) return write(entry);
    // The body as the parser hands it over, without changing how the SDK reads it.
    entry.answer = [];
    const push = response.push;
    response.push = function recordedPush(chunk, encoding) {
      if (chunk === null) write(entry);
      else entry.answer.push(Buffer.from(chunk, encoding));
      return push.call(this, chunk, encoding);
    };
    response.once('close', () => write(entry));
  });
  for (const method of ['write', 'end']) {
    const original = http.ClientRequest.prototype[method];
    http.ClientRequest.prototype[method] = function recordedBody(chunk, encoding, ...rest) {
      if (chunk != null && typeof chunk !== 'function' && keepsBody(this)) {
        if (!bodies.has(this)) bodies.set(this, []);
        bodies.get(this).push(Buffer.from(chunk, typeof encoding === 'string' ? encoding : undefined));
      }
      return original.call(this, chunk, encoding, ...rest);
    };
  }
  // Not hooked above: an HTTP/2 session is recorded as such, which the check refuses to read.
  const http2 = require('node:http2');
  const connect = http2.connect;
  http2.connect = function recordedConnect(authority, ...rest) {
    const host = String(authority);
    write({
      function: functionName,
      pid: process.pid,
      time: new Date().toISOString(),
      method: 'HTTP/2 connect',
      host,
      path: '',
      headers: {},
      status: null,
    });
    return connect.call(this, authority, ...rest);
  };
  // Requests still open when the process ends (a timed-out invocation): recorded without status.
  process.on('exit', () => {
    for (const entry of [...pending]) write(entry);
  });
}

/** A JSON body without record payloads (`Data`, never an IAM matter); any other body as text. */
function bodyOf(line, text) {
  if (!line.headers['x-amz-target']) return text;
  try {
    return JSON.parse(text, (key, value) =>
      key === 'Data' && typeof value === 'string' ? `(${value.length} characters)` : value,
    );
  } catch {
    return text;
  }
}

/** The iterators and page tokens a JSON answer hands back. */
function tokensOf(text) {
  try {
    const { ShardIterator, NextShardIterator, NextToken } = JSON.parse(text);
    const tokens = [ShardIterator, NextShardIterator, NextToken].filter((t) => typeof t === 'string');
    return tokens.length > 0 ? { tokens } : {};
  } catch {
    return {};
  }
}

if (callLog) recordHttpCalls(callLog);

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
