import { ModelRegistry } from '../../../core/registry/model-registry.js';
import type { ObjectStore, PutOptions, StoredObject } from '../../../core/registry/object-store.js';
import type { RegisterInput } from '../../../core/registry/types.js';

/** A clock that moves one second per reading, so versions and promotions have distinct, ordered times. */
export function steppingClock(start = '2024-03-01T12:00:00.000Z', stepMs = 1_000): () => Date {
  let next = Date.parse(start);
  return () => {
    const now = new Date(next);
    next += stepMs;
    return now;
  };
}

/** Deterministic hex for version ids: 000001, 000002, ... */
export function countingHex(): () => string {
  let n = 0;
  return () => (++n).toString(16).padStart(6, '0');
}

/** A registry of one model key (the water system's forecast model by default), on a stepping clock. */
export function testRegistry(store: ObjectStore, pipeline = 'water', model = 'forecast'): ModelRegistry {
  return new ModelRegistry({ store, pipeline, model, now: steppingClock(), randomHex: countingHex() });
}

export function registerInput(overrides: Partial<RegisterInput> = {}): RegisterInput {
  return {
    artifact: { format: 'test-model', coefficients: [0.5, -0.25] },
    parameters: { order: [1, 0, 1] },
    metrics: { holdoutMae: 1.5 },
    trainedOn: [{ key: 'raw/water/dt=2024-03-01/hour=00/shardId-000000000000-1.ndjson.gz', etag: '"abc"' }],
    codeVersion: 'test-sha',
    ...overrides,
  };
}

/**
 * Wraps a store so that reads of `key` wait until `readers` reads of it have started: two
 * promotions then both read the same pointer before either writes, the race at its tightest.
 */
export function gateReads(store: ObjectStore, key: string, readers: number): ObjectStore {
  let waiting = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    async get(k: string): Promise<StoredObject | undefined> {
      if (k === key && waiting < readers) {
        const result = await store.get(k);
        if (++waiting === readers) open();
        await opened;
        return result;
      }
      return store.get(k);
    },
    put: (k: string, body: string, options?: PutOptions) => store.put(k, body, options),
    list: (prefix: string) => store.list(prefix),
  };
}
