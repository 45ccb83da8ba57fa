import { isPlainObject } from '../pipelines/validation-helpers.js';

/**
 * What travels on the stream: `{"pipeline": "<name>", "id": "<source>:<row>", "data": {...}}`.
 * One stream carries every pipeline; the envelope routes each record to its pipeline's schema and
 * S3 prefix. `id` is optional: the producer names each record by data set and row, so a run that
 * takes over an interrupted slice can tell which of its rows already reached the stream. Records
 * from other writers (and from producers before the id existed) have none; ingest ignores it.
 */
export interface StreamEnvelope {
  pipeline: string;
  id?: string;
  data: unknown;
}

/** Kinesis refuses records over 1 MiB (data plus partition key). */
export const MAX_RECORD_BYTES = 1_048_576;

/** Longer ids are refused: an id names a record, it does not carry data. */
export const MAX_ENVELOPE_ID_LENGTH = 256;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeEnvelope(pipeline: string, data: unknown, id?: string): Buffer {
  const envelope: StreamEnvelope = id === undefined ? { pipeline, data } : { pipeline, id, data };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
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
  const extra = Object.keys(parsed).filter((key) => key !== 'pipeline' && key !== 'data' && key !== 'id');
  if (extra.length > 0) {
    return {
      ok: false,
      reason: `envelope has unexpected field(s): ${extra.join(', ')} (expected "pipeline", "data" and optionally "id")`,
      ...(pipeline ? { pipeline } : {}),
    };
  }
  if (!pipeline) return { ok: false, reason: 'envelope has no "pipeline" string' };
  const { id } = parsed;
  if (id !== undefined && !(typeof id === 'string' && id.length > 0 && id.length <= MAX_ENVELOPE_ID_LENGTH)) {
    return {
      ok: false,
      reason: `envelope "id" must be a string of 1 to ${MAX_ENVELOPE_ID_LENGTH} characters, got ${JSON.stringify(id).slice(0, 80)}`,
      pipeline,
    };
  }
  if (!('data' in parsed)) return { ok: false, reason: 'envelope has no "data" field', pipeline };
  return {
    ok: true,
    envelope: id === undefined ? { pipeline, data: parsed.data } : { pipeline, id, data: parsed.data },
  };
}
