import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { MODEL, PIPELINE } from '../names.js';
import { championForecast } from '../store/champion-forecast.js';

const logger = createLogger('water-forecast');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

const MAX_HORIZON = 24 * 14;

const reply = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: `${JSON.stringify(body)}\n`,
});

/**
 * The water forecast service behind a Function URL (IAM-authenticated):
 *   GET  ?horizon=24
 *   POST {"horizon": 24, "temperatures": [..one per hour..]}
 * Point forecasts with 80% and 95% intervals, and the champion version that made them.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  let body: Record<string, unknown> = {};
  if (event.body) {
    try {
      const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return reply(400, { error: 'the request body is not JSON' });
    }
  }
  const query = event.queryStringParameters ?? {};
  const horizon = Number(body.horizon ?? query.horizon ?? 24);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    return reply(400, {
      error: `horizon must be a whole number from 1 to ${MAX_HORIZON}, got ${JSON.stringify(body.horizon ?? query.horizon)}`,
    });
  }
  // The endpoint serves water's model only; a caller naming another system is told so.
  const asked = body.pipeline ?? query.pipeline;
  if (asked !== undefined && asked !== PIPELINE)
    return reply(404, {
      error: `this is the water forecast endpoint; no model for pipeline ${JSON.stringify(asked)}`,
    });
  const temperatures = body.temperatures;
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
