/**
 * What the streaming platform needs to know about one pipeline's records. A new pipeline adds a
 * spec; producer, ingest and archive stay as they are.
 */
export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface RecordSpec<T> {
  /** Pipeline name: the `pipeline` field of the stream envelope and a path segment in S3. */
  readonly pipeline: string;
  /** Field names in a fixed order: CSV header, schema docs and the "extra field" check. */
  readonly fields: readonly string[];
  /**
   * Checks one decoded record. `arrivalMs` is when the stream accepted it: it judges "far
   * future" timestamps and is fixed per record, so a retried batch reaches the same verdict.
   */
  validate(data: unknown, arrivalMs: number): Validation<T>;
  /** Event time in epoch milliseconds (raw/ partitions go by arrival time; this is the reading's own). */
  eventTimeMs(record: T): number;
  /** Identity of a reading; two records with the same key in one batch are duplicates. */
  naturalKey(record: T): string;
  /** Kinesis partition key: records of one key keep their order on one shard. */
  partitionKey(record: T): string;
  /** Parses a CSV row (header → cell text) into an unvalidated record, for user data sets. */
  fromCsvRow(row: Record<string, string>): unknown;
}
