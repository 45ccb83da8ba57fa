import { tableColumns } from '../../core/features/table-columns.js';
import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import { SCHEDULED_TIME, type SystemDefinition } from '../../lib/config/system-definition.js';
import { CUSTOMER_COLUMNS, SUMMARY_COLUMNS } from './model/daily-summary.js';
import { FEATURE_COLUMNS } from './model/features.js';
import { PREDICTION_COLUMNS } from './model/predictions.js';
import { churnDataset } from './records/dataset.js';
import { CHURN_RAW_COLUMNS, churnRecordSpec } from './records/event.js';
import { churnKeys, MODEL, SYSTEM } from './store/keys.js';

const STEP_ERRORS = { permanent: ['InputError'] } as const;
/** Tables are partitioned by the day their rows are about; projection starts at the generator's default start. */
const byDay = [{ name: 'dt', type: 'string', projection: { kind: 'date', start: '2024-01-01' } }] as const;

/**
 * Churn from call-detail records: CDRs streamed in batches, one summary per customer and day, EDA
 * for a date range, leakage-free snapshot features, a calibrated random forest through the shared
 * champion/challenger lifecycle, every scored customer-day stored, and monitoring (estimated and
 * realised performance, drift) started by new predictions, which starts a retrain when it alarms.
 */
export const churnSystem: SystemDefinition = {
  name: SYSTEM,
  title: 'Churn from call-detail records (random forest, monitoring, event-driven retraining)',
  docs: 'systems/churn/docs/README.md',
  recordSpec: churnRecordSpec as RecordSpec<unknown>,
  dataset: churnDataset,
  models: [MODEL],
  stream: {
    // The first 60% of the data set is history the first model learns from (the daily run reads
    // it once); the rest streams, about a day of records per hourly run at the default size.
    initialShare: 0.6,
    schedule: {
      expression: 'rate(1 hour)',
      description:
        'Hourly: stream the next batches of call-detail records (batchSize × numBatches, intervalSeconds apart)',
      input: { batchSize: 1000, numBatches: 2, intervalSeconds: 0 },
    },
  },
  functions: {
    'churn-days': {
      entry: 'systems/churn/handlers/days.ts',
      description:
        'Raw CDRs that arrived → each event day’s events (deduplicated, conditional merges) → per customer-day summaries as Parquet',
      memoryMb: 2048,
      timeoutSeconds: 900,
      access: {
        dataBucket: {
          read: ['raw/churn/', 'datasets/churn/', 'events/churn/', 'state/churn/'],
          write: ['events/churn/', 'summaries/churn/', 'customers/churn/', 'state/churn/'],
        },
        artifactsBucket: { read: ['runs/churn/'], write: ['runs/churn/'] },
      },
      errors: { permanent: ['InputError'], retryable: ['PreconditionFailedError'] },
    },
    'churn-features': {
      entry: 'systems/churn/handlers/features.ts',
      description:
        'Snapshot features per active customer (7/30-day windows, trends) from data up to the snapshot only',
      memoryMb: 3008,
      timeoutSeconds: 900,
      access: {
        dataBucket: {
          read: ['summaries/churn/', 'customers/churn/', 'features/churn/'],
          write: ['features/churn/'],
        },
      },
      errors: STEP_ERRORS,
    },
    'churn-train': {
      entry: 'systems/churn/handlers/train.ts',
      description:
        'Random forest (class weights) on settled snapshots, calibrated, scored with the champion on the same holdout, registered',
      memoryMb: 3008,
      timeoutSeconds: 900,
      access: {
        dataBucket: { read: ['summaries/churn/', 'customers/churn/', 'features/churn/'] },
        artifactsBucket: { read: ['models/churn/'], write: ['models/churn/', 'runs/churn/'] },
      },
      errors: { permanent: ['InputError', 'FitFailed'] },
    },
    'churn-predict': {
      entry: 'systems/churn/handlers/predict.ts',
      description:
        'Scores every customer of new snapshots with the champion; probability, decision, threshold, version as Parquet',
      memoryMb: 2048,
      timeoutSeconds: 600,
      access: {
        dataBucket: { read: ['features/churn/', 'predictions/churn/'], write: ['predictions/churn/'] },
        artifactsBucket: { read: ['models/churn/'] },
      },
      errors: STEP_ERRORS,
    },
    'churn-monitor': {
      entry: 'systems/churn/handlers/monitor.ts',
      description:
        'Estimated (CBPE) and realised F1, accuracy, ROC-AUC; drift per feature (PSI, KS) and across features (PCA); report, metrics, retrain event',
      memoryMb: 3008,
      timeoutSeconds: 600,
      access: {
        dataBucket: {
          read: [
            'predictions/churn/',
            'features/churn/',
            'summaries/churn/',
            'customers/churn/',
            'state/churn/',
          ],
          write: ['state/churn/'],
        },
        artifactsBucket: { read: ['models/churn/'], write: ['reports/churn/'] },
      },
      putsEvents: true,
      errors: STEP_ERRORS,
    },
    'churn-eda': {
      entry: 'systems/churn/handlers/eda.ts',
      description:
        'EDA for a date range: correlations (Pearson, Spearman) and distributions by churn, with pictures',
      memoryMb: 2048,
      timeoutSeconds: 300,
      access: {
        dataBucket: { read: ['summaries/churn/', 'customers/churn/'] },
        artifactsBucket: { write: ['reports/churn/'] },
      },
      errors: STEP_ERRORS,
    },
    'churn-control': {
      entry: 'systems/churn/handlers/control.ts',
      description: 'HTTP: POST /start_stream {batchSize, numBatches, intervalSeconds}; POST /run-monitoring',
      memoryMb: 256,
      timeoutSeconds: 15,
      access: {},
      functionUrl: { authType: 'AWS_IAM' },
      startsStateMachines: ['churn-stream', 'churn-monitor'],
    },
  },
  stateMachines: [
    {
      name: 'churn-daily',
      aslFile: 'systems/churn/state-machines/daily.asl.json',
      functionPlaceholders: {
        DaysFunctionArn: 'churn-days',
        FeaturesFunctionArn: 'churn-features',
        PredictFunctionArn: 'churn-predict',
        TrainFunctionArn: 'churn-train',
        PromoteFunctionArn: 'promote',
        ArchiveFunctionArn: 'archive',
      },
      schedule: {
        expression: 'cron(30 1 * * ? *)',
        description:
          'Daily at 01:30 UTC: summarize the CDRs that arrived per customer and day, snapshot features, score with the champion, archive',
        input: { scheduledTime: SCHEDULED_TIME },
      },
    },
    {
      name: 'churn-train',
      aslFile: 'systems/churn/state-machines/train.asl.json',
      functionPlaceholders: { TrainFunctionArn: 'churn-train', PromoteFunctionArn: 'promote' },
    },
    {
      name: 'churn-monitor',
      aslFile: 'systems/churn/state-machines/monitor.asl.json',
      functionPlaceholders: { MonitorFunctionArn: 'churn-monitor' },
    },
    {
      name: 'churn-eda',
      aslFile: 'systems/churn/state-machines/eda.asl.json',
      functionPlaceholders: { EdaFunctionArn: 'churn-eda' },
    },
  ],
  eventRules: [
    {
      name: 'churn-predictions-landed',
      description: 'A scoring run finished (its marker object landed): run monitoring',
      pattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder the stack (and the local bus) fills with the data bucket's name
          bucket: { name: ['${DataBucket}'] },
          object: { key: [{ prefix: churnKeys.predictionRunsPrefix }] },
        },
      },
      target: {
        stateMachine: 'churn-monitor',
        input: { trigger: 'predictions-landed', key: '$.detail.object.key' },
      },
    },
    {
      name: 'churn-retrain-on-degradation',
      description: 'Monitoring found estimated performance or drift past its threshold: retrain',
      pattern: { source: ['smlp.churn'], 'detail-type': ['Churn model degraded'] },
      target: {
        stateMachine: 'churn-train',
        input: { trigger: 'degradation', monitoringRun: '$.detail.runId' },
      },
      disableFlag: 'churnRetrainOnDegradation',
    },
  ],
  alarms: [
    {
      name: 'churn-model-degraded',
      description: 'Churn monitoring raised an alert (estimated or realised performance low, or drift)',
      metricName: 'ChurnMonitoringAlerts',
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
      name: 'churn_raw',
      description: 'Call-detail records as ingest wrote them (JSON lines), by arrival hour',
      bucket: 'data',
      prefix: churnKeys.raw,
      format: 'ndjson-gzip',
      columns: CHURN_RAW_COLUMNS,
      partitionKeys: [
        { name: 'dt', type: 'string', projection: { kind: 'date', start: '2024-01-01' } },
        { name: 'hour', type: 'string', projection: { kind: 'hour' } },
      ],
    },
    {
      name: 'churn_summaries',
      description:
        'One row per customer and day with activity: calls and minutes by type, dropped calls, SMS, data, care calls, payments',
      bucket: 'data',
      prefix: churnKeys.summaries.prefix,
      format: 'parquet',
      columns: tableColumns(SUMMARY_COLUMNS),
      partitionKeys: byDay,
    },
    {
      name: 'churn_customers',
      description: 'Sign-ups, plan changes and churns, by the day they happened',
      bucket: 'data',
      prefix: churnKeys.customers.prefix,
      format: 'parquet',
      columns: tableColumns(CUSTOMER_COLUMNS),
      partitionKeys: byDay,
    },
    {
      name: 'churn_features',
      description: 'Snapshot features per active customer (7/30-day windows, trends), by snapshot day',
      bucket: 'data',
      prefix: churnKeys.features.prefix,
      format: 'parquet',
      columns: tableColumns(FEATURE_COLUMNS),
      partitionKeys: byDay,
    },
    {
      name: 'churn_predictions',
      description: 'Every scored customer-day: calibrated probability, decision, threshold, model version',
      bucket: 'data',
      prefix: churnKeys.predictions.prefix,
      format: 'parquet',
      columns: tableColumns(PREDICTION_COLUMNS),
      partitionKeys: byDay,
    },
  ],
  demo: 'systems/churn/demo.ts',
};
