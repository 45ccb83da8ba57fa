import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import { handlerEnv } from './env.js';

/** The registry of one model key (system and model) in the artifacts bucket. */
export function registryFor(s3: S3Client, pipeline: string, model: string): ModelRegistry {
  return new ModelRegistry({ store: new S3ObjectStore(s3, handlerEnv.artifactsBucket()), pipeline, model });
}
