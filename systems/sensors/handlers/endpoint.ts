import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FeatureRow } from '../../../core/features/columns.js';
import { KMeansModel } from '../../../core/ml/kmeans/index.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { registryFor } from '../../../lambdas/platform/registry.js';
import { clusterMatrix } from '../model/cluster-features.js';
import { readFeatureRows } from '../store/feature-store.js';
import { MODEL, SYSTEM } from '../store/keys.js';

const logger = createLogger('sensors-endpoint');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

const reply = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: `${JSON.stringify(body)}\n`,
});

/**
 * The clustering service (the original's wish: "stay alive and serve as a REST API"), behind an
 * IAM-authenticated Function URL:
 *   GET  ?sensorId=sensor-003&day=2024-03-05   a stored sensor-day
 *   POST {"features": {"temperature_mean": 61.2, …}}   a feature row of your own
 * Answers the champion's cluster, the distance to its centroid and the model version.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const champion = await registryFor(s3, SYSTEM, MODEL).loadChampion();
  if (!champion)
    return reply(404, { error: 'no champion clustering model yet: run the sensors-training state machine' });
  const model = KMeansModel.fromJSON(champion.model.artifact);
  let row: FeatureRow | undefined;
  if (event.body) {
    let body: { features?: Record<string, unknown> };
    try {
      body = JSON.parse(
        event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
      );
    } catch {
      return reply(400, { error: 'the request body is not JSON' });
    }
    const features = body.features;
    if (!features || typeof features !== 'object')
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
      ...(features as Record<string, number>),
    };
  } else {
    const { sensorId, day } = event.queryStringParameters ?? {};
    if (!sensorId || !day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      return reply(400, { error: 'give ?sensorId=…&day=YYYY-MM-DD, or POST {"features": {...}}' });
    }
    row = (await readFeatureRows(s3, [day])).find((r) => r.key === sensorId);
    if (!row) return reply(404, { error: `no features for ${sensorId} on ${day}` });
  }
  const [assignment] = model.predict(clusterMatrix([row], model.featureNames));
  logger.info('clustered', { version: champion.pointer.version, cluster: assignment?.cluster });
  return reply(200, {
    modelVersion: champion.pointer.version,
    cluster: assignment?.cluster,
    distance: assignment?.distance,
  });
}
