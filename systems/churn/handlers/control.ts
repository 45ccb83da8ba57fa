import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { echo, parseJsonObjectBody, reply } from '../../../lambdas/platform/http.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { startExecution } from '../../../lambdas/platform/start-execution.js';
import { parseStreamRequest } from '../model/stream-request.js';
import { churnSystem } from '../system.js';

const logger = createLogger('churn-control');

const ROUTES = 'POST /start_stream {"batchSize", "numBatches", "intervalSeconds"}, POST /run-monitoring';

/**
 * The seed's control endpoints behind an IAM-authenticated Function URL: start streaming call
 * records in batches, or run monitoring now. Each starts the state machine the console and the
 * CLI start, so all three leave the same trace (an execution with its input and history).
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  if (path === '/start_stream') {
    if (method !== 'POST') return reply(405, { error: `use POST for /start_stream, not ${echo(method)}` });
    const body = parseJsonObjectBody(event, '{"batchSize": 500, "numBatches": 4, "intervalSeconds": 5}');
    if (!body.ok) return body.response;
    const request = parseStreamRequest(body.body ?? {}, churnSystem);
    if (!request.ok) return reply(400, { error: request.error });
    const executionArn = await startExecution('churn-stream', request.value);
    logger.info('stream started', { executionArn, ...request.value });
    return reply(202, { started: 'churn-stream', executionArn, input: request.value });
  }
  if (path === '/run-monitoring') {
    if (method !== 'POST' && method !== 'GET')
      return reply(405, { error: `use POST (or GET) for /run-monitoring, not ${echo(method)}` });
    const executionArn = await startExecution('churn-monitor', { trigger: 'http' });
    logger.info('monitoring started', { executionArn });
    return reply(202, { started: 'churn-monitor', executionArn });
  }
  return reply(404, { error: `no route ${echo(event.rawPath)}; the routes are ${ROUTES}` });
}
