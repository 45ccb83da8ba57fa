import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import { SCHEDULED_TIME, type SystemDefinition } from '../../lib/config/system-definition.js';
import { onlineRecordSpec } from './records/record.js';

/**
 * Online learning: a source read every 2 seconds, a classifier and a regressor that predict each
 * record before they learn it (prequential), the latest results behind a REST API and a live page,
 * and a daily variable analysis. Its records arrive from its own poller, not the platform's
 * producer, so it has no data set and no stream schedule.
 */
export const onlineSystem: SystemDefinition = {
  name: 'online',
  title: 'Online learning (prequential classification and regression, live)',
  docs: 'systems/online/docs/README.md',
  recordSpec: onlineRecordSpec as RecordSpec<unknown>,
  // Its two models are checkpoints the learner rewrites every batch (checkpoints/online/<model>.json),
  // not registry versions with a champion: nothing here for promote, rollback or download.
  models: [],
  functions: {
    'online-source': {
      entry: 'systems/online/handlers/source.ts',
      description:
        'The data source: GET /?tick=N → record N (seeded, concept drift at known ticks); GET / → the current tick',
      memoryMb: 128,
      timeoutSeconds: 10,
      access: {},
      functionUrl: { authType: 'AWS_IAM' },
    },
    'online-poller': {
      entry: 'systems/online/handlers/poller.ts',
      description:
        'Polls the source every 2 s for a minute, puts each record on the stream, moves its cursor with conditional writes',
      memoryMb: 128,
      timeoutSeconds: 90,
      access: {
        dataBucket: { read: ['state/online/'], write: ['state/online/'] },
        stream: 'write',
      },
      errors: { permanent: ['InputError'] },
    },
    'online-learner': {
      entry: 'systems/online/handlers/learner.ts',
      description:
        'Stream consumer: predicts then learns each record (classification and regression), exactly once, with checkpoints',
      memoryMb: 512,
      timeoutSeconds: 60,
      access: {
        dataBucket: { read: ['results/online/'], write: ['results/online/'] },
        artifactsBucket: { read: ['checkpoints/online/'], write: ['checkpoints/online/'] },
        stream: 'read',
      },
    },
    'online-api': {
      entry: 'systems/online/handlers/api.ts',
      description: 'REST API: the latest result per model, history since a time or tick, metrics, OpenAPI',
      memoryMb: 512,
      timeoutSeconds: 30,
      access: {
        dataBucket: { read: ['results/online/'] },
      },
      functionUrl: { authType: 'AWS_IAM' },
    },
    'online-analysis': {
      entry: 'systems/online/handlers/analysis.ts',
      description:
        "Variable analysis: each feature's correlation with the label and the target, each model's importances, as a report with pictures",
      memoryMb: 1024,
      timeoutSeconds: 300,
      access: {
        dataBucket: { read: ['raw/online/', 'archive/online/'] },
        artifactsBucket: { read: ['checkpoints/online/'], write: ['reports/online/'] },
      },
      errors: { permanent: ['InputError'] },
    },
  },
  stateMachines: [
    {
      name: 'online-poll',
      aslFile: 'systems/online/state-machines/poll.asl.json',
      functionPlaceholders: { PollerFunctionArn: 'online-poller' },
      schedule: {
        expression: 'rate(1 minute)',
        description: 'Every minute: poll the source every 2 s for a minute and put the records on the stream',
        input: { scheduledTime: SCHEDULED_TIME },
      },
    },
    {
      name: 'online-analysis',
      aslFile: 'systems/online/state-machines/analysis.asl.json',
      functionPlaceholders: { AnalysisFunctionArn: 'online-analysis' },
      schedule: {
        expression: 'cron(0 4 * * ? *)',
        description:
          "Daily at 04:00 UTC: the last 24 h of records' correlations with the label and the target, and each model's importances",
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
    },
  ],
  streamConsumers: [
    {
      functionKey: 'online-learner',
      batchSize: 100,
      maxBatchingWindowSeconds: 5,
      retryAttempts: 100,
      maxRecordAgeSeconds: 6 * 3600,
      bisectBatchOnError: false,
      reportBatchItemFailures: true,
      parallelizationFactor: 1,
      startingPosition: 'TRIM_HORIZON',
    },
  ],
  web: { page: 'systems/online/web/page.tsx', title: 'Online learning', apiFunction: 'online-api' },
  demo: 'systems/online/demo.ts',
};
