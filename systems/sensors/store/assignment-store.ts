import type { S3Client } from '@aws-sdk/client-s3';
import { getBytes, putGzipNdjson } from '../../../adapters/s3-object-store.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../core/streaming/ndjson.js';
import { handlerEnv } from '../../../lambdas/platform/env.js';
import type { Assignment } from '../model/assignments.js';
import { sensorKeys } from './keys.js';

/** One day's assignments, replacing what a previous run wrote for that day. */
export async function writeAssignments(
  s3: S3Client,
  day: string,
  records: readonly Assignment[],
): Promise<void> {
  await putGzipNdjson(s3, handlerEnv.dataBucket(), sensorKeys.assignments(day), encodeNdjsonGzip(records));
}

/** One day's assignments; none when the day was never assigned. */
export async function readAssignments(s3: S3Client, day: string): Promise<Assignment[]> {
  const bytes = await getBytes(s3, handlerEnv.dataBucket(), sensorKeys.assignments(day));
  return bytes ? decodeNdjsonGzip<Assignment>(bytes) : [];
}
