import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { getBytes, parseS3Uri } from '../../adapters/s3-object-store.js';
import { parseCsv } from '../../core/data/csv.js';
import { InputError } from '../../core/data/input-fields.js';
import { splitInitialShare } from '../../core/streaming/replay.js';
import type { SystemDefinition } from '../../lib/config/system-definition.js';
import type { ProducerInput } from './input.js';

export interface Dataset {
  /** Hash of source and split: a cursor is only valid for the data set it was made on. */
  sourceId: string;
  initial: unknown[];
  stream: unknown[];
}

/** Loads the rows to replay, in time order, split into initial-training and stream shares. */
export async function loadDataset(
  input: ProducerInput,
  system: SystemDefinition,
  s3: S3Client,
): Promise<Dataset> {
  let rows: unknown[];
  let identity: string;
  if (input.source.kind === 'generated') {
    // parseProducerInput only accepts a generated source for a system that has a data set.
    rows = system.dataset?.generate(input.source.options) ?? [];
    identity = JSON.stringify(input.source.options);
  } else {
    const { bucket, key } = parseS3Uri(input.source.uri);
    const bytes = await getBytes(s3, bucket, key);
    if (!bytes) throw new InputError(`data set ${input.source.uri} does not exist`);
    const { header, rows: csvRows } = parseCsv(Buffer.from(bytes).toString('utf8'));
    const spec = system.recordSpec;
    const missing = spec.fields.filter((field) => !header.includes(field));
    if (missing.length > 0) {
      throw new InputError(
        `${input.source.uri} lacks column(s) ${missing.join(', ')}; expected header: ${spec.fields.join(',')}`,
      );
    }
    // Rows are replayed in time order, as the original stream would have delivered them.
    rows = csvRows.map((row) => spec.fromCsvRow(row));
    identity = `${input.source.uri}#${createHash('sha256').update(bytes).digest('hex')}`;
  }
  const { initial, stream } = splitInitialShare(rows, input.initialShare);
  const sourceId = createHash('sha256')
    .update(`${input.pipeline}|${identity}|${input.initialShare}`)
    .digest('hex')
    .slice(0, 16);
  return { sourceId, initial, stream };
}
