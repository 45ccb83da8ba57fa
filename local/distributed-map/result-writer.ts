import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The error AWS fails a Map with when its results cannot be written. */
export class ResultWriterFailed extends Error {
  override name = 'States.ResultWriterFailed';
}

/** One child execution as AWS exports it (Transformation NONE: output and metadata, JSON as strings). */
export interface ExecutionResult {
  ExecutionArn?: string;
  Name?: string;
  StateMachineArn?: string;
  Input: string;
  InputDetails: { Included: true };
  Output?: string;
  OutputDetails?: { Included: true };
  Error?: string;
  Cause?: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'PENDING';
  StartDate?: string;
  StopDate?: string;
  RedriveCount?: number;
  RedriveStatus?: string;
}

export interface ResultFile {
  key: string;
  body: string;
}

/**
 * The files a ResultWriter writes under `<Prefix>/<map run id>/`: one JSON array per status that
 * has executions (`SUCCEEDED_0.json`, `FAILED_0.json`, `PENDING_0.json`; AWS starts a `_1` only
 * past 5 GB) and `manifest.json` listing them with their sizes. The manifest comes last.
 */
export function resultFiles(options: {
  bucket: string;
  prefix: string;
  mapRunArn: string;
  results: readonly ExecutionResult[];
}): { files: ResultFile[]; manifestKey: string } {
  const mapRunId = options.mapRunArn.split(':').at(-1) ?? 'map-run';
  const prefix =
    options.prefix === '' || options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`;
  const folder = `${prefix}${mapRunId}/`;
  const files: ResultFile[] = [];
  const listed: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
    const entries = options.results.filter((result) => result.Status === status);
    if (entries.length === 0) continue;
    const file = { key: `${folder}${status}_0.json`, body: JSON.stringify(entries) };
    files.push(file);
    listed[status].push({ Key: file.key, Size: Buffer.byteLength(file.body) });
  }
  const manifestKey = `${folder}manifest.json`;
  const manifest = { DestinationBucket: options.bucket, MapRunArn: options.mapRunArn, ResultFiles: listed };
  files.push({ key: manifestKey, body: JSON.stringify(manifest) });
  return { files, manifestKey };
}

export async function writeResults(
  s3: S3Client,
  bucket: string,
  files: readonly ResultFile[],
): Promise<void> {
  try {
    for (const file of files)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: file.key,
          Body: file.body,
          ContentType: 'application/json',
        }),
      );
  } catch (error) {
    throw new ResultWriterFailed(`s3:putObject into s3://${bucket} failed: ${(error as Error).message}`);
  }
}
