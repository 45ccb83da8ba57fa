import { recordSpecFor } from '../pipelines/registry.js';
import { decodeEnvelope } from './envelope.js';
import { type HourPartition, hourPartition, partitionId, quarantineKey, rawKey } from './keys.js';

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
  quarantine?: { key: string; entries: QuarantineEntry[] };
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

function judge(record: StreamRecord, seen: Map<string, string>): Verdict {
  const decoded = decodeEnvelope(record.data);
  if (!decoded.ok) return { record, ok: false, pipeline: decoded.pipeline, reason: decoded.reason };
  const { pipeline, data } = decoded.envelope;
  const spec = recordSpecFor(pipeline);
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

/** Decides, for a batch of one shard in sequence order, what goes where. Pure: no I/O. */
export function planIngest(records: readonly StreamRecord[]): IngestRun[] {
  const seen = new Map<string, string>();
  type OpenRun = IngestRun & { firstArrivalMs: number; shardId: string; pipeline?: string };
  const runs: OpenRun[] = [];
  let current: OpenRun | undefined;
  let currentPartition: string | undefined;

  for (const record of records) {
    const verdict = judge(record, seen);
    if (verdict.ok) {
      const id = partitionId(verdict.partition);
      if (!current || (currentPartition !== undefined && currentPartition !== id)) {
        current = startRun(record);
        runs.push(current);
      }
      currentPartition = id;
      current.raw ??= {
        key: rawKey(verdict.partition, record.shardId, current.firstSequenceNumber),
        partition: verdict.partition,
        records: [],
      };
      current.raw.records.push(verdict.value);
    } else {
      if (!current) {
        current = startRun(record);
        runs.push(current);
      }
      // The key is set once the run is complete: its pipeline segment may come from a later record.
      current.quarantine ??= { key: '', entries: [] };
      current.quarantine.entries.push(quarantineEntry(record, verdict.reason, verdict.pipeline));
    }
    current.sequenceNumbers.push(record.sequenceNumber);
    if (!current.pipeline && verdict.pipeline && recordSpecFor(verdict.pipeline))
      current.pipeline = verdict.pipeline;
  }
  return runs.map(({ firstArrivalMs, pipeline, shardId, ...run }) => {
    if (run.quarantine) {
      // Quarantine sits under the run's pipeline (or unknown/ when no record named a known one).
      run.quarantine.key = quarantineKey(
        hourPartition(pipeline ?? 'unknown', firstArrivalMs),
        shardId,
        run.firstSequenceNumber,
      );
    }
    return run;
  });

  function startRun(record: StreamRecord): OpenRun {
    currentPartition = undefined;
    return {
      firstSequenceNumber: record.sequenceNumber,
      sequenceNumbers: [],
      firstArrivalMs: record.arrivalMs,
      shardId: record.shardId,
    };
  }
}
