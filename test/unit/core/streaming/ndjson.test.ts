import { gunzipSync, gzipSync } from 'node:zlib';
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

  it('writes a large set as consecutive gzip members that any gunzip reads as one file', () => {
    // Prepare: about 10 MB of text, past one member's 8 MB
    const items = Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'x'.repeat(90) }));
    // Act
    const body = encodeNdjsonGzip(items);
    // Assess: read back whole, by this reader and by a plain gunzip
    expect(decodeNdjsonGzip(body)).toEqual(items);
    expect(gunzipSync(body).toString('utf8').split('\n')).toHaveLength(items.length + 1);
  });
});
