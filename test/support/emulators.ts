import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ChildService } from '../../local/emulators/child-service.js';
import { startKinesisEmulator } from '../../local/emulators/kinesis-emulator.js';
import { startS3Emulator } from '../../local/emulators/s3-emulator.js';
import { applyEnvironment, LOCAL_REGION, localHandlerEnvironment } from '../../local/local-environment.js';

export interface TestEmulators {
  s3: S3Client;
  kinesis?: KinesisClient;
  /** The Kinesis client, or a clear error when the emulators were started without Kinesis. */
  requireKinesis(): KinesisClient;
  dataBucket: string;
  artifactsBucket: string;
  /** A fresh stream per test: kinesis-mock slows down as a shard fills. */
  createStream(shards?: number): Promise<string>;
  stop(): Promise<void>;
}

let streamCounter = 0;

/**
 * Real emulators for handler tests, with the same environment the local runtime gives the
 * handlers. Call before importing a handler: handlers build their clients at module load.
 */
export async function startTestEmulators(options: { kinesis: boolean }): Promise<TestEmulators> {
  const dir = mkdtempSync(path.join(tmpdir(), 'smlp-test-'));
  const services: ChildService[] = [];
  const s3Service = await startS3Emulator({ directory: path.join(dir, 's3') });
  services.push(s3Service);
  const kinesisService = options.kinesis ? await startKinesisEmulator({ region: LOCAL_REGION }) : undefined;
  if (kinesisService) services.push(kinesisService);
  const env = localHandlerEnvironment(
    { s3: s3Service.endpoint, kinesis: kinesisService?.endpoint ?? 'http://127.0.0.1:9' },
    { prefix: 'smlp', stage: 'test', clockSpeed: 1000 },
  );
  applyEnvironment(env);
  const s3 = new S3Client({ region: LOCAL_REGION, endpoint: s3Service.endpoint, forcePathStyle: true });
  for (const bucket of [env.DATA_BUCKET, env.ARTIFACTS_BUCKET])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const kinesis = kinesisService
    ? new KinesisClient({
        region: LOCAL_REGION,
        endpoint: kinesisService.endpoint,
        requestHandler: new NodeHttpHandler(),
      })
    : undefined;

  return {
    s3,
    ...(kinesis ? { kinesis } : {}),
    requireKinesis() {
      if (!kinesis) throw new Error('started without Kinesis: startTestEmulators({ kinesis: true })');
      return kinesis;
    },
    dataBucket: env.DATA_BUCKET,
    artifactsBucket: env.ARTIFACTS_BUCKET,
    async createStream(shards = 2) {
      if (!kinesis) throw new Error('started without Kinesis');
      const name = `test-stream-${process.pid}-${++streamCounter}`;
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      await waitUntilStreamExists(
        { client: kinesis, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 },
        { StreamName: name },
      );
      process.env.STREAM_NAME = name;
      return name;
    },
    async stop() {
      s3.destroy();
      kinesis?.destroy();
      await Promise.allSettled(services.map((service) => service.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
