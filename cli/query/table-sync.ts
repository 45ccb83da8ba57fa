/**
 * A local copy of the objects under a table's prefix, kept in step with the bucket through the
 * S3 API: `<cache>/<bucket>/<key>`. An index of ETags remembers what each local file is a copy
 * of, so a second query downloads only what changed, and files whose object is gone (raw/ moved
 * to archive/) are removed, so the copy never shows data the bucket no longer has.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { getBytes, listObjects } from '../../adapters/s3-object-store.js';

export interface SyncStats {
  /** Data objects under the prefix now (and so in the copy). */
  readonly objects: number;
  readonly downloaded: number;
  readonly unchanged: number;
  /** Local files removed because their object is gone. */
  readonly removed: number;
  readonly bytesDownloaded: number;
}

const INDEX_FILE = 'index.json';
/** Downloads at once: enough to hide per-request latency, few enough for a laptop's sockets. */
const PARALLEL = 8;

/** `<bucket>/<key>` → the ETag of the object the local file was copied from. */
export class CacheIndex {
  private constructor(
    private readonly file: string,
    private readonly etags: Map<string, string>,
  ) {}

  static load(cacheDir: string): CacheIndex {
    const file = path.join(cacheDir, INDEX_FILE);
    let entries: Record<string, string> = {};
    try {
      entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      // No index yet, or a broken one: every file is downloaded again, which is always correct.
    }
    return new CacheIndex(file, new Map(Object.entries(entries)));
  }

  get(id: string): string | undefined {
    return this.etags.get(id);
  }

  set(id: string, etag: string): void {
    this.etags.set(id, etag);
  }

  delete(id: string): void {
    this.etags.delete(id);
  }

  idsUnder(prefix: string): string[] {
    return [...this.etags.keys()].filter((id) => id.startsWith(prefix));
  }

  save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(this.etags), null, 1)}\n`);
    renameSync(temporary, this.file);
  }
}

/** Where the copy of a bucket's prefix lives. */
export function localDirectory(cacheDir: string, bucket: string, prefix: string): string {
  return path.join(cacheDir, bucket, ...prefix.split('/').filter(Boolean));
}

/**
 * Brings the copy of `s3://bucket/prefix` (objects whose key ends with `suffix`) up to date.
 * The index is updated in memory; the caller saves it once after every table.
 */
export async function syncPrefix(
  s3: S3Client,
  options: { bucket: string; prefix: string; suffix: string; cacheDir: string; index: CacheIndex },
): Promise<SyncStats> {
  const { bucket, prefix, suffix, cacheDir, index } = options;
  const listed = (await listObjects(s3, bucket, prefix)).filter(
    (object) => object.key.endsWith(suffix) && isSafeKey(object.key),
  );
  const wanted = new Set(listed.map((object) => `${bucket}/${object.key}`));
  let removed = 0;
  for (const id of index.idsUnder(`${bucket}/${prefix}`)) {
    if (wanted.has(id) || !id.endsWith(suffix)) continue;
    rmSync(path.join(cacheDir, ...id.split('/')), { force: true });
    index.delete(id);
    removed++;
  }
  const stale = listed.filter((object) => {
    const id = `${bucket}/${object.key}`;
    return (
      object.etag === undefined ||
      index.get(id) !== object.etag ||
      !isFile(path.join(cacheDir, ...id.split('/')))
    );
  });
  let bytesDownloaded = 0;
  let gone = 0;
  let next = 0;
  const worker = async () => {
    while (next < stale.length) {
      const object = stale[next++] as (typeof stale)[number];
      const id = `${bucket}/${object.key}`;
      const target = path.join(cacheDir, ...id.split('/'));
      const bytes = await getBytes(s3, bucket, object.key);
      if (bytes === undefined) {
        // Deleted between the listing and the download (an archive run moved it).
        rmSync(target, { force: true });
        index.delete(id);
        gone++;
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.part`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, target);
      if (object.etag !== undefined) index.set(id, object.etag);
      bytesDownloaded += bytes.byteLength;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, stale.length) }, worker));
  return {
    objects: listed.length - gone,
    downloaded: stale.length - gone,
    unchanged: listed.length - stale.length,
    removed: removed + gone,
    bytesDownloaded,
  };
}

/** Whether the copy of a table holds any data file (DuckDB's readers fail on an empty glob). */
export function hasDataFiles(directory: string, suffix: string): boolean {
  try {
    return readdirSync(directory, { recursive: true, encoding: 'utf8' }).some((name) =>
      name.endsWith(suffix),
    );
  } catch {
    return false;
  }
}

/** A key that maps to a path inside the cache (no `..`, no empty or absolute segments). */
function isSafeKey(key: string): boolean {
  return (
    !key.startsWith('/') &&
    key.split('/').every((segment) => segment !== '' && segment !== '..' && segment !== '.')
  );
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
