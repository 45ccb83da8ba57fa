import { tableColumns } from '../../core/features/table-columns.js';
import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import { SCHEDULED_TIME, type SystemDefinition } from '../../lib/config/system-definition.js';
import { STORE_ERROR_COLUMNS } from './monitoring/error-rows.js';
import { salesDataset } from './records/dataset.js';
import { salesRecordSpec } from './records/record-spec.js';
import { FORECAST_COLUMNS } from './serving/forecast-rows.js';
import { SYSTEM, salesKeys } from './store/keys.js';
import { SALES_RAW_COLUMNS } from './store/raw-columns.js';

/** Tables are partitioned by day; projection starts at the generator's default start. */
const byDay = [{ name: 'dt', type: 'string', projection: { kind: 'date', start: '2013-01-01' } }] as const;
const history = 'history/sales/';

/**
 * Sales forecasting at scale: daily sales of every store (Rossmann-shaped, 1,115 stores) through
 * the stream into per-store history; one model per store, trained in parallel by a Distributed
 * Map (SARIMAX and a forest, chosen per store by a rolling-origin backtest on RMSPE, through the
 * shared lifecycle: one champion per store); a forecast service with 80% and 95% intervals; a
 * nightly forecast of every store as Parquet; and monitoring of each store's forecast error,
 * which retrains only the stores that degraded.
 */
export const salesSystem: SystemDefinition = {
  name: SYSTEM,
  title: 'Sales forecasting per store (one model per store, Distributed Map, intervals)',
  docs: 'systems/sales/docs/README.md',
  recordSpec: salesRecordSpec as RecordSpec<unknown>,
  dataset: salesDataset,
  models: [],
  keyedModels: {
    description: 'one model per store, `store-0001` … `store-1115`',
    pattern: '^store-\\d{4}$',
    example: 'store-0001',
  },
  stream: {
    // The first 90% of the days are history the first models learn from; the rest streams, one
    // day of every store per hourly run at the default size.
    initialShare: 0.9,
    schedule: {
      expression: 'rate(1 hour)',
      description: 'Hourly: stream the next day of sales of every store (batchSize × numBatches records)',
      input: { batchSize: 1115, numBatches: 1, intervalSeconds: 0 },
    },
  },
  functions: {
    'sales-collect': {
      entry: 'systems/sales/handlers/collect.ts',
      description:
        'Store days that arrived (and the initial share, once) → profiles and per-store history shards, deduplicated',
      memoryMb: 3008,
      timeoutSeconds: 900,
      access: {
        dataBucket: {
          read: ['raw/sales/', 'datasets/sales/', history, 'state/sales/'],
          write: [history, 'state/sales/'],
        },
        artifactsBucket: { write: ['runs/sales/'] },
      },
      errors: { permanent: ['InputError'], retryable: ['PreconditionFailedError'] },
    },
    'sales-train-plan': {
      entry: 'systems/sales/handlers/train-plan.ts',
      description:
        'Plans a training run (the stores, as the Distributed Map’s manifest) and summarizes its results',
      memoryMb: 1024,
      timeoutSeconds: 300,
      access: {
        dataBucket: { read: [history] },
        artifactsBucket: { read: ['runs/sales/', 'models/sales/'], write: ['runs/sales/', 'state/sales/'] },
      },
      errors: { permanent: ['InputError'] },
    },
    'sales-train-stores': {
      entry: 'systems/sales/handlers/train-stores.ts',
      description:
        'One batch of stores: SARIMAX and forest backtested (rolling origin, RMSPE), the best registered and promoted per store',
      memoryMb: 2048,
      timeoutSeconds: 900,
      access: {
        dataBucket: { read: [history] },
        artifactsBucket: { read: ['models/sales/', 'runs/sales/'], write: ['models/sales/', 'runs/sales/'] },
      },
      errors: { permanent: ['InputError'] },
    },
    'sales-forecast': {
      entry: 'systems/sales/handlers/forecast.ts',
      description:
        'Nightly: every store’s next 42 days from its champion, with 80% and 95% intervals, as Parquet',
      memoryMb: 2048,
      timeoutSeconds: 900,
      access: {
        dataBucket: { read: [history, 'forecasts/sales/'], write: ['forecasts/sales/'] },
        artifactsBucket: { read: ['models/sales/'] },
      },
      errors: { permanent: ['InputError'] },
    },
    'sales-monitor': {
      entry: 'systems/sales/handlers/monitor.ts',
      description:
        'Per-store forecast error against actuals, its distribution across stores, retraining of degraded stores',
      memoryMb: 2048,
      timeoutSeconds: 600,
      access: {
        dataBucket: {
          read: [history, 'forecasts/sales/', 'monitoring/sales/'],
          write: ['monitoring/sales/'],
        },
        artifactsBucket: {
          read: ['models/sales/', 'state/sales/'],
          write: ['runs/sales/', 'state/sales/', 'reports/sales/'],
        },
      },
      putsEvents: true,
      errors: { permanent: ['InputError'] },
    },
    'sales-api': {
      entry: 'systems/sales/handlers/api.ts',
      description:
        'HTTP: GET /forecast?store=&horizon= (80%/95% intervals), /health, /stores, /history?store=',
      memoryMb: 1024,
      timeoutSeconds: 30,
      access: {
        dataBucket: { read: [history] },
        artifactsBucket: { read: ['models/sales/', 'state/sales/'] },
      },
      functionUrl: { authType: 'AWS_IAM' },
    },
  },
  stateMachines: [
    {
      name: 'sales-daily',
      aslFile: 'systems/sales/state-machines/daily.asl.json',
      functionPlaceholders: {
        CollectFunctionArn: 'sales-collect',
        MonitorFunctionArn: 'sales-monitor',
        ForecastFunctionArn: 'sales-forecast',
        ArchiveFunctionArn: 'archive',
      },
      schedule: {
        expression: 'cron(0 2 * * ? *)',
        description:
          'Daily at 02:00 UTC: collect the days that arrived, score last week’s forecasts per store, forecast every store, archive',
        input: { scheduledTime: SCHEDULED_TIME },
      },
    },
    {
      name: 'sales-train',
      aslFile: 'systems/sales/state-machines/train.asl.json',
      functionPlaceholders: {
        CollectFunctionArn: 'sales-collect',
        PlanFunctionArn: 'sales-train-plan',
        TrainStoresFunctionArn: 'sales-train-stores',
      },
      s3Access: { artifactsBucket: { read: ['runs/sales/'], write: ['runs/sales/'] } },
      schedule: {
        expression: 'cron(0 3 1 * ? *)',
        description:
          'Monthly on the 1st at 03:00 UTC: retrain every store (degraded stores retrain when monitoring finds them)',
        input: { trigger: 'monthly', scheduledTime: SCHEDULED_TIME },
      },
    },
  ],
  eventRules: [
    {
      name: 'sales-retrain-degraded-stores',
      description: 'Monitoring found stores whose forecast error degraded: retrain those stores only',
      pattern: { source: ['smlp.sales'], 'detail-type': ['Sales stores degraded'] },
      target: {
        stateMachine: 'sales-train',
        input: { trigger: 'degradation', monitoringRun: '$.detail.runId' },
      },
      disableFlag: 'salesRetrainDegradedStores',
    },
  ],
  alarms: [
    {
      name: 'sales-stores-degraded',
      description:
        'More than 5% of the monitored stores’ forecast errors degraded (past twice their backtest error)',
      metricName: 'SalesDegradedShare',
      dimensions: { Pipeline: SYSTEM },
      statistic: 'Maximum',
      periodSeconds: 86_400,
      threshold: 0.05,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    },
    {
      name: 'sales-training-failed-stores',
      description: 'A training run could not train some stores (their champions were kept)',
      metricName: 'SalesStoresTrainingFailed',
      dimensions: { Pipeline: SYSTEM },
      statistic: 'Maximum',
      periodSeconds: 86_400,
      threshold: 0,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    },
  ],
  tables: [
    {
      name: 'sales_raw',
      description: 'Store profiles and daily sales as ingest wrote them (JSON lines), by arrival hour',
      bucket: 'data',
      prefix: salesKeys.raw,
      format: 'ndjson-gzip',
      columns: SALES_RAW_COLUMNS,
      partitionKeys: [
        { name: 'dt', type: 'string', projection: { kind: 'date', start: '2024-01-01' } },
        { name: 'hour', type: 'string', projection: { kind: 'hour' } },
      ],
    },
    {
      name: 'sales_forecasts',
      description:
        'The nightly forecast of every store: 42 days with 80% and 95% intervals, champion version',
      bucket: 'data',
      prefix: salesKeys.forecasts.prefix,
      format: 'parquet',
      columns: tableColumns(FORECAST_COLUMNS),
      partitionKeys: byDay,
    },
    {
      name: 'sales_store_errors',
      description: 'Each store’s forecast error once the actuals arrived, against its backtest error',
      bucket: 'data',
      prefix: salesKeys.storeErrors.prefix,
      format: 'parquet',
      columns: tableColumns(STORE_ERROR_COLUMNS),
      partitionKeys: byDay,
    },
  ],
  web: { page: 'systems/sales/web/page.tsx', title: 'Sales forecasts', apiFunction: 'sales-api' },
  demo: 'systems/sales/demo.ts',
  firstModel: {
    stateMachine: 'sales-train',
    input: { trigger: 'first-models' },
    says: 'one model per store, every store, fanned out by a Distributed Map',
  },
};
