import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { MODEL, PIPELINE } from './names.js';
import { waterDataset } from './records/dataset.js';
import { waterRecordSpec } from './records/reading.js';

/**
 * Water consumption forecasting: hourly meter readings, a SARIMAX model trained on the first 20%
 * of the data, retrained daily with champion/challenger, a forecast service with intervals.
 */
export const waterSystem: SystemDefinition = {
  name: PIPELINE,
  title: 'Water consumption forecasting (SARIMAX, daily champion/challenger)',
  docs: 'systems/water/docs/README.md',
  recordSpec: waterRecordSpec as RecordSpec<unknown>,
  dataset: waterDataset,
  models: [MODEL],
  stream: {
    // The first model trains on the first 20% of the data; the rest is streamed.
    initialShare: 0.2,
    schedule: {
      expression: 'rate(1 hour)',
      description: 'Hourly: replay the next slice of the water data set into the stream',
      input: {},
    },
  },
  functions: {
    'water-series': {
      entry: 'systems/water/handlers/series.ts',
      description: 'Builds and extends the hourly training series from the initial share and new raw objects',
      memoryMb: 1024,
      timeoutSeconds: 300,
      access: {
        dataBucket: { read: ['raw/water/', 'datasets/water/'], write: ['datasets/water/'] },
        artifactsBucket: { write: ['runs/water/'] },
      },
      errors: { permanent: ['InputError'], retryable: ['PreconditionFailedError'] },
    },
    'water-train': {
      entry: 'systems/water/handlers/train.ts',
      description:
        "Fits the SARIMAX challenger and refits the champion's order on the same window, scores both on the holdout, registers the challenger",
      memoryMb: 2048,
      timeoutSeconds: 900,
      access: {
        dataBucket: { read: ['datasets/water/'] },
        artifactsBucket: { read: ['models/water/', 'runs/water/'], write: ['models/water/', 'runs/water/'] },
      },
      errors: { permanent: ['InputError', 'FitFailed'] },
    },
    'water-report': {
      entry: 'systems/water/handlers/report.ts',
      description:
        'Writes the run report: a JSON summary and an SVG of history, forecast and champion vs challenger',
      memoryMb: 1024,
      timeoutSeconds: 120,
      access: {
        dataBucket: { read: ['datasets/water/'] },
        artifactsBucket: { read: ['models/water/', 'runs/water/'], write: ['reports/water/'] },
      },
      errors: { permanent: ['InputError'] },
    },
    'water-forecast': {
      entry: 'systems/water/handlers/forecast.ts',
      description:
        'Forecast service: horizon in, point forecasts and 80%/95% intervals out, from the champion',
      memoryMb: 1024,
      timeoutSeconds: 30,
      access: {
        dataBucket: { read: ['datasets/water/'] },
        artifactsBucket: { read: ['models/water/'] },
      },
      functionUrl: { authType: 'AWS_IAM' },
    },
  },
  stateMachines: [
    {
      name: 'water-init-model',
      aslFile: 'systems/water/state-machines/init-model.asl.json',
      functionPlaceholders: {
        SeriesFunctionArn: 'water-series',
        TrainFunctionArn: 'water-train',
        PromoteFunctionArn: 'promote',
        ReportFunctionArn: 'water-report',
      },
    },
    {
      name: 'water-retrain',
      aslFile: 'systems/water/state-machines/retrain.asl.json',
      functionPlaceholders: {
        SeriesFunctionArn: 'water-series',
        TrainFunctionArn: 'water-train',
        PromoteFunctionArn: 'promote',
        ReportFunctionArn: 'water-report',
        ArchiveFunctionArn: 'archive',
      },
      schedule: {
        expression: 'cron(0 2 * * ? *)',
        description:
          'Daily at 02:00 UTC: retrain on the data that arrived, promote or keep, archive what was used',
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
    },
  ],
  demo: 'systems/water/demo.ts',
  firstModel: {
    stateMachine: 'water-init-model',
    // The demo's small fixed order: the first model is ready in seconds; retrains search orders.
    input: { order: { p: 1, d: 0, q: 1, P: 1, D: 1, Q: 1, s: 24 }, holdoutHours: 48 },
    says: 'SARIMAX (1,0,1)(1,1,1)24 on the initial 20% (exact maximum likelihood, a second start checks the optimum)',
  },
};
