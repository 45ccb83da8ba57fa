import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildService } from '../../local/emulators/child-service.js';
import { startS3Emulator } from '../../local/emulators/s3-emulator.js';

/**
 * S3 never shows part of a PUT: a client killed mid-upload leaves the object as it was. The local
 * S3 must do the same, or a learner killed while writing its results would leave a truncated
 * object for its own retry to read (seen: "Unexpected end of JSON input").
 */
let emulator: ChildService;
let dir: string;
let s3: S3Client;
const BUCKET = 'atomic';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 's3-atomic-'));
  emulator = await startS3Emulator({ directory: dir });
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A PUT that announces `announced` bytes, sends `sent`, then drops the connection. */
function abandonedPut(key: string, announced: number, sent: number): Promise<void> {
  const url = new URL(`/${BUCKET}/${key}`, emulator.endpoint);
  return new Promise((resolve) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'PUT',
      path: url.pathname,
      headers: { 'content-length': announced, 'content-type': 'application/json' },
    });
    req.on('error', () => resolve());
    req.write(Buffer.alloc(sent, 0x61), () => {
      req.destroy();
      resolve();
    });
  });
}

const read = async (key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString();

describe('the local S3 under a client that dies mid-upload', () => {
  it('keeps the previous object whole, lists no partial one, and serves the key again at once', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'recent.json', Body: '{"ticks":[1,2,3]}' }));

    // Act: twice, so a lock left behind by the first would hang the second
    await abandonedPut('recent.json', 100_000, 5_000);
    await abandonedPut('recent.json', 100_000, 50);
    await abandonedPut('new.json', 1_000, 10);
    const after = await read('recent.json');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'recent.json', Body: '{"ticks":[4]}' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));

    // Assess
    expect(after).toBe('{"ticks":[1,2,3]}');
    expect(await read('recent.json')).toBe('{"ticks":[4]}');
    expect((listed.Contents ?? []).map((object) => object.Key)).toEqual(['recent.json']);
  });
});
