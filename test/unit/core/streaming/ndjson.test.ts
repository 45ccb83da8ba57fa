import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../../core/streaming/ndjson.js';

describe('gzipped NDJSON', () => {
  it('reads back what it wrote, multi-byte text included', () => {
    // Prepare
    const items = [{ city: 'Zürich', note: '東京 → 🚀' }, { n: 1 }, {}];
    // Act
    const decoded = decodeNdjsonGzip(encodeNdjsonGzip(items));
    // Assess
    expect(decoded).toEqual(items);
  });

  it('skips blank lines and tolerates CRLF line ends and a missing last newline, as other writers produce', () => {
    // Prepare
    const body = gzipSync('{"a":1}\r\n\n{"b":"ü"}\r\n{"c":3}');
    // Act / Assess
    expect(decodeNdjsonGzip(body)).toEqual([{ a: 1 }, { b: 'ü' }, { c: 3 }]);
  });
});
