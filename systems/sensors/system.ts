import type { RecordSpec } from '../../core/pipelines/record-spec.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import { sensorsDataset } from './records/dataset.js';
import { sensorRecordSpec } from './records/reading.js';

/**
 * Sensor clustering: readings chunked per day and sensor, one feature row per sensor-day
 * (Parquet), k-means retrained daily with champion/challenger, assignments, drift, a service.
 */
export const sensorsSystem: SystemDefinition = {
  name: 'sensors',
  title: 'Sensor clustering (k-means on daily features, drift)',
  docs: 'systems/sensors/docs/README.md',
  recordSpec: sensorRecordSpec as RecordSpec<unknown>,
  dataset: sensorsDataset,
  models: ['clusters'],
  stream: {
    schedule: {
      expression: 'rate(1 hour)',
      description: 'Hourly: replay the next slice of the sensor data set into the stream',
      input: { batchSize: 2000, numBatches: 1 },
    },
  },
  functions: {
    'sensors-chunks': {
      entry: 'systems/sensors/handlers/chunks.ts',
      description:
        'Sensor readings that arrived → one chunk per UTC day × sensor (merged by conditional writes)',
      memoryMb: 1024,
      timeoutSeconds: 300,
      access: {
        dataBucket: { read: ['raw/sensors/', 'chunks/sensors/'], write: ['chunks/sensors/'] },
        artifactsBucket: { read: ['runs/sensors/'], write: ['runs/sensors/'] },
      },
      errors: { permanent: ['InputError'], retryable: ['PreconditionFailedError'] },
    },
    'sensors-features': {
      entry: 'systems/sensors/handlers/features.ts',
      description:
        "One day's chunks → one feature row per sensor, written as Parquet; shapes and memory as metrics",
      memoryMb: 1024,
      timeoutSeconds: 300,
      access: { dataBucket: { read: ['chunks/sensors/'], write: ['features/sensors/'] } },
      errors: { permanent: ['InputError'] },
    },
    'sensors-cluster': {
      entry: 'systems/sensors/handlers/cluster.ts',
      description:
        'k-means challenger scored against the champion, cluster assignment, feature drift and the run report',
      memoryMb: 2048,
      timeoutSeconds: 600,
      access: {
        dataBucket: { read: ['features/sensors/', 'predictions/sensors/'], write: ['predictions/sensors/'] },
        artifactsBucket: {
          read: ['models/sensors/', 'runs/sensors/'],
          write: ['models/sensors/', 'runs/sensors/', 'reports/sensors/'],
        },
      },
      errors: { permanent: ['InputError', 'FitFailed'] },
    },
    'sensors-endpoint': {
      entry: 'systems/sensors/handlers/endpoint.ts',
      description:
        'Clustering service: a sensor-day or a feature row in, its cluster and distance out, from the champion',
      memoryMb: 512,
      timeoutSeconds: 30,
      access: {
        dataBucket: { read: ['features/sensors/'] },
        artifactsBucket: { read: ['models/sensors/'] },
      },
      functionUrl: { authType: 'AWS_IAM' },
    },
  },
  stateMachines: [
    {
      name: 'sensors-training',
      aslFile: 'systems/sensors/state-machines/training.asl.json',
      functionPlaceholders: {
        SensorChunksFunctionArn: 'sensors-chunks',
        SensorFeaturesFunctionArn: 'sensors-features',
        ClusterFunctionArn: 'sensors-cluster',
        PromoteFunctionArn: 'promote',
        ArchiveFunctionArn: 'archive',
      },
      schedule: {
        expression: 'cron(0 3 * * ? *)',
        description:
          'Daily at 03:00 UTC: chunk, featurize, retrain the clustering from the champion, report drift',
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
    },
    {
      name: 'sensors-inference',
      aslFile: 'systems/sensors/state-machines/inference.asl.json',
      functionPlaceholders: { ClusterFunctionArn: 'sensors-cluster' },
      schedule: {
        expression: 'cron(30 3 * * ? *)',
        description:
          'Daily at 03:30 UTC: assign the latest sensor-days to clusters, record the distribution and drift',
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
    },
  ],
  demo: 'systems/sensors/demo.ts',
};
