import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FeatureRow } from '../../../core/features/columns.js';
import { KMeansModel } from '../../../core/ml/kmeans/index.js';
import {
  checkIdentifier,
  isCalendarDate,
  isPlainObject,
} from '../../../core/pipelines/validation-helpers.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { echo, parseJsonObjectBody, reply } from '../../../lambdas/platform/http.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { clusterMatrix } from '../model/cluster-features.js';
import { readFeatureRows } from '../store/feature-store.js';
import { MODEL, SYSTEM } from '../store/keys.js';

const logger = createLogger('sensors-endpoint');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

const EXAMPLE_BODY = '{"features": {"temperature_mean": 61.2, …}}';
const USAGE = 'give ?sensorId=…&day=YYYY-MM-DD, or POST {"features": {...}}';

type Request =
  | { kind: 'stored'; sensorId: string; day: string }
  | { kind: 'own'; body: Record<string, unknown> };

/** What the caller asks for, or why it is refused; checked before anything is read from S3. */
function parseRequest(
  body: Record<string, unknown> | undefined,
  query: Record<string, string | undefined>,
): Request | { error: string } {
  if (body) return { kind: 'own', body };
  const { sensorId, day } = query;
  if (sensorId === undefined || day === undefined) return { error: USAGE };
  // The same rule as the readings the sensor ids come from: bounded, no control characters.
  const idReason = checkIdentifier({ sensorId }, 'sensorId');
  if (idReason) return { error: idReason };
  if (!(/^\d{4}-\d{2}-\d{2}$/.test(day) && isCalendarDate(day)))
    return { error: `day must be a calendar day written YYYY-MM-DD (e.g. 2024-03-05), got ${echo(day)}` };
  return { kind: 'stored', sensorId, day };
}

/**
 * The clustering service (the original's wish: "stay alive and serve as a REST API"), behind an
 * IAM-authenticated Function URL:
 *   GET  ?sensorId=sensor-003&day=2024-03-05   a stored sensor-day
 *   POST {"features": {"temperature_mean": 61.2, …}}   a feature row of your own
 * Answers the champion's cluster, the distance to its centroid and the model version.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = parseJsonObjectBody(event, EXAMPLE_BODY);
  if (!parsed.ok) return parsed.response;
  const request = parseRequest(parsed.body, event.queryStringParameters ?? {});
  if ('error' in request) return reply(400, { error: request.error });
  const champion = await registryFor(s3, SYSTEM, MODEL).loadChampion();
  if (!champion)
    return reply(404, { error: 'no champion clustering model yet: run the sensors-training state machine' });
  const model = KMeansModel.fromJSON(champion.model.artifact);
  let row: FeatureRow | undefined;
  if (request.kind === 'own') {
    const features = request.body.features;
    if (!isPlainObject(features))
      return reply(400, {
        error: 'POST {"features": {...}} with the feature columns',
        columns: model.featureNames,
      });
    const missing = model.featureNames.filter(
      (name) => typeof features[name] !== 'number' || !Number.isFinite(features[name]),
    );
    if (missing.length > 0)
      return reply(400, { error: `features missing or not finite numbers: ${missing.join(', ')}` });
    row = {
      key: 'request',
      day: '',
      readings: 0,
      expected_readings: 0,
      missing_share: 0,
      // Only the model's columns: a caller's extra keys never reach the row (nor override `key`).
      ...Object.fromEntries(model.featureNames.map((name) => [name, features[name] as number])),
    };
  } else {
    const { sensorId, day } = request;
    row = (await readFeatureRows(s3, [day])).find((r) => r.key === sensorId);
    if (!row) return reply(404, { error: `no features for ${echo(sensorId)} on ${day}` });
  }
  const [assignment] = model.predict(clusterMatrix([row], model.featureNames));
  logger.info('clustered', { version: champion.pointer.version, cluster: assignment?.cluster });
  return reply(200, {
    modelVersion: champion.pointer.version,
    cluster: assignment?.cluster,
    distance: assignment?.distance,
  });
}
