import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { echo, reply } from '../../../lambdas/platform/http.js';
import { DEFAULT_EPOCH, servedRecordAt, tickAt } from '../records/generator.js';

/** Ticks are whole numbers; more digits than a safe integer has are not a tick. */
const TICK = /^\d{1,16}$/;

/**
 * The data source, like the challenge's REST endpoint, behind an IAM-authenticated Function URL:
 *   GET /?tick=N   record N (the same record every time: the generator is seeded and stateless)
 *   GET /          the record of the current wall-clock tick (2-second steps since the epoch),
 *                  for pollers outside the project that just ask for "the next record"
 * About 1 record in 250 is broken on purpose (null or "NaN" features, a label of 2, no target).
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET')
    return reply(405, { error: `only GET is served (GET /?tick=N or GET /), got ${echo(method)}` });
  const given = event.queryStringParameters?.tick;
  let tick: number;
  if (given === undefined) {
    tick = tickAt(Date.parse(DEFAULT_EPOCH), Date.now());
    if (tick < 0) return reply(503, { error: `the source starts at ${DEFAULT_EPOCH}` });
  } else {
    tick = Number(given);
    if (!TICK.test(given) || !Number.isSafeInteger(tick))
      return reply(400, { error: `tick must be a whole number >= 0 (e.g. ?tick=42), got ${echo(given)}` });
  }
  return reply(200, servedRecordAt(tick).data);
}
