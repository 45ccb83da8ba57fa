import { describe, expect, it } from 'vitest';
import {
  archiveKeyFor,
  dayOfKey,
  hourPartition,
  partitionId,
  quarantineKey,
  rawKey,
  rawPipelinePrefix,
} from '../../../../core/streaming/keys.js';
import { SHARD_ID, sequenceNumber } from '../../../support/factories.js';

const partition = hourPartition('water', Date.UTC(2024, 2, 1, 7, 59, 59, 999));

describe('S3 keys of the data bucket', () => {
  it('derives the hour partition from epoch milliseconds in UTC', () => {
    // Prepare / Act / Assess
    expect(partition).toEqual({ pipeline: 'water', day: '2024-03-01', hour: '07' });
    expect(partitionId(partition)).toBe('water/dt=2024-03-01/hour=07');
  });

  it('builds raw and quarantine keys from partition, shard and first sequence number', () => {
    // Prepare / Act
    const raw = rawKey(partition, SHARD_ID, sequenceNumber(12));
    const quarantine = quarantineKey(partition, SHARD_ID, sequenceNumber(12));

    // Assess
    expect(raw).toBe(`raw/water/dt=2024-03-01/hour=07/${SHARD_ID}-${sequenceNumber(12)}.ndjson.gz`);
    expect(quarantine).toBe(
      `quarantine/water/dt=2024-03-01/hour=07/${SHARD_ID}-${sequenceNumber(12)}.ndjson.gz`,
    );
    expect(rawKey(partition, SHARD_ID, sequenceNumber(12))).toBe(raw);
  });

  it('maps a raw key to the same file name under archive/', () => {
    // Prepare
    const raw = rawKey(partition, SHARD_ID, sequenceNumber(3));

    // Act
    const archived = archiveKeyFor(raw);

    // Assess
    expect(archived).toBe(`archive/water/dt=2024-03-01/hour=07/${SHARD_ID}-${sequenceNumber(3)}.ndjson.gz`);
    expect(raw.startsWith(rawPipelinePrefix('water'))).toBe(true);
  });

  it('refuses to archive a key outside raw/', () => {
    // Prepare
    const quarantine = quarantineKey(partition, SHARD_ID, sequenceNumber(3));

    // Act / Assess
    expect(() => archiveKeyFor(quarantine)).toThrow(`"${quarantine}" is not under raw/`);
    expect(() => archiveKeyFor('rawish/water/x')).toThrow(/is not under raw\//);
  });

  it('reads the day of raw and archive keys, and nothing from keys outside the layout', () => {
    // Prepare
    const raw = rawKey(partition, SHARD_ID, sequenceNumber(3));

    // Act / Assess
    expect(dayOfKey(raw)).toBe('2024-03-01');
    expect(dayOfKey(archiveKeyFor(raw))).toBe('2024-03-01');
    expect(dayOfKey('models/water/latest.json')).toBeUndefined();
    expect(dayOfKey('raw/water/dt=2024-3-1/hour=07/x.ndjson.gz')).toBeUndefined();
  });

  it.each(['shard/../../etc', 'shard id', 'shärd', ''])('rejects the unsafe shard id "%s"', (shardId) => {
    // Prepare / Act / Assess
    expect(() => rawKey(partition, shardId, sequenceNumber(1))).toThrow(
      `shard id "${shardId}" has characters unsafe in an S3 key`,
    );
    expect(() => quarantineKey(partition, shardId, sequenceNumber(1))).toThrow(/unsafe in an S3 key/);
  });

  it.each(['abc', '12a', '-1', '1.5', ''])('rejects the non-numeric sequence number "%s"', (seq) => {
    // Prepare / Act / Assess
    expect(() => rawKey(partition, SHARD_ID, seq)).toThrow(`sequence number "${seq}" is not numeric`);
  });
});
