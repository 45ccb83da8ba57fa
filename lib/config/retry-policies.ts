/**
 * The retry policies of every Lambda task, defined once. The ASL files leave `Retry` out of their
 * `lambda:invoke` Tasks and the renderer (asl.ts) fills it in from what the invoked function
 * declares, for AWS and the local runtime alike.
 */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts: number;
  readonly BackoffRate?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** Lambda's own transient failures (throttling, service errors), as AWS recommends retrying them. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export const retryPolicies = {
  /** The input or the data is wrong: the same call would fail the same way. */
  permanent: (errors: readonly string[]): Retrier => ({ ErrorEquals: errors, MaxAttempts: 0 }),
  /** A concurrent writer won a conditional write: re-reading and trying again succeeds. */
  concurrentWrite: (errors: readonly string[]): Retrier => ({
    ErrorEquals: errors,
    IntervalSeconds: 1,
    MaxAttempts: 5,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  }),
  /**
   * A Task that ran out of time: by its own TimeoutSeconds (`States.Timeout`) or by the function's
   * (`Sandbox.Timedout`, what Lambda reports for a function that ran out of time). Never retried:
   * a retry repeats the same work under the same limit and times out again as late (three
   * attempts of a 15-minute train were 45 minutes), and one after `States.Timeout` may start while
   * the first invocation still runs. The names are listed here, ahead of `unexpected`, rather than
   * narrowing `unexpected` to `States.TaskFailed`: that wildcard leaves out `States.Timeout` only
   * and still matches `Sandbox.Timedout`, which is the timeout that fires first since each Task's
   * limit is above its function's (a CDK test checks that).
   */
  timedOut: { ErrorEquals: ['States.Timeout', 'Sandbox.Timedout'], MaxAttempts: 0 } satisfies Retrier,
  lambdaService: {
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  } satisfies Retrier,
  /** Anything else unexpected (an S3 outage that outlasted the SDK's retries): twice more. */
  unexpected: {
    ErrorEquals: ['States.ALL'],
    IntervalSeconds: 5,
    MaxAttempts: 2,
    BackoffRate: 3,
  } satisfies Retrier,
};

/** The Retry list of a Task that invokes a function declaring these errors. */
export function retriersFor(errors: {
  readonly permanent?: readonly string[];
  readonly retryable?: readonly string[];
}): Retrier[] {
  return [
    ...(errors.permanent?.length ? [retryPolicies.permanent(errors.permanent)] : []),
    ...(errors.retryable?.length ? [retryPolicies.concurrentWrite(errors.retryable)] : []),
    retryPolicies.timedOut,
    retryPolicies.lambdaService,
    // Last: Step Functions takes the first retrier that matches, and States.ALL matches everything.
    retryPolicies.unexpected,
  ];
}
