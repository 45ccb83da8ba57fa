import { gunzipSync, gzipSync } from 'node:zlib';

/** Newline-delimited JSON, gzipped: what pandas, DuckDB, Athena and `zcat | jq` all read. */
export function encodeNdjsonGzip(items: readonly unknown[]): Buffer {
  let text = '';
  for (const item of items) text += `${JSON.stringify(item)}\n`;
  // Level 6 is zlib's default trade-off; the bench measures it.
  return gzipSync(text);
}

export function decodeNdjsonGzip<T = unknown>(body: Uint8Array): T[] {
  const text = gunzipSync(body).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}
