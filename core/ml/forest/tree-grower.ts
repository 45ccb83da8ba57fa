import type { BinnedFeatures } from './binning.js';
import type { Rng } from './rng.js';

/** What the tree predicts: class distributions (K values per leaf) or a mean (1 value per leaf). */
export type TreeTarget =
  | { kind: 'classification'; nClasses: number; classIndex: Uint32Array; entropy: boolean }
  | { kind: 'regression'; target: Float64Array };

export interface GrowLimits {
  /** Infinity for unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  /** Features drawn at every split. */
  featuresPerSplit: number;
}

/**
 * One grown tree as flat arrays. Node i is a leaf when feature[i] = -1; then left[i] is its leaf
 * index and values[leaf·width .. leaf·width + width) its prediction. Otherwise a row goes to
 * left[i] when row[feature[i]] ≤ threshold[i] (or when the value is NaN and missingLeft[i] = 1)
 * and to left[i] + 1 otherwise: children are always allocated as an adjacent pair.
 */
export interface GrownTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  missingLeft: Uint8Array;
  values: Float64Array;
}

/**
 * Bin code of NaN, repeated from binning.ts (MISSING_BIN) as a module-local constant: transpilers may
 * turn an imported binding into a getter call, which is measurable in the hottest loop.
 */
const MISSING_BIN = 255;

/** Threshold of a "present values left, missing right" split: every finite value is ≤ it. */
export const PRESENT_VS_MISSING_THRESHOLD = Number.MAX_VALUE;
/** sklearn's tolerance when comparing an impurity decrease with min_impurity_decrease. */
const EPSILON = Number.EPSILON;
/** Bin index used in `bestEdge` for the present-vs-missing split. */
const ALL_PRESENT = -1;

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

/**
 * Grows decision trees over binned features with per-node histograms. Scratch buffers are sized
 * once for the worst case (2·rows − 1 nodes) and reused for every tree of a forest, so growing a
 * tree allocates only its final, trimmed arrays.
 */
export class TreeGrower {
  private readonly width: number;
  private readonly stats: number;
  private readonly hist: Float64Array;
  private readonly counts: Int32Array;
  private readonly total: Float64Array;
  private readonly leftStats: Float64Array;
  private readonly missing: Float64Array;
  private readonly order: Int32Array;
  private readonly nodeFeature: Int32Array;
  private readonly nodeThreshold: Float64Array;
  private readonly nodeLeft: Int32Array;
  private readonly nodeMissingLeft: Uint8Array;
  private readonly leafValues: Float64Array;
  // Per position of the row-index array (not per row id): the row's weight and its class or target.
  // They are permuted together with the row ids, so histogram passes read them sequentially and
  // make a single random access per row (its bin code).
  private readonly posWeight: Float64Array;
  private readonly posClass: Uint32Array;
  private readonly posTarget: Float64Array;

  // The best split of the node being processed (fields instead of an object: no allocation per node).
  private bestScore = Number.NEGATIVE_INFINITY;
  private bestFeature = -1;
  private bestEdge = 0;
  private bestMissingLeft = false;
  private bestSawMissing = false;
  private bestLeftWeight = 0;
  private bestRightWeight = 0;

  constructor(
    private readonly binned: BinnedFeatures,
    private readonly target: TreeTarget,
    private readonly limits: GrowLimits,
  ) {
    this.width = target.kind === 'classification' ? target.nClasses : 1;
    // Classification keeps the weight of each class per bin; regression keeps (weight, weighted sum).
    this.stats = target.kind === 'classification' ? target.nClasses : 2;
    this.hist = new Float64Array(256 * this.stats);
    this.counts = new Int32Array(256);
    this.total = new Float64Array(this.stats);
    this.leftStats = new Float64Array(this.stats);
    this.missing = new Float64Array(this.stats);
    this.order = new Int32Array(binned.features);
    const maxNodes = Math.max(1, 2 * binned.rows - 1);
    this.nodeFeature = new Int32Array(maxNodes);
    this.nodeThreshold = new Float64Array(maxNodes);
    this.nodeLeft = new Int32Array(maxNodes);
    this.nodeMissingLeft = new Uint8Array(maxNodes);
    this.leafValues = new Float64Array(Math.max(1, binned.rows) * this.width);
    this.posWeight = new Float64Array(binned.rows);
    this.posClass = new Uint32Array(target.kind === 'classification' ? binned.rows : 0);
    this.posTarget = new Float64Array(target.kind === 'regression' ? binned.rows : 0);
  }

  /**
   * Grows one tree on the rows listed in `rows` (permuted in place), each weighted by `weight[row]`
   * (bootstrap count × class weight). Adds each split's weighted impurity decrease to
   * `importances[feature]`.
   */
  grow(rows: Uint32Array, weight: Float64Array, rng: Rng, importances: Float64Array): GrownTree {
    const { maxDepth, minSamplesSplit, minSamplesLeaf } = this.limits;
    let rootWeight = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      const w = weight[r] as number;
      this.posWeight[i] = w;
      rootWeight += w;
    }
    if (this.target.kind === 'classification') {
      const classIndex = this.target.classIndex;
      for (let i = 0; i < rows.length; i++) this.posClass[i] = classIndex[rows[i] as number] as number;
    } else {
      const target = this.target.target;
      for (let i = 0; i < rows.length; i++) this.posTarget[i] = target[rows[i] as number] as number;
    }
    const stack: number[] = [0, rows.length, 0, 0];
    let nodeCount = 1;
    let leafCount = 0;
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const depth = stack.pop() as number;
      const end = stack.pop() as number;
      const start = stack.pop() as number;
      const n = end - start;
      const pure = this.nodeTotals(start, end);
      let split = false;
      if (!pure && n >= minSamplesSplit && n >= 2 * minSamplesLeaf && depth < maxDepth) {
        split = this.findSplit(rows, start, end, rng, rootWeight);
      }
      if (!split) {
        this.writeLeaf(node, leafCount++);
        continue;
      }
      const feature = this.bestFeature;
      const missingLeft = this.bestSawMissing
        ? this.bestMissingLeft
        : this.bestLeftWeight >= this.bestRightWeight;
      const binThreshold = this.bestEdge === ALL_PRESENT ? MISSING_BIN - 1 : this.bestEdge;
      const mid = this.partition(rows, start, end, feature, binThreshold, missingLeft);
      const leftChild = nodeCount;
      nodeCount += 2;
      this.nodeFeature[node] = feature;
      this.nodeThreshold[node] =
        this.bestEdge === ALL_PRESENT
          ? PRESENT_VS_MISSING_THRESHOLD
          : ((this.binned.edges[feature] as Float64Array)[this.bestEdge] as number);
      this.nodeLeft[node] = leftChild;
      this.nodeMissingLeft[node] = missingLeft ? 1 : 0;
      importances[feature] = (importances[feature] as number) + (this.bestScore - this.parentScore);
      // Right pushed first so the left subtree is grown first (depth-first, deterministic order).
      stack.push(mid, end, depth + 1, leftChild + 1);
      stack.push(start, mid, depth + 1, leftChild);
    }
    return {
      feature: this.nodeFeature.slice(0, nodeCount),
      threshold: this.nodeThreshold.slice(0, nodeCount),
      left: this.nodeLeft.slice(0, nodeCount),
      missingLeft: this.nodeMissingLeft.slice(0, nodeCount),
      values: this.leafValues.slice(0, leafCount * this.width),
    };
  }

  /** Impurity "score" of the node itself in the same units as split scores (see findSplit). */
  private parentScore = 0;
  private nodeWeight = 0;

  /** Sums the node's statistics into `total`; returns whether the node is pure. */
  private nodeTotals(start: number, end: number): boolean {
    const total = this.total;
    total.fill(0);
    let w = 0;
    if (this.target.kind === 'classification') {
      const posClass = this.posClass;
      const posWeight = this.posWeight;
      for (let i = start; i < end; i++) {
        const c = posClass[i] as number;
        total[c] = (total[c] as number) + (posWeight[i] as number);
      }
      let present = 0;
      let score = 0;
      for (let c = 0; c < total.length; c++) {
        const tc = total[c] as number;
        w += tc;
        if (tc > 0) present++;
      }
      if (this.target.entropy) {
        for (let c = 0; c < total.length; c++) score += xlogx(total[c] as number);
        score -= xlogx(w);
      } else {
        for (let c = 0; c < total.length; c++) score += (total[c] as number) ** 2;
        score /= w;
      }
      this.parentScore = score;
      this.nodeWeight = w;
      return present <= 1;
    }
    const posTarget = this.posTarget;
    const posWeight = this.posWeight;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const y = posTarget[i] as number;
      const wr = posWeight[i] as number;
      w += wr;
      sum += wr * y;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    total[0] = w;
    total[1] = sum;
    this.parentScore = (sum * sum) / w;
    this.nodeWeight = w;
    return min === max;
  }

  private writeLeaf(node: number, leaf: number): void {
    this.nodeFeature[node] = -1;
    this.nodeThreshold[node] = 0;
    this.nodeLeft[node] = leaf;
    this.nodeMissingLeft[node] = 0;
    const total = this.total;
    const w = this.nodeWeight;
    if (this.target.kind === 'classification') {
      const base = leaf * this.width;
      for (let c = 0; c < this.width; c++) this.leafValues[base + c] = (total[c] as number) / w;
    } else {
      this.leafValues[leaf] = (total[1] as number) / w;
    }
  }

  /**
   * Draws features one by one (partial Fisher–Yates) and scans each one's histogram. Like
   * scikit-learn, it keeps drawing past `featuresPerSplit` while no valid split has been found, and
   * features that are constant in the node do not count towards the draw.
   */
  private findSplit(rows: Uint32Array, start: number, end: number, rng: Rng, rootWeight: number): boolean {
    const order = this.order;
    const nFeatures = order.length;
    for (let f = 0; f < nFeatures; f++) order[f] = f;
    this.bestScore = Number.NEGATIVE_INFINITY;
    this.bestFeature = -1;
    let informative = 0;
    for (let j = 0; j < nFeatures; j++) {
      if (informative >= this.limits.featuresPerSplit && this.bestFeature >= 0) break;
      const pick = j + rng.nextInt(nFeatures - j);
      const feature = order[pick] as number;
      order[pick] = order[j] as number;
      order[j] = feature;
      const varies =
        this.target.kind === 'classification'
          ? this.scanClassification(rows, start, end, feature)
          : this.scanRegression(rows, start, end, feature);
      if (varies) informative++;
    }
    if (this.bestFeature < 0) return false;
    const decrease = this.bestScore - this.parentScore;
    return decrease / rootWeight + EPSILON >= this.limits.minImpurityDecrease;
  }

  /**
   * Builds the histogram of one feature over the node's rows (touching only the bins in use) and
   * evaluates every boundary between non-empty bins, with missing values sent left and right.
   * Gini score = Σ_children Σ_k w_k² / W_child (higher is better; child impurity = W − score).
   * Entropy score = Σ_children (Σ_k w_k ln w_k − W_child ln W_child). Returns whether the feature
   * takes more than one bin in this node.
   */
  private scanClassification(rows: Uint32Array, start: number, end: number, feature: number): boolean {
    const target = this.target as Extract<TreeTarget, { kind: 'classification' }>;
    const posClass = this.posClass;
    const posWeight = this.posWeight;
    const k = target.nClasses;
    const hist = this.hist;
    const counts = this.counts;
    const missing = this.missing;
    const codes = this.binned.codes;
    const offset = feature * this.binned.rows;
    missing.fill(0);
    let missingCount = 0;
    let lo = 256;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      const b = codes[offset + r] as number;
      const c = posClass[i] as number;
      const w = posWeight[i] as number;
      if (b === MISSING_BIN) {
        missing[c] = (missing[c] as number) + w;
        missingCount++;
      } else {
        const at = b * k + c;
        hist[at] = (hist[at] as number) + w;
        counts[b] = (counts[b] as number) + 1;
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    const varies = hi > lo || (hi >= 0 && missingCount > 0);
    if (varies) {
      const n = end - start;
      const left = this.leftStats;
      left.fill(0);
      let leftCount = 0;
      let previous = -1;
      for (let b = lo; b <= hi; b++) {
        const binCount = counts[b] as number;
        if (binCount === 0) continue;
        if (previous >= 0) {
          this.evaluateClassification(feature, (previous + b - 1) >> 1, leftCount, n, missingCount, k);
        }
        const at = b * k;
        for (let c = 0; c < k; c++) left[c] = (left[c] as number) + (hist[at + c] as number);
        leftCount += binCount;
        previous = b;
      }
      if (missingCount > 0) this.evaluateClassification(feature, ALL_PRESENT, leftCount, n, 0, k);
    }
    if (hi >= 0) {
      hist.fill(0, lo * k, (hi + 1) * k);
      counts.fill(0, lo, hi + 1);
    }
    return varies;
  }

  /** Scores "left stats | rest" and, when the node has missing values, "left + missing | rest". */
  private evaluateClassification(
    feature: number,
    edge: number,
    leftCount: number,
    n: number,
    missingCount: number,
    k: number,
  ): void {
    const minLeaf = this.limits.minSamplesLeaf;
    const entropy = (this.target as Extract<TreeTarget, { kind: 'classification' }>).entropy;
    const total = this.total;
    const left = this.leftStats;
    const missing = this.missing;
    // Missing values go right (edge = ALL_PRESENT: the present-vs-missing split is this case only).
    for (let pass = 0; pass < (missingCount > 0 ? 2 : 1); pass++) {
      const missingLeft = pass === 1;
      const nl = missingLeft ? leftCount + missingCount : leftCount;
      const nr = n - nl;
      if (nl < minLeaf || nr < minLeaf) continue;
      let wl = 0;
      let wr = 0;
      let score = 0;
      let sl = 0;
      let sr = 0;
      for (let c = 0; c < k; c++) {
        const l = (left[c] as number) + (missingLeft ? (missing[c] as number) : 0);
        const r = Math.max(0, (total[c] as number) - l);
        wl += l;
        wr += r;
        if (entropy) {
          sl += xlogx(l);
          sr += xlogx(r);
        } else {
          sl += l * l;
          sr += r * r;
        }
      }
      if (wl <= 0 || wr <= 0) continue;
      score = entropy ? sl - xlogx(wl) + sr - xlogx(wr) : sl / wl + sr / wr;
      if (score > this.bestScore) {
        this.bestScore = score;
        this.bestFeature = feature;
        this.bestEdge = edge;
        this.bestMissingLeft = missingLeft;
        this.bestSawMissing = missingCount > 0 || edge === ALL_PRESENT;
        this.bestLeftWeight = wl;
        this.bestRightWeight = wr;
      }
    }
  }

  /** Variance reduction: score = S_l²/W_l + S_r²/W_r (child squared error = Σwy² − score). */
  private scanRegression(rows: Uint32Array, start: number, end: number, feature: number): boolean {
    const posTarget = this.posTarget;
    const posWeight = this.posWeight;
    const hist = this.hist;
    const counts = this.counts;
    const codes = this.binned.codes;
    const offset = feature * this.binned.rows;
    let missingW = 0;
    let missingS = 0;
    let missingCount = 0;
    let lo = 256;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      const b = codes[offset + r] as number;
      const w = posWeight[i] as number;
      const wy = w * (posTarget[i] as number);
      if (b === MISSING_BIN) {
        missingW += w;
        missingS += wy;
        missingCount++;
      } else {
        const at = b * 2;
        hist[at] = (hist[at] as number) + w;
        hist[at + 1] = (hist[at + 1] as number) + wy;
        counts[b] = (counts[b] as number) + 1;
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    const varies = hi > lo || (hi >= 0 && missingCount > 0);
    if (varies) {
      const n = end - start;
      const totalW = this.total[0] as number;
      const totalS = this.total[1] as number;
      const minLeaf = this.limits.minSamplesLeaf;
      let leftW = 0;
      let leftS = 0;
      let leftCount = 0;
      let previous = -1;
      for (let b = lo; b <= hi + 1; b++) {
        const last = b === hi + 1;
        const binCount = last ? 0 : (counts[b] as number);
        if (!last && binCount === 0) continue;
        if (previous >= 0 && (!last || missingCount > 0)) {
          const edge = last ? ALL_PRESENT : (previous + b - 1) >> 1;
          for (let pass = 0; pass < (missingCount > 0 && !last ? 2 : 1); pass++) {
            const missingLeft = pass === 1;
            const nl = missingLeft ? leftCount + missingCount : leftCount;
            const nr = n - nl;
            if (nl < minLeaf || nr < minLeaf) continue;
            const wl = missingLeft ? leftW + missingW : leftW;
            const sl = missingLeft ? leftS + missingS : leftS;
            const wr = totalW - wl;
            const sr = totalS - sl;
            if (wl <= 0 || wr <= 0) continue;
            const score = (sl * sl) / wl + (sr * sr) / wr;
            if (score > this.bestScore) {
              this.bestScore = score;
              this.bestFeature = feature;
              this.bestEdge = edge;
              this.bestMissingLeft = missingLeft;
              this.bestSawMissing = missingCount > 0;
              this.bestLeftWeight = wl;
              this.bestRightWeight = wr;
            }
          }
        }
        if (last) break;
        leftW += hist[b * 2] as number;
        leftS += hist[b * 2 + 1] as number;
        leftCount += binCount;
        previous = b;
      }
    }
    if (hi >= 0) {
      hist.fill(0, lo * 2, (hi + 1) * 2);
      counts.fill(0, lo, hi + 1);
    }
    return varies;
  }

  /** Moves the node's rows that go left to the front of [start, end); returns the boundary. */
  private partition(
    rows: Uint32Array,
    start: number,
    end: number,
    feature: number,
    binThreshold: number,
    missingLeft: boolean,
  ): number {
    const codes = this.binned.codes;
    const offset = feature * this.binned.rows;
    const posWeight = this.posWeight;
    // Only the array that the task uses is swapped (the other one is empty).
    const posLabel = this.target.kind === 'classification' ? this.posClass : this.posTarget;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const r = rows[i] as number;
      const b = codes[offset + r] as number;
      const goesLeft = b === MISSING_BIN ? missingLeft : b <= binThreshold;
      if (goesLeft) {
        i++;
      } else {
        rows[i] = rows[j] as number;
        rows[j] = r;
        const w = posWeight[i] as number;
        posWeight[i] = posWeight[j] as number;
        posWeight[j] = w;
        const label = posLabel[i] as number;
        posLabel[i] = posLabel[j] as number;
        posLabel[j] = label;
        j--;
      }
    }
    return i;
  }
}
