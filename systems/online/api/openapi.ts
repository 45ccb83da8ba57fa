import { RESULT_FIELDS } from '../model/result-types.js';
import { HISTORY_MAX_LIMIT, ROUTES, type RouteSpec } from './routes.js';

/**
 * The OpenAPI 3.1 document of the online API, built from the route table the handler serves.
 * Authentication is the Function URL's: AWS_IAM, requests signed with SigV4 for the `lambda`
 * service; behind CloudFront, the distribution signs its origin requests (origin access control).
 */
const nullableNumber = { type: ['number', 'null'] };
const resultCommon = {
  tick: { type: 'integer', minimum: 0, description: "The record's position in the source." },
  time: { type: 'string', format: 'date-time', description: 'When the source produced the record.' },
  learnedAt: { type: 'string', format: 'date-time', description: 'When the learner learned it.' },
  learned: {
    type: 'integer',
    minimum: 1,
    description: 'Records this model generation learned, this one included.',
  },
  driftResets: {
    type: 'integer',
    minimum: 0,
    description: 'How many times drift detection reset the model.',
  },
  modelName: { type: 'string', description: 'The configured model, e.g. hoeffding-tree.' },
};

const schemas: Record<string, Record<string, unknown>> = {
  ClassificationMetrics: {
    type: 'object',
    description: 'Rolling prequential metrics over the last `window` records (null before they are defined).',
    required: ['count', 'accuracy', 'f1', 'logLoss', 'rocAuc'],
    properties: {
      count: { type: 'integer', minimum: 0 },
      accuracy: nullableNumber,
      f1: nullableNumber,
      logLoss: nullableNumber,
      rocAuc: nullableNumber,
    },
  },
  RegressionMetrics: {
    type: 'object',
    description: 'Rolling prequential metrics over the last `window` records (null before they are defined).',
    required: ['count', 'mae', 'rmse', 'r2'],
    properties: {
      count: { type: 'integer', minimum: 0 },
      mae: nullableNumber,
      rmse: nullableNumber,
      r2: nullableNumber,
    },
  },
  ClassificationResult: {
    type: 'object',
    required: RESULT_FIELDS.classification,
    properties: {
      model: { const: 'classification' },
      ...resultCommon,
      truth: { enum: [0, 1], description: "The record's class." },
      probability: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        description: 'P(class = 1), predicted before learning.',
      },
      prediction: { enum: [0, 1], description: 'The predicted class (probability ≥ 0.5).' },
      metrics: { $ref: '#/components/schemas/ClassificationMetrics' },
    },
  },
  RegressionResult: {
    type: 'object',
    required: RESULT_FIELDS.regression,
    properties: {
      model: { const: 'regression' },
      ...resultCommon,
      truth: { type: 'number', description: "The record's target." },
      prediction: { type: 'number', description: 'Predicted before learning.' },
      metrics: { $ref: '#/components/schemas/RegressionMetrics' },
    },
  },
  History: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        maxItems: HISTORY_MAX_LIMIT,
        items: {
          oneOf: [
            { $ref: '#/components/schemas/ClassificationResult' },
            { $ref: '#/components/schemas/RegressionResult' },
          ],
        },
      },
    },
  },
  ModelMetrics: {
    type: 'object',
    required: ['modelName', 'settings', 'learned', 'driftResets', 'metrics', 'tick', 'time', 'learnedAt'],
    properties: {
      modelName: { type: 'string' },
      settings: { type: 'object', description: 'The configured model and its hyper-parameters.' },
      learned: { type: ['integer', 'null'] },
      driftResets: { type: ['integer', 'null'] },
      metrics: {
        oneOf: [
          { $ref: '#/components/schemas/ClassificationMetrics' },
          { $ref: '#/components/schemas/RegressionMetrics' },
          { type: 'null' },
        ],
      },
      tick: { type: ['integer', 'null'] },
      time: { type: ['string', 'null'], format: 'date-time' },
      learnedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Metrics: {
    type: 'object',
    required: ['window', 'models'],
    properties: {
      window: { type: 'integer', description: 'Records the rolling metrics look back over.' },
      models: {
        type: 'object',
        required: ['classification', 'regression'],
        properties: {
          classification: { $ref: '#/components/schemas/ModelMetrics' },
          regression: { $ref: '#/components/schemas/ModelMetrics' },
        },
      },
    },
  },
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'string', description: 'What was wrong, and what is expected.' } },
  },
  OpenApiDocument: { type: 'object', description: 'An OpenAPI 3.1 document.' },
};

function operation(route: RouteSpec) {
  return {
    operationId: route.id,
    summary: route.summary,
    description: route.description,
    ...(route.query.length > 0
      ? {
          parameters: route.query.map((p) => ({
            name: p.name,
            in: 'query',
            required: p.required,
            description: p.description,
            schema: p.schema,
          })),
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, [description, schema]]) => [
        status,
        {
          description,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
        },
      ]),
    ),
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteSpec[])
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Online learning API',
      version: '1.0.0',
      description:
        "The latest results, history and metrics of two models that learn every record of a stream (prequential: each record is predicted before it is learned). Not public: the Function URL takes IAM-signed requests only. To grant a caller, allow `lambda:InvokeFunctionUrl` on the `online-api` function with the condition `lambda:FunctionUrlAuthType = AWS_IAM`, and sign requests with SigV4 for the `lambda` service in the function's region (e.g. `awscurl --service lambda`). The same API is served behind the CloudFront distribution under `/api/online`, where the distribution signs its requests to the function (origin access control).",
    },
    servers: [
      { url: '/', description: 'The Function URL (IAM auth)' },
      { url: '/api/online', description: 'Behind the CloudFront distribution of the web front end' },
    ],
    security: [{ sigv4: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'AWS Signature Version 4 for the `lambda` service (Function URL with AuthType AWS_IAM); the caller needs `lambda:InvokeFunctionUrl` on the function.',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}
