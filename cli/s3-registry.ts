import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { ModelRegistry } from '../core/registry/model-registry.js';
import { LOCAL_REGION } from '../local/local-environment.js';
import type { RegistryHandle } from './context.js';
import type { RegistryTarget } from './registry-target.js';

/** The S3 client settings for a target; exported for tests. */
export function s3ClientConfig(target: Pick<RegistryTarget, 'endpoint' | 'local'>): S3ClientConfig {
  const config: S3ClientConfig = {};
  if (target.endpoint !== undefined) {
    config.endpoint = target.endpoint;
    // Emulators (s3rver, LocalStack) serve buckets on the path, not as subdomains of the endpoint.
    config.forcePathStyle = true;
    // s3rver stores the streaming-checksum chunk framing inside objects: checksums only when required.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (target.local) {
    // s3rver accepts only its own fixed key pair, whatever AWS credentials the shell has.
    config.credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    config.region = LOCAL_REGION;
  }
  return config;
}

/** The registry over S3: default credentials and region on AWS, the emulator's with --local. */
export function openS3Registry(target: RegistryTarget): RegistryHandle {
  const s3 = new S3Client(s3ClientConfig(target));
  return {
    registry: new ModelRegistry({
      store: new S3ObjectStore(s3, target.bucket),
      pipeline: target.pipeline,
      model: target.model,
    }),
    close: () => s3.destroy(),
  };
}
