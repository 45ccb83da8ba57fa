import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../core/registry/memory-object-store.js';
import { PreconditionFailedError } from '../../../core/registry/object-store.js';

describe('in-memory object store (S3 conditional-write rules)', () => {
  it('returns what was put with a quoted MD5 ETag, as S3 does for single-part uploads', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    const { etag } = await store.put('a.json', '1');
    const stored = await store.get('a.json');

    // Assess
    expect(etag).toBe('"c4ca4238a0b923820dcc509a6f75849b"');
    expect(stored).toEqual({ body: '1', etag });
    expect(await store.get('missing.json')).toBeUndefined();
  });

  it('refuses If-None-Match: * on an existing key and keeps the first body', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    await store.put('a.json', 'first', { ifNoneMatch: '*' });

    // Act
    const second = store.put('a.json', 'second', { ifNoneMatch: '*' });

    // Assess
    await expect(second).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.get('a.json'))?.body).toBe('first');
  });

  it('writes with If-Match only when the ETag is the current one (quotes optional)', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const { etag } = await store.put('a.json', 'v1');

    // Act
    const wrong = store.put('a.json', 'v2', { ifMatch: '"0123456789abcdef0123456789abcdef"' });
    await expect(wrong).rejects.toMatchObject({ name: 'PreconditionFailedError', condition: 'If-Match' });
    const right = await store.put('a.json', 'v3', { ifMatch: etag.replaceAll('"', '') });

    // Assess
    expect(await store.get('a.json')).toEqual({ body: 'v3', etag: right.etag });
  });

  it('refuses If-Match on a missing key', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    const write = store.put('a.json', 'v1', { ifMatch: '"c4ca4238a0b923820dcc509a6f75849b"' });

    // Assess
    await expect(write).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await store.get('a.json')).toBeUndefined();
  });

  it('lets exactly one of two simultaneous create-only writes through', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    const results = await Promise.allSettled([
      store.put('a.json', 'left', { ifNoneMatch: '*' }),
      store.put('a.json', 'right', { ifNoneMatch: '*' }),
    ]);

    // Assess
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('lists the keys under a prefix in byte order', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    for (const key of ['m/b', 'm/a/2', 'n/x', 'm/a/1']) await store.put(key, '');

    // Act
    const keys = await store.list('m/');

    // Assess
    expect(keys).toEqual(['m/a/1', 'm/a/2', 'm/b']);
  });
});
