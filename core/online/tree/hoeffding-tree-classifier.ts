import type { Features, HoeffdingTreeConfig } from '../types.js';
import {
  type ClassifierBranch,
  ClassifierLeaf,
  type ClassifierNode,
  type ClassifierNodeState,
  type LeafPrediction,
  nodeState,
  restoreNode,
} from './classifier-nodes.js';
import { type ClassDistribution, infoGainRange, totalWeight } from './classifier-split-criterion.js';
import { gainShares } from './gain-shares.js';

/** River's defaults that the configuration does not expose. */
const MIN_BRANCH_FRACTION = 0.01;
const MAX_SHARE_TO_SPLIT = 0.99;

export type HoeffdingTreeClassifierSettings = HoeffdingTreeConfig<LeafPrediction>;

export interface HoeffdingTreeClassifierData {
  readonly root: ClassifierNodeState | null;
  /** Per feature: the sum over its splits of info gain (≥ 0) × the weight of the leaf it split. */
  readonly splitGain: Record<string, number>;
  /** Every feature seen, in first-seen order, so importance() names them all. */
  readonly features: readonly string[];
}

interface Candidate {
  readonly merit: number;
  /** null: River's "null split" (no split), which can win only when nothing else is finite. */
  readonly feature: string | null;
  readonly threshold: number;
  readonly left: ClassDistribution | null;
  readonly right: ClassDistribution | null;
}

const NULL_SPLIT: Candidate = {
  merit: Number.NEGATIVE_INFINITY,
  feature: null,
  threshold: 0,
  left: null,
  right: null,
};

/**
 * River's `tree.HoeffdingTreeClassifier` for a binary target, with its defaults: info-gain splits
 * on Gaussian attribute observers (10 candidate thresholds), the Hoeffding bound with `delta` and
 * tie-breaking `tau`, a split attempt every `gracePeriod` records a leaf sees, River's
 * `min_branch_fraction` 0.01 and `max_share_to_split` 0.99 (a leaf that is 99 % one class stops
 * growing), null-split pre-pruning, and 'nba' leaves (naive Bayes where it has been right at least
 * as often as the majority class). Not modelled: River's memory limit (100 MB by default).
 *
 * A feature missing from a record reads as 0 when a branch tests it; observers and naive Bayes
 * use only the features present, as River's do.
 */
export class HoeffdingTreeClassifier {
  private root: ClassifierNode | null;
  private readonly splitGain: Map<string, number>;
  private readonly features: Set<string>;
  /** `features` in first-seen order, so a record listing them in that order skips the Set. */
  private readonly featureList: string[];
  /** Reused by the leaves' naive-Bayes votes so predicting allocates nothing. */
  private readonly scratch: [number, number] = [0, 0];
  /** The parent and side of the leaf `leafFor` last returned (kept here so it allocates nothing). */
  private parent: ClassifierBranch | null = null;
  private side: 0 | 1 = 0;

  constructor(
    private readonly settings: HoeffdingTreeClassifierSettings,
    data?: HoeffdingTreeClassifierData,
  ) {
    this.root = data?.root ? restoreNode(data.root) : null;
    this.splitGain = new Map(Object.entries(data?.splitGain ?? {}));
    this.features = new Set(data?.features ?? []);
    this.featureList = [...this.features];
  }

  predictProbability(x: Features): number {
    if (this.root === null) return 0.5;
    return this.leafFor(x).probability(x, this.settings.leafPrediction, this.scratch);
  }

  learn(x: Features, y: 0 | 1): void {
    this.noteFeatures(x);
    if (this.root === null) this.root = new ClassifierLeaf({ weights: [0, 0], classes: [] }, 0);
    const leaf = this.leafFor(x);
    const parent = this.parent;
    const side = this.side;
    leaf.learn(x, y, this.settings.leafPrediction, this.scratch);
    if (!leaf.active) return;
    if (leaf.depth >= this.settings.maxDepth) {
      leaf.deactivate();
      return;
    }
    const weight = totalWeight(leaf.stats);
    if (weight - leaf.lastSplitAttemptAt >= this.settings.gracePeriod) {
      this.attemptSplit(leaf, parent, side);
      leaf.lastSplitAttemptAt = weight;
    }
  }

  /** Normalised split importance: each feature's share of the total gain × weight of all splits. */
  importance(): Record<string, number> {
    return gainShares(this.splitGain, this.features);
  }

  /** Depth of the deepest leaf and the number of leaves, for reports and tests. */
  shape(): { leaves: number; depth: number; splits: { feature: string; threshold: number }[] } {
    const splits: { feature: string; threshold: number }[] = [];
    let leaves = 0;
    let depth = 0;
    const visit = (node: ClassifierNode | null): void => {
      if (node === null) return;
      if (node.kind === 'leaf') {
        leaves += 1;
        depth = Math.max(depth, node.depth);
        return;
      }
      splits.push({ feature: node.feature, threshold: node.threshold });
      visit(node.left);
      visit(node.right);
    };
    visit(this.root);
    return { leaves, depth, splits };
  }

  data(): HoeffdingTreeClassifierData {
    return {
      root: this.root ? nodeState(this.root) : null,
      splitGain: Object.fromEntries(this.splitGain),
      features: [...this.features],
    };
  }

  private noteFeatures(x: Features): void {
    const list = this.featureList;
    let i = 0;
    for (const name in x) {
      if (list[i] !== name && !this.features.has(name)) {
        this.features.add(name);
        list.push(name);
      }
      i++;
    }
  }

  /** The leaf x falls into; its parent and side are left in `parent` and `side`. */
  private leafFor(x: Features): ClassifierLeaf {
    let node = this.root as ClassifierNode;
    let parent: ClassifierBranch | null = null;
    let side: 0 | 1 = 0;
    while (node.kind === 'branch') {
      parent = node;
      side = (x[node.feature] ?? 0) <= node.threshold ? 0 : 1;
      node = side === 0 ? node.left : node.right;
    }
    this.parent = parent;
    this.side = side;
    return node;
  }

  private attemptSplit(leaf: ClassifierLeaf, parent: ClassifierBranch | null, side: 0 | 1): void {
    const stats = leaf.stats;
    let nonZero = 0;
    for (const c of stats.classes) if (stats.weights[c] !== 0) nonZero += 1;
    if (nonZero < 2) return;

    const candidates = this.candidates(leaf);
    // Python's sort is stable: among equal merits the later candidate ends up last and wins.
    const sorted = candidates
      .map((c, i) => ({ c, i }))
      .sort((a, b) => (a.c.merit < b.c.merit ? -1 : a.c.merit > b.c.merit ? 1 : a.i - b.i))
      .map((e) => e.c);
    let shouldSplit = false;
    if (sorted.length < 2) {
      shouldSplit = sorted.length > 0;
    } else {
      const n = totalWeight(stats);
      const range = infoGainRange(stats);
      const bound = Math.sqrt((range * range * Math.log(1 / this.settings.delta)) / (2 * n));
      const best = sorted[sorted.length - 1] as Candidate;
      const second = sorted[sorted.length - 2] as Candidate;
      shouldSplit = best.merit - second.merit > bound || bound < this.settings.tau;
    }
    if (!shouldSplit) return;
    const decision = sorted[sorted.length - 1] as Candidate;
    if (decision.feature === null || decision.left === null || decision.right === null) {
      leaf.deactivate();
      return;
    }
    const branch: ClassifierBranch = {
      kind: 'branch',
      feature: decision.feature,
      threshold: decision.threshold,
      depth: leaf.depth,
      stats: leaf.stats,
      left: new ClassifierLeaf(decision.left, leaf.depth + 1),
      right: new ClassifierLeaf(decision.right, leaf.depth + 1),
    };
    // A merit can come out below 0 (observers created after the leaf inherited its weights see
    // fewer records than it has); such a split adds nothing to the feature's importance.
    this.splitGain.set(
      decision.feature,
      (this.splitGain.get(decision.feature) ?? 0) + Math.max(0, decision.merit) * totalWeight(stats),
    );
    if (parent === null) this.root = branch;
    else if (side === 0) parent.left = branch;
    else parent.right = branch;
  }

  /** River's `best_split_suggestions`: the null split first, then each observer's best, in order. */
  private candidates(leaf: ClassifierLeaf): Candidate[] {
    const stats = leaf.stats;
    const total = totalWeight(stats);
    const majority = Math.max(...stats.classes.map((c) => stats.weights[c]));
    if (majority && majority / total > MAX_SHARE_TO_SPLIT) return [NULL_SPLIT];
    const out: Candidate[] = [NULL_SPLIT];
    for (const [feature, splitter] of leaf.splitters ?? []) {
      const best = splitter.bestSplit(stats, MIN_BRANCH_FRACTION);
      out.push(
        best
          ? { merit: best.merit, feature, threshold: best.threshold, left: best.left, right: best.right }
          : NULL_SPLIT,
      );
    }
    return out;
  }
}
