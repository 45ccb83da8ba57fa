import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, MAX_RECORD_BYTES } from '../../../../core/streaming/envelope.js';
import { planIngest } from '../../../../core/streaming/ingest-plan.js';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../../core/streaming/ndjson.js';
import { ingestSpecs, sequenceNumber, streamRecord, waterReading } from '../../../support/factories.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('stream envelope', () => {
  it('round-trips a reading through encodeEnvelope and decodeEnvelope', () => {
    // Prepare
    const reading = waterReading({ zone: 'zone-ü' });

    // Act
    const decoded = decodeEnvelope(encodeEnvelope('water', reading));

    // Assess
    expect(decoded).toEqual({ ok: true, envelope: { pipeline: 'water', data: reading } });
  });

  it('encodes as UTF-8 JSON with exactly "pipeline" and "data"', () => {
    // Prepare / Act
    const encoded = encodeEnvelope('water', { a: 'é' });

    // Assess
    expect(encoded.toString('utf8')).toBe('{"pipeline":"water","data":{"a":"é"}}');
    expect(encoded.byteLength).toBe(38);
  });

  it('carries the producer\'s record id between "pipeline" and "data", and decodes it back', () => {
    // Prepare
    const reading = waterReading();

    // Act
    const encoded = encodeEnvelope('water', reading, '0123456789abcdef:42');

    // Assess
    expect(encoded.toString('utf8')).toMatch(/^\{"pipeline":"water","id":"0123456789abcdef:42","data":\{/);
    expect(decodeEnvelope(encoded)).toEqual({
      ok: true,
      envelope: { pipeline: 'water', id: '0123456789abcdef:42', data: reading },
    });
  });

  it('still decodes an envelope without an id (other writers, producers before the id)', () => {
    // Prepare / Act
    const decoded = decodeEnvelope(bytes('{"pipeline":"water","data":{"a":1}}'));

    // Assess
    expect(decoded).toEqual({ ok: true, envelope: { pipeline: 'water', data: { a: 1 } } });
    expect(decoded.ok && 'id' in decoded.envelope).toBe(false);
  });

  it('lets ingest write the same raw/ records and keys whether or not the envelopes carry ids', () => {
    // Prepare
    const readings = [waterReading(), waterReading({ meterId: 'zone-a-meter-02' })];
    const batch = (withIds: boolean) =>
      readings.map((reading, i) =>
        streamRecord({
          sequenceNumber: sequenceNumber(i + 1),
          data: encodeEnvelope('water', reading, withIds ? `0123456789abcdef:${i}` : undefined),
        }),
      );

    // Act
    const withIds = planIngest(batch(true), ingestSpecs);
    const without = planIngest(batch(false), ingestSpecs);

    // Assess
    expect(withIds).toEqual(without);
    expect(withIds[0]?.raw?.records).toEqual(readings);
    expect(withIds[0]?.quarantines).toEqual([]);
  });

  it('accepts data that is null (the pipeline schema judges it, not the envelope)', () => {
    // Prepare / Act
    const decoded = decodeEnvelope(bytes('{"pipeline":"water","data":null}'));

    // Assess
    expect(decoded).toEqual({ ok: true, envelope: { pipeline: 'water', data: null } });
  });

  it('names the pipeline when the envelope lacks data, so quarantine can file it', () => {
    // Prepare / Act
    const decoded = decodeEnvelope(bytes('{"pipeline":"water"}'));

    // Assess
    expect(decoded).toEqual({ ok: false, reason: 'envelope has no "data" field', pipeline: 'water' });
  });

  it('rejects a record one byte over the 1 MiB limit before decoding it', () => {
    // Prepare
    const big = new Uint8Array(MAX_RECORD_BYTES + 1).fill(0x20);

    // Act
    const decoded = decodeEnvelope(big);

    // Assess
    expect(decoded).toEqual({
      ok: false,
      reason: `record is ${MAX_RECORD_BYTES + 1} bytes, over the 1 MiB (1048576 bytes) record limit`,
    });
  });
});

describe('gzipped NDJSON', () => {
  it('round-trips records, one JSON document per line', () => {
    // Prepare
    const records = [
      waterReading(),
      waterReading({ temperature: null, zone: 'line\nbreak' }),
      { nested: [1] },
    ];

    // Act
    const encoded = encodeNdjsonGzip(records);

    // Assess
    expect(decodeNdjsonGzip(encoded)).toEqual(records);
    expect(encoded[0]).toBe(0x1f);
    expect(encoded[1]).toBe(0x8b);
  });

  it('round-trips an empty list', () => {
    // Prepare / Act / Assess
    expect(decodeNdjsonGzip(encodeNdjsonGzip([]))).toEqual([]);
  });
});
