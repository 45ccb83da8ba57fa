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

function stateMachineArns(): Record<string, string> {
  const text = process.env.STATE_MACHINE_ARNS;
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new Error(`Environment variable STATE_MACHINE_ARNS is not a JSON object: ${text}`);
  }
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
  /**
   * The ARN of a state machine the function may start (one of its definition's
   * `startsStateMachines`, by short name). The stack builds the ARNs from the deployed names
   * (`STATE_MACHINE_ARNS`, a JSON object), so the functions need no reference to the machines
   * that call them.
   */
  stateMachineArn: (name: string) => {
    const granted = stateMachineArns();
    const arn = granted[name];
    if (!arn)
      throw new Error(
        `State machine "${name}" is not one this function may start (granted: ${Object.keys(granted).join(', ') || 'none'}); add it to the function's startsStateMachines`,
      );
    return arn;
  },
  clockSpeed: () => {
    const speed = Number(process.env.CLOCK_SPEED ?? '1');
    return Number.isFinite(speed) && speed > 0 ? speed : 1;
  },
};
