import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { handlerEnv } from './env.js';

/**
 * SDK clients, created once per execution environment. Endpoints come from the SDK's standard
 * `AWS_ENDPOINT_URL_S3` / `_KINESIS` / `_SFN` / `_EVENTBRIDGE` variables, so the same bundle talks to AWS,
 * LocalStack or the local emulators.
 */
export function createS3Client(): S3Client {
  return new S3Client({ forcePathStyle: handlerEnv.s3ForcePathStyle() });
}

/**
 * HTTP/1.1 on purpose: the v3 SDK defaults to HTTP/2 where it can, and large PutRecords or
 * GetRecords exchanges fail over HTTP/2 against kinesis-mock. PutRecords and GetRecords are plain
 * request/response calls, so HTTP/1.1 costs nothing on AWS either.
 */
export function createKinesisClient(): KinesisClient {
  return new KinesisClient({
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
  });
}

/** Starts executions of the state machines a function declares (`startsStateMachines`). */
export function createSfnClient(): SFNClient {
  return new SFNClient({});
}

/** Sends events to the default bus (`putsEvents`). */
export function createEventBridgeClient(): EventBridgeClient {
  return new EventBridgeClient({});
}
