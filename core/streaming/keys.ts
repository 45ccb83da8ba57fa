/**
 * S3 layout of the data bucket. Keys are deterministic: a retried batch writes the same keys, so
 * it overwrites instead of duplicating.
 *
 *   raw/<pipeline>/dt=YYYY-MM-DD/hour=HH/<shardId>-<firstSequenceNumber>.ndjson.gz
 *   quarantine/<pipeline>/dt=YYYY-MM-DD/hour=HH/<shardId>-<firstSequenceNumber>.ndjson.gz
 *   archive/<pipeline>/dt=YYYY-MM-DD/hour=HH/<same file name as in raw/>
 *
 * Partitions are by arrival time (UTC): when the stream accepted the record, as Firehose does.
 * A batch then lands in one object per shard instead of one per reading-hour (a replay of
 * history would otherwise write an object per record), "what arrived since the last run" is a
 * prefix listing, and broken records, which may have no usable time, are partitioned alike.
 * Each reading keeps its own event time inside the record.
 */
export const RAW_PREFIX = 'raw/';
export const QUARANTINE_PREFIX = 'quarantine/';
export const ARCHIVE_PREFIX = 'archive/';

export interface HourPartition {
  pipeline: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** `HH` (UTC). */
  hour: string;
}

export function hourPartition(pipeline: string, epochMs: number): HourPartition {
  const iso = new Date(epochMs).toISOString();
  return { pipeline, day: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

export function partitionId(partition: HourPartition): string {
  return `${partition.pipeline}/dt=${partition.day}/hour=${partition.hour}`;
}

function batchFileName(shardId: string, firstSequenceNumber: string): string {
  if (!/^[\w.-]+$/.test(shardId)) throw new Error(`shard id "${shardId}" has characters unsafe in an S3 key`);
  if (!/^\d+$/.test(firstSequenceNumber))
    throw new Error(`sequence number "${firstSequenceNumber}" is not numeric`);
  return `${shardId}-${firstSequenceNumber}.ndjson.gz`;
}

export function rawKey(partition: HourPartition, shardId: string, firstSequenceNumber: string): string {
  return `${RAW_PREFIX}${partitionId(partition)}/${batchFileName(shardId, firstSequenceNumber)}`;
}

export function quarantineKey(
  partition: HourPartition,
  shardId: string,
  firstSequenceNumber: string,
): string {
  return `${QUARANTINE_PREFIX}${partitionId(partition)}/${batchFileName(shardId, firstSequenceNumber)}`;
}

export function rawPipelinePrefix(pipeline: string): string {
  return `${RAW_PREFIX}${pipeline}/`;
}

/** Where a raw object goes when archived; throws for keys outside raw/. */
export function archiveKeyFor(rawObjectKey: string): string {
  if (!rawObjectKey.startsWith(RAW_PREFIX)) throw new Error(`"${rawObjectKey}" is not under ${RAW_PREFIX}`);
  return `${ARCHIVE_PREFIX}${rawObjectKey.slice(RAW_PREFIX.length)}`;
}

/** The UTC day of a raw/ or archive/ key, or undefined for keys outside the layout. */
export function dayOfKey(key: string): string | undefined {
  return /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}
