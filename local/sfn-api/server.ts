import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LocalStateMachines } from '../state-machine-runner.js';
import { SfnApiError } from './errors.js';
import { StepFunctionsOperations } from './operations.js';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface StepFunctionsApi {
  /** http://127.0.0.1:PORT, for `SFNClient({ endpoint })` or `AWS_ENDPOINT_URL_SFN`. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * The Step Functions API on 127.0.0.1, in AWS's JSON 1.0 protocol (POST /, the operation in
 * X-Amz-Target), so the SDK, the aws CLI and anything built on them work against the local
 * runtime unchanged. Requests are not authenticated: any credentials are accepted, as there is
 * no IAM locally.
 */
export async function startStepFunctionsApi(options: {
  machines: LocalStateMachines;
  /** The deployed name of a state machine key (`resourceNames(config).stateMachine`). */
  deployedName: (key: string) => string;
}): Promise<StepFunctionsApi> {
  const operations = new StepFunctionsOperations(options.machines, options.deployedName);
  const server = createServer((request, response) => {
    void answer(operations, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function answer(
  operations: StepFunctionsOperations,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    const operation =
      request.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? operations.byName[target.slice(TARGET_PREFIX.length)]
        : undefined;
    if (!operation) {
      throw new SfnApiError(
        'UnknownOperationException',
        `Operation not supported locally: ${target ?? '(none)'}`,
      );
    }
    let parameters: unknown;
    try {
      parameters = body ? JSON.parse(body) : {};
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not JSON');
    }
    send(response, 200, await operation(parameters as never));
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(response, 400, { __type: error.type, message: error.message });
    } else {
      send(response, 500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(body, epochSeconds));
}

/** The JSON 1.0 protocol's timestamps: epoch seconds, with milliseconds as the fraction. */
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}
