import type { S3Client } from '@aws-sdk/client-s3';
import { getJson } from './s3-object-store.js';

/** One child execution of a Distributed Map as its ResultWriter recorded it. */
export interface MapChildResult {
  readonly status: string;
  readonly input: unknown;
  /** The child's output (SUCCEEDED), parsed. */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

interface ResultFile {
  Key: string;
  Size?: number;
}

interface ResultWriterManifest {
  DestinationBucket?: string;
  MapRunArn?: string;
  ResultFiles?: { SUCCEEDED?: ResultFile[]; FAILED?: ResultFile[]; PENDING?: ResultFile[] };
}

interface ChildEntry {
  Status?: string;
  Input?: string;
  Output?: string;
  Error?: string;
  Cause?: string;
}

/**
 * Reads what a Distributed Map's ResultWriter wrote (its `manifest.json` and the SUCCEEDED_n /
 * FAILED_n / PENDING_n files it lists), as Step Functions writes them on AWS and the local
 * runtime writes them too. Inputs and outputs are stored as JSON strings; they come back parsed.
 */
export async function readMapResults(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
): Promise<{ succeeded: unknown[]; failed: MapChildResult[]; pending: MapChildResult[] }> {
  const manifest = await getJson<ResultWriterManifest>(s3, bucket, manifestKey);
  if (!manifest) throw new Error(`no Distributed Map results manifest at s3://${bucket}/${manifestKey}`);
  const read = async (files: ResultFile[] | undefined): Promise<MapChildResult[]> => {
    const results: MapChildResult[] = [];
    for (const file of files ?? []) {
      const entries = await getJson<ChildEntry[]>(s3, manifest.DestinationBucket ?? bucket, file.Key);
      for (const entry of entries ?? [])
        results.push({
          status: entry.Status ?? 'UNKNOWN',
          input: parse(entry.Input),
          ...(entry.Output !== undefined ? { output: parse(entry.Output) } : {}),
          ...(entry.Error !== undefined ? { error: entry.Error } : {}),
          ...(entry.Cause !== undefined ? { cause: entry.Cause } : {}),
        });
    }
    return results;
  };
  const succeeded = await read(manifest.ResultFiles?.SUCCEEDED);
  return {
    succeeded: succeeded.map((r) => r.output),
    failed: await read(manifest.ResultFiles?.FAILED),
    pending: await read(manifest.ResultFiles?.PENDING),
  };
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
