import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isCalendarDate } from '../../../core/pipelines/validation-helpers.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { echo, reply } from '../../../lambdas/platform/http.js';
import { createLogger } from '../../../lambdas/platform/logger.js';
import { openApiDocument } from '../api/openapi.js';
import { findRoute, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, ROUTES, type RouteId } from '../api/routes.js';
import { onlineSettings } from '../model/settings.js';
import { isOnlineModelName, ONLINE_MODELS, type OnlineModelName, RECENT_LIMIT } from '../store/keys.js';
import { isAtOrAfter, readHistorySince, readLatest, readRecent, type Since } from '../store/results-store.js';

const logger = createLogger('online-api');
/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();

type Query = Record<string, string | undefined>;
type Implementation = (query: Query) => Promise<APIGatewayProxyStructuredResultV2>;

/** Every route of the table has an implementation, and nothing else does (the type says so). */
const implementations: Record<RouteId, Implementation> = {
  classificationLatest: () => latest('classification'),
  regressionLatest: () => latest('regression'),
  history,
  metrics,
  openapi: async () => reply(200, openApiDocument()),
};

/**
 * The online system's REST API behind an IAM-authenticated Function URL (and, on AWS, behind
 * CloudFront under /api/online): the latest result per model, history since a time or tick,
 * both models' metrics, and its OpenAPI document. Read-only; the learner is the only writer.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const route = findRoute(event.rawPath);
  if (!route)
    return reply(404, {
      error: `no route ${echo(event.rawPath)}; the routes are ${ROUTES.map((r) => `GET ${r.path}`).join(', ')} (also under /api/online)`,
    });
  if (method !== 'GET')
    return {
      ...reply(405, { error: `${route.path} answers GET only, not ${echo(method)}` }),
      headers: { 'content-type': 'application/json', allow: 'GET' },
    };
  const query = event.queryStringParameters ?? {};
  const known = new Set<string>(route.query.map((p) => p.name));
  const unknown = Object.keys(query).filter((name) => !known.has(name));
  if (unknown.length > 0)
    return reply(400, {
      error: `unknown parameter ${echo(unknown[0])} for ${route.path}; it takes ${known.size > 0 ? [...known].join(', ') : 'no parameters'}`,
    });
  return implementations[route.id as RouteId](query);
}

async function latest(model: OnlineModelName): Promise<APIGatewayProxyStructuredResultV2> {
  const result = await readLatest(s3, handlerEnv.dataBucket(), model);
  if (!result)
    return reply(404, {
      error: `the ${model} model has learned nothing yet: the online-poll state machine feeds the stream every minute, and the online-learner learns from it`,
    });
  return reply(200, result);
}

async function history(query: Query): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = parseHistoryQuery(query);
  if ('error' in parsed) return reply(400, { error: parsed.error });
  const { model, since, limit } = parsed;
  const bucket = handlerEnv.dataBucket();
  const recent = await readRecent(s3, bucket, model);
  if (!since) return reply(200, { items: recent.slice(-limit) });
  // recent/ is a suffix of everything learned: it covers `since` when it starts at or before it,
  // or when it was never cut (fewer than RECENT_LIMIT results in all).
  const first = recent[0];
  const covered = recent.length < RECENT_LIMIT || (first !== undefined && startsAtOrBefore(first, since));
  if (covered) return reply(200, { items: recent.filter((r) => isAtOrAfter(r, since)).slice(0, limit) });
  const items = await readHistorySince(s3, bucket, model, since, limit);
  logger.info('history from Parquet', { model, since, limit, items: items.length });
  return reply(200, { items });
}

function startsAtOrBefore(first: { tick: number; time: string }, since: Since): boolean {
  return 'tick' in since ? first.tick <= since.tick : Date.parse(first.time) <= Date.parse(since.time);
}

async function metrics(): Promise<APIGatewayProxyStructuredResultV2> {
  const bucket = handlerEnv.dataBucket();
  const latestResults = await Promise.all(ONLINE_MODELS.map((model) => readLatest(s3, bucket, model)));
  const models = Object.fromEntries(
    ONLINE_MODELS.map((model, i) => {
      const result = latestResults[i];
      const settings = onlineSettings[model];
      return [
        model,
        {
          modelName: result?.modelName ?? settings.model,
          settings,
          learned: result?.learned ?? null,
          driftResets: result?.driftResets ?? null,
          metrics: result?.metrics ?? null,
          tick: result?.tick ?? null,
          time: result?.time ?? null,
          learnedAt: result?.learnedAt ?? null,
        },
      ];
    }),
  );
  return reply(200, { window: onlineSettings.window, models });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseHistoryQuery(
  query: Query,
): { model: OnlineModelName; since: Since | undefined; limit: number } | { error: string } {
  const { model, since, limit } = query;
  if (model === undefined) return { error: 'model is required: ?model=classification or ?model=regression' };
  if (!isOnlineModelName(model))
    return { error: `model must be classification or regression, got ${echo(model)}` };
  let parsedSince: Since | undefined;
  if (since !== undefined) {
    if (/^\d+$/.test(since)) {
      const tick = Number(since);
      if (!Number.isSafeInteger(tick)) return { error: `since ${echo(since)} is too large a tick` };
      parsedSince = { tick };
    } else if (ISO_TIME.test(since) && isCalendarDate(since) && !Number.isNaN(Date.parse(since))) {
      parsedSince = { time: since };
    } else {
      return {
        error: `since must be an ISO-8601 time with a zone (e.g. 2025-01-01T12:00:00Z) or a tick (a whole number ≥ 0), got ${echo(since)}`,
      };
    }
  }
  let parsedLimit = HISTORY_DEFAULT_LIMIT;
  if (limit !== undefined) {
    parsedLimit = /^\d+$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(parsedLimit >= 1 && parsedLimit <= HISTORY_MAX_LIMIT))
      return { error: `limit must be a whole number from 1 to ${HISTORY_MAX_LIMIT}, got ${echo(limit)}` };
  }
  return { model, since: parsedSince, limit: parsedLimit };
}
