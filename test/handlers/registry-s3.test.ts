import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../adapters/s3-object-store.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import type { ObjectStore } from '../../core/registry/object-store.js';
import type { PromotionResult } from '../../core/registry/types.js';
import { createS3Client } from '../../lambdas/platform/clients.js';
import { startTestEmulators, type TestEmulators } from '../support/emulators.js';
import { gateReads, registerInput } from '../unit/registry/registry-fixtures.js';

let emulators: TestEmulators;
let s3: S3Client;
let store: S3ObjectStore;
let pipelineCounter = 0;
/** The model key of every registry here: each test has a pipeline of its own instead. */
const MODEL = 'forecast';

beforeAll(async () => {
  emulators = await startTestEmulators({ kinesis: false });
  // The client a handler would build: same environment, same checksum settings.
  s3 = createS3Client();
  store = new S3ObjectStore(s3, emulators.artifactsBucket);
});
afterAll(async () => {
  s3?.destroy();
  await emulators?.stop();
});

/** A fresh pipeline per test, so tests share the emulator without sharing a registry. */
function freshRegistry(over: ObjectStore = store, pipeline = `race-${++pipelineCounter}`): ModelRegistry {
  return new ModelRegistry({ store: over, pipeline, model: MODEL });
}

async function putRaw(key: string, body: string, condition: { IfMatch?: string; IfNoneMatch?: string } = {}) {
  return s3.send(
    new PutObjectCommand({ Bucket: emulators.artifactsBucket, Key: key, Body: body, ...condition }),
  );
}

async function readRaw(key: string): Promise<{ body: string; etag: string | undefined }> {
  const response = await s3.send(new GetObjectCommand({ Bucket: emulators.artifactsBucket, Key: key }));
  return { body: (await response.Body?.transformToString()) ?? '', etag: response.ETag };
}

function statusOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 200,
    (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => [
      error.name,
      error.$metadata?.httpStatusCode,
    ],
  );
}

describe('S3 emulator enforces conditional writes like S3', () => {
  it('answers If-None-Match: * on an existing key with 412 and keeps the object', async () => {
    // Prepare
    await putRaw('conditional/create-only.json', 'first');

    // Act
    const status = await statusOf(putRaw('conditional/create-only.json', 'second', { IfNoneMatch: '*' }));

    // Assess
    expect(status).toEqual(['PreconditionFailed', 412]);
    expect((await readRaw('conditional/create-only.json')).body).toBe('first');
  });

  it('creates with If-None-Match: * when the key is free', async () => {
    // Prepare / Act
    const status = await statusOf(putRaw('conditional/free.json', 'new', { IfNoneMatch: '*' }));

    // Assess
    expect(status).toBe(200);
    expect((await readRaw('conditional/free.json')).body).toBe('new');
  });

  it('answers If-Match with a wrong ETag with 412, and writes with the right one', async () => {
    // Prepare
    await putRaw('conditional/cas.json', 'v1');
    const { etag } = await readRaw('conditional/cas.json');

    // Act
    const wrong = await statusOf(
      putRaw('conditional/cas.json', 'v2', { IfMatch: '"0123456789abcdef0123456789abcdef"' }),
    );
    const afterWrong = (await readRaw('conditional/cas.json')).body;
    const right = await statusOf(putRaw('conditional/cas.json', 'v3', { IfMatch: etag ?? '' }));

    // Assess
    expect(wrong).toEqual(['PreconditionFailed', 412]);
    expect(afterWrong).toBe('v1');
    expect(right).toBe(200);
    expect((await readRaw('conditional/cas.json')).body).toBe('v3');
  });

  it('maps the 412 to PreconditionFailedError and pages through ListObjectsV2', async () => {
    // Prepare
    const paged = new S3ObjectStore(s3, emulators.artifactsBucket, 2);
    for (const n of [1, 2, 3, 4, 5]) await paged.put(`paging/${n}.json`, String(n), { ifNoneMatch: '*' });

    // Act
    const keys = await paged.list('paging/');
    const again = paged.put('paging/1.json', 'again', { ifNoneMatch: '*' });

    // Assess
    expect(keys).toEqual([1, 2, 3, 4, 5].map((n) => `paging/${n}.json`));
    await expect(again).rejects.toMatchObject({
      name: 'PreconditionFailedError',
      condition: 'If-None-Match',
    });
  });
});

describe('model registry over the S3 emulator', () => {
  /** Two retrains finish together: both register, then both promote. */
  async function race(registry: ModelRegistry, expectedChampion?: string | null): Promise<PromotionResult[]> {
    const [a, b] = await Promise.all([
      registry.register(registerInput()),
      registry.register(registerInput()),
    ]);
    const options = { reason: 'race', ...(expectedChampion === undefined ? {} : { expectedChampion }) };
    return Promise.all([registry.promote(a.version, options), registry.promote(b.version, options)]);
  }

  async function expectOneChampion(
    registry: ModelRegistry,
    results: PromotionResult[],
    historyLength: number,
  ) {
    const champion = await registry.champion();
    expect(results.filter((result) => result.promoted)).toHaveLength(1);
    expect(results.find((result) => !result.promoted)).toMatchObject({
      reason: `lost a concurrent promotion to ${champion?.version}`,
    });
    const history = await registry.history();
    expect(history).toHaveLength(historyLength);
    expect(history.at(-1)?.version).toBe(champion?.version);
    const stable = JSON.parse(
      (await readRaw(`models/${registry.pipeline}/${registry.model}/champion/metadata.json`)).body,
    );
    expect(stable.version).toBe(champion?.version);
  }

  /** The registry of `pipeline` whose next two pointer reads wait for each other. */
  function gatedRegistry(pipeline: string): ModelRegistry {
    return new ModelRegistry({
      store: gateReads(store, `models/${pipeline}/${MODEL}/champion.json`, 2),
      pipeline,
      model: MODEL,
    });
  }

  it('lets exactly one of two promotions at once win when both read the pointer before either writes', async () => {
    for (let round = 0; round < 5; round++) {
      // Prepare: both promotions see the same pointer (none, then a champion), so only the
      // emulator's answer to the conditional pointer write (If-None-Match, then If-Match) decides.
      const pipeline = `race-${++pipelineCounter}`;
      const reader = freshRegistry(store, pipeline);

      // Act / Assess: the first champion, then its replacement.
      await expectOneChampion(reader, await race(gatedRegistry(pipeline)), 1);
      await expectOneChampion(reader, await race(gatedRegistry(pipeline)), 2);
    }
  });

  it('lets exactly one of two retrains judged against the same champion win, round after round', async () => {
    // Prepare
    const registry = freshRegistry();

    for (let round = 1; round <= 8; round++) {
      // Act: natural timing; each retrain was compared with the champion of the round's start.
      const results = await race(registry, (await registry.champion())?.version ?? null);

      // Assess: one history entry per successful promotion, never two.
      await expectOneChampion(registry, results, round);
    }
  });

  it('rolls back to the previous champion and records it, then refuses with no previous left', async () => {
    // Prepare
    const registry = freshRegistry();
    const good = await registry.register(registerInput({ artifact: { name: 'good' } }));
    const bad = await registry.register(registerInput({ artifact: { name: 'bad' } }));
    await registry.promote(good.version, { reason: 'first' });
    await registry.promote(bad.version, { reason: 'better holdout' });

    // Act
    const result = await registry.rollback({ reason: 'live errors doubled' });

    // Assess
    expect(result).toMatchObject({ promoted: true, replaced: bad.version });
    expect((await registry.loadChampion())?.model.artifact).toEqual({ name: 'good' });
    expect(
      JSON.parse((await readRaw(`models/${registry.pipeline}/${registry.model}/champion/model.json`)).body),
    ).toEqual({
      name: 'good',
    });
    expect((await registry.history()).map((entry) => [entry.action, entry.version, entry.reason])).toEqual([
      ['promote', good.version, 'first'],
      ['promote', bad.version, 'better holdout'],
      ['rollback', good.version, 'live errors doubled'],
    ]);
    await expect(registry.rollback({ reason: 'again' })).rejects.toMatchObject({
      code: 'NoPreviousChampion',
    });
  });
});
