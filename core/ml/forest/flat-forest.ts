import type { GrownTree } from './tree-grower.js';
import type { FeatureMatrix, FeatureRow } from './validate.js';

/**
 * All trees of a forest in six flat arrays (the in-memory and the on-disk layout). Tree t's nodes
 * are [treeOffsets[t], treeOffsets[t+1]) and its root is the first of them. Child and leaf indices
 * are global: for an internal node, left[i] is the left child and left[i] + 1 the right child; for
 * a leaf (feature[i] = -1), left[i] is the leaf number and its prediction is
 * values[left[i]·valueWidth .. (left[i] + 1)·valueWidth).
 */
export interface FlatForest {
  valueWidth: number;
  treeOffsets: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  missingLeft: Uint8Array;
  values: Float64Array;
}

/** Concatenates grown trees, turning their local child and leaf indices into global ones. */
export function flattenTrees(trees: GrownTree[], valueWidth: number): FlatForest {
  let nodes = 0;
  let valueLength = 0;
  for (const tree of trees) {
    nodes += tree.feature.length;
    valueLength += tree.values.length;
  }
  const forest: FlatForest = {
    valueWidth,
    treeOffsets: new Int32Array(trees.length + 1),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    missingLeft: new Uint8Array(nodes),
    values: new Float64Array(valueLength),
  };
  let nodeOffset = 0;
  let leafOffset = 0;
  trees.forEach((tree, t) => {
    forest.treeOffsets[t] = nodeOffset;
    forest.feature.set(tree.feature, nodeOffset);
    forest.threshold.set(tree.threshold, nodeOffset);
    forest.missingLeft.set(tree.missingLeft, nodeOffset);
    forest.values.set(tree.values, leafOffset * valueWidth);
    for (let i = 0; i < tree.feature.length; i++) {
      const local = tree.left[i] as number;
      forest.left[nodeOffset + i] = (tree.feature[i] as number) < 0 ? local + leafOffset : local + nodeOffset;
    }
    nodeOffset += tree.feature.length;
    leafOffset += tree.values.length / valueWidth;
  });
  forest.treeOffsets[trees.length] = nodeOffset;
  return forest;
}

/**
 * Leaf number reached by one raw row from `root`. A value goes left when value ≤ threshold; NaN
 * fails every comparison, so it goes left only where the split learned missingLeft = 1.
 */
export function leafOf(
  feature: Int32Array,
  threshold: Float64Array,
  left: Int32Array,
  missingLeft: Uint8Array,
  root: number,
  row: FeatureRow,
): number {
  let node = root;
  let f = feature[node] as number;
  while (f >= 0) {
    const value = row[f] as number;
    const goLeft = value <= (threshold[node] as number) || (Number.isNaN(value) && missingLeft[node] === 1);
    node = goLeft ? (left[node] as number) : (left[node] as number) + 1;
    f = feature[node] as number;
  }
  return left[node] as number;
}

/**
 * Mean of the trees' leaf values for every row, row-major (rows × valueWidth). Trees are the outer
 * loop so one tree's nodes stay in cache while all rows pass through it.
 */
export function predictFlat(forest: FlatForest, rows: FeatureMatrix): Float64Array {
  const width = forest.valueWidth;
  const out = new Float64Array(rows.length * width);
  const nTrees = forest.treeOffsets.length - 1;
  const { feature, threshold, left, missingLeft, values } = forest;
  for (let t = 0; t < nTrees; t++) {
    const root = forest.treeOffsets[t] as number;
    for (let i = 0; i < rows.length; i++) {
      const leaf = leafOf(feature, threshold, left, missingLeft, root, rows[i] as FeatureRow);
      const from = leaf * width;
      const to = i * width;
      for (let k = 0; k < width; k++) out[to + k] = (out[to + k] as number) + (values[from + k] as number);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / nTrees;
  return out;
}
