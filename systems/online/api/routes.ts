/**
 * The REST API's routes as data: the handler dispatches on this table and the OpenAPI document is
 * built from it, so the document cannot list a route the handler does not serve, or miss one.
 */
export interface QueryParameter {
  name: string;
  required: boolean;
  description: string;
  schema: Record<string, unknown>;
}

export interface RouteSpec {
  /** The OpenAPI operationId, and the key of the handler's implementation. */
  id: string;
  method: 'GET';
  path: string;
  summary: string;
  description: string;
  query: readonly QueryParameter[];
  /** Status → [description, schema name under components.schemas]. */
  responses: Readonly<Record<number, readonly [string, string]>>;
}

/** Results per history request at most: a day at one record per 2 s is 43,200, so page with `since`. */
export const HISTORY_MAX_LIMIT = 5000;
export const HISTORY_DEFAULT_LIMIT = 500;

const latest = <M extends 'classification' | 'regression'>(
  model: M,
  schema: string,
): RouteSpec & { id: `${M}Latest` } => ({
  id: `${model}Latest` as const,
  method: 'GET',
  path: `/${model}/latest`,
  summary: `The ${model} model's latest result`,
  description: `The newest record the ${model} model learned: its truth, the prediction made before learning it, and the rolling metrics.`,
  query: [],
  responses: {
    200: ['the latest result', schema],
    404: ['the model has learned nothing yet', 'Error'],
  },
});

export const ROUTES = [
  latest('classification', 'ClassificationResult'),
  latest('regression', 'RegressionResult'),
  {
    id: 'history',
    method: 'GET',
    path: '/history',
    summary: "A model's results since a time or a tick",
    description:
      'Results oldest first, from `since` on (the record time, or the tick), at most `limit`; page on by asking again with `since` = the last tick + 1. Without `since`, the latest results (at most the 600 the store keeps at hand). Served from the recent results when they reach back to `since`, otherwise from the Parquet history.',
    query: [
      {
        name: 'model',
        required: true,
        description: 'Which model.',
        schema: { type: 'string', enum: ['classification', 'regression'] },
      },
      {
        name: 'since',
        required: false,
        description:
          'An ISO-8601 time with a zone (e.g. 2025-01-01T12:00:00Z): results whose record time is at or after it; or a tick (a whole number ≥ 0): results from that tick on.',
        schema: {
          oneOf: [
            { type: 'string', format: 'date-time' },
            { type: 'string', pattern: '^[0-9]+$' },
          ],
        },
      },
      {
        name: 'limit',
        required: false,
        description: `At most this many results (1 to ${HISTORY_MAX_LIMIT}, default ${HISTORY_DEFAULT_LIMIT}).`,
        schema: { type: 'integer', minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT },
      },
    ],
    responses: {
      200: ['the results, oldest first', 'History'],
      400: ['a parameter is missing or invalid', 'Error'],
    },
  },
  {
    id: 'metrics',
    method: 'GET',
    path: '/metrics',
    summary: "Both models' latest metrics",
    description:
      "Each model's rolling metrics, records learned, drift resets, model name and configured settings, as of its latest result (nulls before it learned anything).",
    query: [],
    responses: { 200: ["both models' metrics", 'Metrics'] },
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API.',
    query: [],
    responses: { 200: ['the OpenAPI document', 'OpenApiDocument'] },
  },
] as const satisfies readonly RouteSpec[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** CloudFront forwards the API under this path; the Function URL serves it at its root. */
export const API_PREFIX = '/api/online';

/** The route a request path names, with or without the CloudFront prefix; undefined for none. */
export function findRoute(rawPath: string): RouteSpec | undefined {
  let path = rawPath || '/';
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) path = path.slice(API_PREFIX.length) || '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return ROUTES.find((route) => route.path === path);
}
