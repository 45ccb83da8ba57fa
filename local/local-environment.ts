import { resourceNames } from '../lib/config/app-config.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalEndpoints {
  s3: string;
  kinesis: string;
}

/**
 * The variables the deployed functions get from the stack, plus the SDK's standard endpoint
 * variables pointing at the emulators. Set on this process before the handlers are loaded,
 * because handlers create their clients at module scope.
 */
export function localHandlerEnvironment(
  endpoints: LocalEndpoints,
  options: { stage: string; prefix: string; clockSpeed: number; metricsFile?: string },
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
