import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { echo, parseJsonObjectBody, reply } from '../../../lambdas/platform/http.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { MODEL, PIPELINE } from '../names.js';
import { championForecast } from '../store/champion-forecast.js';

const logger = createLogger('water-forecast');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

const MAX_HORIZON = 24 * 14;
const DEFAULT_HORIZON = 24;
const EXAMPLE_BODY = '{"horizon": 24, "temperatures": [...]}';

/**
 * The horizon from the body (a JSON integer) or the query (decimal digits only), or the reason it
 * is refused. Number() would take "0x10", "1e1", " 24", true and [24]: a caller who wrote those
 * meant something else, and is told what is expected instead of being guessed at.
 */
function parseHorizon(
  body: Record<string, unknown> | undefined,
  query: Record<string, string | undefined>,
): { horizon: number } | { error: string } {
  const range = `a whole number from 1 to ${MAX_HORIZON}`;
  if (body && 'horizon' in body) {
    const value = body.horizon;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_HORIZON)
      return { horizon: value };
    return { error: `horizon must be ${range} as a JSON number (e.g. {"horizon": 24}), got ${echo(value)}` };
  }
  const text = query.horizon;
  if (text === undefined) return { horizon: DEFAULT_HORIZON };
  const horizon = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (horizon >= 1 && horizon <= MAX_HORIZON) return { horizon };
  return { error: `horizon must be ${range} in decimal digits (e.g. ?horizon=24), got ${echo(text)}` };
}

/**
 * The water forecast service behind a Function URL (IAM-authenticated):
 *   GET  ?horizon=24
 *   POST {"horizon": 24, "temperatures": [..one per hour..]}
 * Point forecasts with 80% and 95% intervals, and the champion version that made them.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = parseJsonObjectBody(event, EXAMPLE_BODY);
  if (!parsed.ok) return parsed.response;
  const body = parsed.body;
  const query = event.queryStringParameters ?? {};
  const asked = parseHorizon(body, query);
  if ('error' in asked) return reply(400, { error: asked.error });
  const { horizon } = asked;
  // The endpoint serves water's model only; a caller naming another system is told so.
  const pipeline = body?.pipeline ?? query.pipeline;
  if (pipeline !== undefined && pipeline !== PIPELINE)
    return reply(404, {
      error: `this is the water forecast endpoint; no model for pipeline ${echo(pipeline)}`,
    });
  const temperatures = body?.temperatures;
  if (
    temperatures !== undefined &&
    !(
      Array.isArray(temperatures) &&
      temperatures.length === horizon &&
      temperatures.every((t) => typeof t === 'number' && Number.isFinite(t))
    )
  ) {
    return reply(400, { error: `temperatures must be ${horizon} finite numbers (one per forecast hour)` });
  }
  const result = await championForecast(s3, horizon, temperatures as number[] | undefined);
  if (!result)
    return reply(404, {
      error: 'there is no water forecast model yet: run the water-init-model state machine',
    });
  logger.info('forecast served', { version: result.version, horizon });
  return reply(200, {
    pipeline: PIPELINE,
    model: MODEL,
    modelVersion: result.version,
    generatedAt: new Date().toISOString(),
    horizon,
    exogenous: result.exogenous,
    forecast: {
      timestamps: result.timestamps,
      mean: result.mean,
      lower80: result.lower80,
      upper80: result.upper80,
      lower95: result.lower95,
      upper95: result.upper95,
    },
  });
}
