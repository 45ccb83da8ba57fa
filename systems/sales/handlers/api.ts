import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getJson } from '../../../adapters/s3-object-store.js';
import { createS3Client } from '../../../lambdas/platform/clients.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import { echo, reply } from '../../../lambdas/platform/http.js';
import type { ForecastView, HealthView, HistoryView, StoreRow, StoresView } from '../api/views.js';
import type { TrainingSummary } from '../lifecycle/outcomes.js';
import type { MonitoringResult } from '../monitoring/types.js';
import { MAX_STORES } from '../records/record-spec.js';
import { loadStoreChampion, mapLimit, storeRegistry } from '../serving/champions.js';
import { forecastFromChampion, MAX_HORIZON } from '../serving/store-forecast.js';
import { HistoryReader } from '../store/history.js';
import { salesKeys } from '../store/keys.js';

/** Exported so tests can inject faults an emulator cannot produce (SDK middleware). */
export const s3 = createS3Client();
const API_PREFIX = '/api/sales';
const HISTORY_MAX_DAYS = 1000;

type Query = Record<string, string | undefined>;
type Route = {
  readonly path: string;
  readonly query: readonly string[];
  readonly run: (query: Query) => Promise<APIGatewayProxyStructuredResultV2>;
};

const ROUTES: readonly Route[] = [
  { path: '/forecast', query: ['store', 'horizon'], run: forecast },
  { path: '/health', query: [], run: health },
  { path: '/stores', query: ['limit'], run: stores },
  { path: '/history', query: ['store', 'days'], run: history },
];

/**
 * The sales forecast service behind an IAM-authenticated Function URL (and the web page under
 * /api/sales): a store's forecast with 80% and 95% intervals from its champion, the service's
 * health, every store's model and error, and a store's history.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  let path = event.rawPath || '/';
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) path = path.slice(API_PREFIX.length) || '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const route = ROUTES.find((r) => r.path === path);
  if (!route)
    return reply(404, {
      error: `no route ${echo(event.rawPath)}; the routes are ${ROUTES.map((r) => `GET ${r.path}`).join(', ')}`,
    });
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET')
    return {
      ...reply(405, { error: `${route.path} answers GET only, not ${echo(method)}` }),
      headers: { 'content-type': 'application/json', allow: 'GET' },
    };
  const query = event.queryStringParameters ?? {};
  const unknown = Object.keys(query).filter((name) => !route.query.includes(name));
  if (unknown.length > 0)
    return reply(400, {
      error: `unknown parameter ${echo(unknown[0])} for ${route.path}; it takes ${route.query.length > 0 ? route.query.join(', ') : 'no parameters'}`,
    });
  return route.run(query);
}

/** A whole number in [min, max] from a query parameter, or the error message. */
function intParam(query: Query, name: string, min: number, max: number, fallback?: number): number | string {
  const text = query[name];
  if (text === undefined || text === '') {
    if (fallback !== undefined) return fallback;
    return `${name} is required (a whole number ${min}..${max})`;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    return `${name} must be a whole number ${min}..${max}, got ${echo(text)}`;
  return value;
}

async function forecast(query: Query): Promise<APIGatewayProxyStructuredResultV2> {
  const store = intParam(query, 'store', 1, MAX_STORES);
  if (typeof store === 'string') return reply(400, { error: store });
  const horizon = intParam(query, 'horizon', 1, MAX_HORIZON, MAX_HORIZON);
  if (typeof horizon === 'string') return reply(400, { error: horizon });
  const history = new HistoryReader(s3, handlerEnv.dataBucket());
  const [series, champion] = await Promise.all([
    history.series(store),
    loadStoreChampion(s3, handlerEnv.artifactsBucket(), store),
  ]);
  if (!series) return reply(404, { error: `no data for store ${store} has arrived` });
  if (!champion)
    return reply(404, {
      error: `store ${store} has no champion yet: run sales-train (the whole fan-out, or {"stores": [${store}]})`,
    });
  const { from, points } = forecastFromChampion(champion, series, horizon);
  const view: ForecastView = {
    store,
    from,
    horizon,
    model: {
      version: champion.version,
      family: champion.model.kind,
      trainedThrough: champion.model.trainedThrough,
      backtestRmspe: champion.backtestRmspe,
      promotedAt: champion.promotedAt,
    },
    points,
  };
  return reply(200, view);
}

async function health(): Promise<APIGatewayProxyStructuredResultV2> {
  const history = new HistoryReader(s3, handlerEnv.dataBucket());
  const profiles = await history.allProfiles();
  const bucket = handlerEnv.artifactsBucket();
  const championsLoaded = (
    await mapLimit(profiles, 16, async (p) => ((await storeRegistry(s3, bucket, p.store).champion()) ? 1 : 0))
  ).reduce<number>((a, b) => a + b, 0);
  const newest = await history.newestDay();
  const training = await getJson<TrainingSummary>(s3, bucket, salesKeys.trainingLatest);
  const monitoring = await getJson<MonitoringResult>(s3, bucket, salesKeys.monitoringLatest);
  const failedStores = training?.failedStores ?? [];
  const degradedStores = (monitoring?.degraded ?? []).map((d) => d.store);
  const view: HealthView = {
    status:
      championsLoaded === 0
        ? 'empty'
        : failedStores.length > 0 || degradedStores.length > 0
          ? 'degraded'
          : 'ok',
    stores: profiles.length,
    championsLoaded,
    newestData: newest ?? null,
    dataAgeHours: newest
      ? Math.round((Date.now() - Date.parse(`${newest}T00:00:00Z`) - 86_400_000) / 3_600_000)
      : null,
    lastTraining: training
      ? {
          runId: training.runId,
          finishedAt: training.finishedAt,
          trigger: training.trigger,
          requested: training.requested,
          promoted: training.promoted,
          kept: training.kept,
          failed: training.failed,
        }
      : null,
    failedStores,
    degradedStores,
  };
  return reply(200, view);
}

async function stores(query: Query): Promise<APIGatewayProxyStructuredResultV2> {
  const limit = intParam(query, 'limit', 1, MAX_STORES, 10);
  if (typeof limit === 'string') return reply(400, { error: limit });
  const bucket = handlerEnv.artifactsBucket();
  const profiles = await new HistoryReader(s3, handlerEnv.dataBucket()).allProfiles();
  const training = await getJson<TrainingSummary>(s3, bucket, salesKeys.trainingLatest);
  const monitoring = await getJson<MonitoringResult>(s3, bucket, salesKeys.monitoringLatest);
  const trained = new Map((training?.stores ?? []).map((s) => [s.store, s]));
  const degraded = new Map((monitoring?.degraded ?? []).map((d) => [d.store, d]));
  const rows: StoreRow[] = profiles.map((p) => {
    const t = trained.get(p.store);
    const d = degraded.get(p.store);
    return {
      store: p.store,
      storeType: p.storeType,
      assortment: p.assortment,
      family: t?.family ?? null,
      backtestRmspe: t?.rmspe ?? null,
      observedRmspe: d?.rmspe ?? null,
      degraded: d !== undefined,
      status: t?.status ?? null,
    };
  });
  const errorOf = (r: StoreRow) => r.observedRmspe ?? r.backtestRmspe ?? -1;
  const worst = rows
    .filter((r) => errorOf(r) >= 0)
    .sort((a, b) => errorOf(b) - errorOf(a))
    .slice(0, limit);
  const view: StoresView = {
    stores: rows,
    worst,
    monitoring: monitoring
      ? {
          day: monitoring.day,
          origin: monitoring.origin,
          evaluated: monitoring.evaluated,
          degradedShare: monitoring.degradedShare,
          distribution: monitoring.distribution,
        }
      : null,
  };
  return reply(200, view);
}

async function history(query: Query): Promise<APIGatewayProxyStructuredResultV2> {
  const store = intParam(query, 'store', 1, MAX_STORES);
  if (typeof store === 'string') return reply(400, { error: store });
  const days = intParam(query, 'days', 1, HISTORY_MAX_DAYS, 120);
  if (typeof days === 'string') return reply(400, { error: days });
  const all = await new HistoryReader(s3, handlerEnv.dataBucket()).days(store);
  if (all.length === 0) return reply(404, { error: `no data for store ${store} has arrived` });
  const view: HistoryView = {
    store,
    days: all.slice(-days).map((d) => ({ date: d.date, sales: d.sales, open: d.open, promo: d.promo })),
  };
  return reply(200, view);
}
