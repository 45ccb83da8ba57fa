import { resourceNames } from '../lib/config/app-config.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalEndpoints {
  s3: string;
  kinesis: string;
  /** The local Step Functions API, for handlers that start executions (`startsStateMachines`). */
  sfn?: string;
  /** The local EventBridge bus, for handlers that send events (`putsEvents`). */
  eventbridge?: string;
}

/**
 * The variables the deployed functions get from the stack, plus the SDK's standard endpoint
 * variables pointing at the emulators. Set on this process before the handlers are loaded,
 * because handlers create their clients at module scope.
 */
export function localHandlerEnvironment(
  endpoints: LocalEndpoints,
  options: {
    stage: string;
    prefix: string;
    clockSpeed: number;
    metricsFile?: string;
    /**
     * State machine ARNs by short name, as the local Step Functions API names them. One process
     * runs every handler, so they share one map (the machines some function declares): locally,
     * as with Function URLs, IAM is not enforced.
     */
    stateMachineArns?: Readonly<Record<string, string>>;
  },
) {
  const names = resourceNames(options);
  return {
    // CloudWatch stand-in: handlers' embedded-metric lines go to a file instead of stdout.
    ...(options.metricsFile ? { METRICS_FILE: options.metricsFile } : {}),
    AWS_REGION: LOCAL_REGION,
    // s3rver accepts only its own fixed key pair; kinesis-mock accepts any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    ...(endpoints.sfn ? { AWS_ENDPOINT_URL_SFN: endpoints.sfn } : {}),
    ...(endpoints.eventbridge ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge } : {}),
    ...(options.stateMachineArns ? { STATE_MACHINE_ARNS: JSON.stringify(options.stateMachineArns) } : {}),
    // s3rver stores streaming-checksum chunk framing inside objects: checksums only when required.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    S3_FORCE_PATH_STYLE: 'true',
    DATA_BUCKET: names.dataBucket,
    ARTIFACTS_BUCKET: names.artifactsBucket,
    STREAM_NAME: names.stream,
    CLOCK_SPEED: String(options.clockSpeed),
    CODE_VERSION: 'local',
  };
}

export function applyEnvironment(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) process.env[name] = value;
}

export function localFunctionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

/**
 * CDK context for the local runtime, from `SMLP_CONTEXT` (`key=value` pairs separated by commas:
 * `SMLP_CONTEXT=churnRetrainOnDrift=false npm start`), read as `-c key=value` would be.
 */
export function localContextFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const pairs = (env.SMLP_CONTEXT ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`SMLP_CONTEXT: "${pair}" is not key=value`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
}
