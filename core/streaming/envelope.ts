import { isPlainObject } from '../pipelines/validation-helpers.js';

/**
 * What travels on the stream: `{"pipeline": "<name>", "data": {...}}`. One stream carries every
 * pipeline; the envelope routes each record to its pipeline's schema and S3 prefix.
 */
export interface StreamEnvelope {
  pipeline: string;
  data: unknown;
}

/** Kinesis refuses records over 1 MiB (data plus partition key). */
export const MAX_RECORD_BYTES = 1_048_576;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeEnvelope(pipeline: string, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ pipeline, data } satisfies StreamEnvelope), 'utf8');
}

export type DecodedEnvelope =
  | { ok: true; envelope: StreamEnvelope }
  | { ok: false; reason: string; pipeline?: string };

/** Bytes → envelope, with a reason a person can act on for every way it can go wrong. */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  if (bytes.byteLength === 0) return { ok: false, reason: 'record is empty (0 bytes)' };
  if (bytes.byteLength > MAX_RECORD_BYTES) {
    return {
      ok: false,
      reason: `record is ${bytes.byteLength} bytes, over the 1 MiB (${MAX_RECORD_BYTES} bytes) record limit`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'record is not valid UTF-8 text' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `record is not JSON: ${(error as Error).message}` };
  }
  if (!isPlainObject(parsed))
    return { ok: false, reason: 'record is JSON but not an object with "pipeline" and "data"' };
  const pipeline = typeof parsed.pipeline === 'string' ? parsed.pipeline : undefined;
  const extra = Object.keys(parsed).filter((key) => key !== 'pipeline' && key !== 'data');
  if (extra.length > 0) {
    return {
      ok: false,
      reason: `envelope has unexpected field(s): ${extra.join(', ')} (expected only "pipeline" and "data")`,
      ...(pipeline ? { pipeline } : {}),
    };
  }
  if (!pipeline) return { ok: false, reason: 'envelope has no "pipeline" string' };
  if (!('data' in parsed)) return { ok: false, reason: 'envelope has no "data" field', pipeline };
  return { ok: true, envelope: { pipeline, data: parsed.data } };
}
