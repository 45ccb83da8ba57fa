import { gunzipSync, gzipSync } from 'node:zlib';

/** Newline-delimited JSON, gzipped: what pandas, DuckDB, Athena and `zcat | jq` all read. */
export function encodeNdjsonGzip(items: readonly unknown[]): Buffer {
  // Gzipped a few megabytes at a time, as consecutive gzip members (one valid .gz file: gunzip,
  // zcat, DuckDB and Athena read them all): a million-row initial share would otherwise be one
  // text of ~180 MB beside its rows, past a 512 MB function's memory.
  const members: Buffer[] = [];
  let text = '';
  for (const item of items) {
    text += `${JSON.stringify(item)}\n`;
    if (text.length >= GZIP_MEMBER_CHARS) {
      members.push(gzipSync(text));
      text = '';
    }
  }
  // Level 6 is zlib's default trade-off; the bench measures it.
  if (text.length > 0 || members.length === 0) members.push(gzipSync(text));
  return members.length === 1 ? (members[0] as Buffer) : Buffer.concat(members);
}

/** Characters of NDJSON per gzip member (about 8 MB). */
const GZIP_MEMBER_CHARS = 8 * 2 ** 20;

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
