import { DEFAULT_METRICS_NAMESPACE } from '../../core/metrics/platform-metrics.js';

/**
 * The one place handlers read their environment. The stack sets these variables; the local
 * runtime sets the same ones before it loads the handlers.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`Environment variable ${name} is not set; the stack (or the local runtime) must set it`);
  return value;
}

export const handlerEnv = {
  dataBucket: () => required('DATA_BUCKET'),
  artifactsBucket: () => required('ARTIFACTS_BUCKET'),
  streamName: () => required('STREAM_NAME'),
  /**
   * Where CloudWatch embedded-metric lines go locally (a file standing in for CloudWatch Logs);
   * unset on AWS, where they go to stdout and Lambda ships them.
   */
  metricsFile: () => process.env.METRICS_FILE,
  /** The platform's CloudWatch namespace: one per deployment on AWS (the stack sets it). */
  metricsNamespace: () => process.env.METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
  /** Which code is running: recorded in the metadata of every model it registers. */
  codeVersion: () => process.env.CODE_VERSION ?? 'unknown',
  /** Path-style S3 URLs for emulators that do not serve virtual-hosted buckets. */
  s3ForcePathStyle: () => process.env.S3_FORCE_PATH_STYLE === 'true',
  /**
   * Local runs speed time up: sleeps inside handlers (the producer's interval between batches)
   * are divided by this factor. Unset (1) on AWS.
   */
  clockSpeed: () => {
    const speed = Number(process.env.CLOCK_SPEED ?? '1');
    return Number.isFinite(speed) && speed > 0 ? speed : 1;
  },
};
