import type { S3Client } from '@aws-sdk/client-s3';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { handlerEnv } from './env.js';
import { S3ObjectStore } from './s3-object-store.js';

/** The registry of one pipeline in the artifacts bucket. */
export function registryFor(s3: S3Client, pipeline: string): ModelRegistry {
  return new ModelRegistry({ store: new S3ObjectStore(s3, handlerEnv.artifactsBucket()), pipeline });
}
