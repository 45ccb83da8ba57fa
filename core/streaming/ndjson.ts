import { gunzipSync, gzipSync } from 'node:zlib';

/** Newline-delimited JSON, gzipped: what pandas, DuckDB, Athena and `zcat | jq` all read. */
export function encodeNdjsonGzip(items: readonly unknown[]): Buffer {
  let text = '';
  for (const item of items) text += `${JSON.stringify(item)}\n`;
  // Level 6 is zlib's default trade-off; the bench measures it.
  return gzipSync(text);
}

/**
 * The items of a gzipped NDJSON object. Lines are cut from the decompressed bytes one at a time:
 * the whole text is never one string, which V8 caps at about 512 MB (a large data set's initial
 * share, decoded at once, failed there whatever the memory).
 */
export function decodeNdjsonGzip<T = unknown>(body: Uint8Array): T[] {
  const bytes = gunzipSync(body);
  const items: T[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (end > start) items.push(JSON.parse(bytes.toString('utf8', start, end)) as T);
    start = end + 1;
  }
  return items;
}
