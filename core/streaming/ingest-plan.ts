import type { RecordSpecs } from '../pipelines/record-specs.js';
import { decodeEnvelope } from './envelope.js';
import { type HourPartition, hourPartition, quarantineKey, rawKey } from './keys.js';

/** A stream record as ingest sees it, independent of the Lambda event shape. */
export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** When the stream accepted the record (epoch ms): fixed per record, unlike "now". */
  arrivalMs: number;
  data: Uint8Array;
}

/** What quarantine keeps of a rejected record: enough to understand it and to replay it. */
export interface QuarantineEntry {
  reason: string;
  pipeline: string | null;
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivalTime: string;
  bytes: number;
  /** The record as text, cut at `QUARANTINE_TEXT_LIMIT` characters (huge records stay readable). */
  text: string;
  truncated: boolean;
}

export const QUARANTINE_TEXT_LIMIT = 64 * 1024;

/**
 * Consecutive records that arrived in the same hour (one raw partition). Runs are written in order; the first
 * run that fails to write, and everything after it, is reported back to Kinesis, so retries
 * start exactly at a run's first record and rewrite the same keys.
 */
export interface IngestRun {
  firstSequenceNumber: string;
  sequenceNumbers: string[];
  raw?: { key: string; partition: HourPartition; records: unknown[] };
  /**
   * Rejected records, one object per system they name (`unknown` when they name none), so a
   * record is filed under its own system whatever its neighbours are.
   */
  quarantines: { key: string; pipeline: string; entries: QuarantineEntry[] }[];
}

const textDecoder = new TextDecoder('utf-8');

function quarantineEntry(
  record: StreamRecord,
  reason: string,
  pipeline: string | undefined,
): QuarantineEntry {
  const full = textDecoder.decode(record.data.subarray(0, QUARANTINE_TEXT_LIMIT * 4));
  const truncated = full.length > QUARANTINE_TEXT_LIMIT || record.data.byteLength > QUARANTINE_TEXT_LIMIT * 4;
  return {
    reason,
    pipeline: pipeline ?? null,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    arrivalTime: new Date(record.arrivalMs).toISOString(),
    bytes: record.data.byteLength,
    text: truncated ? full.slice(0, QUARANTINE_TEXT_LIMIT) : full,
    truncated,
  };
}

type Verdict =
  | { record: StreamRecord; ok: true; pipeline: string; value: unknown; partition: HourPartition }
  | { record: StreamRecord; ok: false; pipeline: string | undefined; reason: string };

function judge(record: StreamRecord, seen: Map<string, string>, specs: RecordSpecs): Verdict {
  const decoded = decodeEnvelope(record.data);
  if (!decoded.ok) return { record, ok: false, pipeline: decoded.pipeline, reason: decoded.reason };
  const { pipeline, data } = decoded.envelope;
  const spec = specs.find(pipeline);
  if (!spec) return { record, ok: false, pipeline, reason: `unknown pipeline "${pipeline}"` };
  const validation = spec.validate(data, record.arrivalMs);
  if (!validation.ok) return { record, ok: false, pipeline, reason: validation.reason };
  const identity = `${pipeline}|${spec.naturalKey(validation.value)}`;
  const first = seen.get(identity);
  if (first !== undefined) {
    return {
      record,
      ok: false,
      pipeline,
      reason: `duplicate of the record at sequence number ${first} in the same batch`,
    };
  }
  seen.set(identity, record.sequenceNumber);
  return {
    record,
    ok: true,
    pipeline,
    value: validation.value,
    partition: hourPartition(pipeline, record.arrivalMs),
  };
}

/**
 * Decides, for a batch of one shard in sequence order, what goes where. Pure: no I/O. `specs`
 * are the systems' record specs (injected: the streaming core names no system).
 *
 * A run ends where the arrival hour changes (for any record, valid or not) or where a valid
 * record belongs to another pipeline than the run's raw records. Every key depends only on the
 * run's first record and the records themselves, never on how long the batch is, so a retried
 * batch that starts at a run's first record rebuilds the same keys.
 */
export function planIngest(records: readonly StreamRecord[], specs: RecordSpecs): IngestRun[] {
  const seen = new Map<string, string>();
  type OpenRun = IngestRun & { hour: string };
  const runs: OpenRun[] = [];
  let current: OpenRun | undefined;

  for (const record of records) {
    const verdict = judge(record, seen, specs);
    const arrival = hourPartition('', record.arrivalMs);
    const hour = `${arrival.day}T${arrival.hour}`;
    const otherPipeline =
      verdict.ok && current?.raw !== undefined && current.raw.partition.pipeline !== verdict.pipeline;
    if (!current || current.hour !== hour || otherPipeline) {
      current = { firstSequenceNumber: record.sequenceNumber, sequenceNumbers: [], quarantines: [], hour };
      runs.push(current);
    }
    if (verdict.ok) {
      current.raw ??= {
        key: rawKey(verdict.partition, record.shardId, current.firstSequenceNumber),
        partition: verdict.partition,
        records: [],
      };
      current.raw.records.push(verdict.value);
    } else {
      // Under the system the record itself names (unknown/ if none, or one nobody registered).
      // The key depends on that system and the run's first record only, so a longer retried
      // batch cannot move the object elsewhere.
      const pipeline = verdict.pipeline && specs.find(verdict.pipeline) ? verdict.pipeline : 'unknown';
      let quarantine = current.quarantines.find((q) => q.pipeline === pipeline);
      if (!quarantine) {
        quarantine = {
          key: quarantineKey(
            hourPartition(pipeline, record.arrivalMs),
            record.shardId,
            current.firstSequenceNumber,
          ),
          pipeline,
          entries: [],
        };
        current.quarantines.push(quarantine);
      }
      quarantine.entries.push(quarantineEntry(record, verdict.reason, verdict.pipeline));
    }
    current.sequenceNumbers.push(record.sequenceNumber);
  }
  return runs.map(({ hour: _, ...run }) => run);
}
