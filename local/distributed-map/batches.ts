/** One child execution's share of the items: their indexes and its input. */
export interface Batch {
  /** Indexes into the map run's items, in order. */
  readonly indexes: readonly number[];
  readonly input: unknown;
}

/**
 * Groups selected items into child inputs as ItemBatcher does: `{ Items, BatchInput? }`, each
 * with at most `maxItems` items and at most `maxBytes` bytes of JSON (a single item larger than
 * that still gets a batch of its own). Without a batcher, each item is its own child input.
 */
export function makeBatches(
  selected: readonly unknown[],
  batcher: { maxItems?: number; maxBytes?: number; batchInput?: unknown } | undefined,
): Batch[] {
  if (!batcher) return selected.map((input, index) => ({ indexes: [index], input }));
  const maxItems = batcher.maxItems && batcher.maxItems > 0 ? batcher.maxItems : Number.POSITIVE_INFINITY;
  const maxBytes = batcher.maxBytes && batcher.maxBytes > 0 ? batcher.maxBytes : Number.POSITIVE_INFINITY;
  const inputOf = (items: unknown[]) =>
    batcher.batchInput === undefined ? { Items: items } : { Items: items, BatchInput: batcher.batchInput };
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  const batches: Batch[] = [];
  let indexes: number[] = [];
  let items: unknown[] = [];
  selected.forEach((item, index) => {
    const grown = [...items, item];
    if (items.length > 0 && (grown.length > maxItems || bytes(inputOf(grown)) > maxBytes)) {
      batches.push({ indexes, input: inputOf(items) });
      indexes = [];
      items = [];
    }
    indexes.push(index);
    items.push(item);
  });
  if (items.length > 0) batches.push({ indexes, input: inputOf(items) });
  return batches;
}
