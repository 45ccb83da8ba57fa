import type { Features, HoeffdingTreeConfig } from '../types.js';
import type { SplitCandidate } from './ebst-splitter.js';
import { gainShares } from './gain-shares.js';
import { type LeafPrediction, RegressorLeaf, type RegressorLeafState } from './regressor-leaf.js';
import { hoeffdingBound } from './regressor-split-criterion.js';
import { copyVar, type VarStats } from './regressor-variance.js';

/** Hyper-parameters (River's `tree.HoeffdingTreeRegressor` names in the comments of `HoeffdingTreeConfig`). */
export type HoeffdingTreeRegressorSettings = HoeffdingTreeConfig<LeafPrediction>;

interface BranchState {
  readonly kind: 'branch';
  readonly feature: string;
  readonly threshold: number;
  readonly depth: number;
  readonly stats: VarStats;
  readonly left: NodeState;
  readonly right: NodeState;
}
type NodeState = BranchState | RegressorLeafState;

/** Everything the tree holds, as plain JSON (nested no deeper than maxDepth). */
export interface HoeffdingTreeRegressorState {
  readonly root: NodeState | null;
  /** Per feature: the sum over its splits of variance reduction × records at the split. */
  readonly gains: Record<string, number>;
  readonly features: readonly string[];
}

interface Branch {
  readonly kind: 'branch';
  readonly feature: string;
  readonly threshold: number;
  readonly depth: number;
  readonly stats: VarStats;
  left: TreeNode;
  right: TreeNode;
}
type TreeNode = Branch | RegressorLeaf;

/** A split candidate; `feature` undefined is River's null split ("do not split"). */
interface Suggestion {
  readonly merit: number;
  readonly feature?: string;
  readonly split?: SplitCandidate;
}

/**
 * River's Hoeffding tree regressor (FIMT-DD without drift adaptation): leaves collect TEBST
 * splitters; every grace period a leaf ranks each feature's best threshold by variance reduction
 * and splits when the best beats the runner-up by the Hoeffding bound (or the bound is below
 * tau). As River, the null split competes (merit pre-pruning) and failed attempts prune each
 * splitter's hopeless thresholds. Unlike River, a feature missing from a record reads as 0 when
 * routing it (River follows the branch that saw more records).
 */
export class HoeffdingTreeRegressor {
  private root: TreeNode | undefined;
  private readonly gains = new Map<string, number>();
  private readonly features = new Set<string>();

  constructor(readonly settings: HoeffdingTreeRegressorSettings) {}

  predict(x: Features): number {
    if (!this.root) return 0;
    return this.leafFor(x).leaf.predict(x);
  }

  learn(x: Features, y: number): void {
    for (const name in x) if (!this.features.has(name)) this.features.add(name);
    if (!this.root) this.root = RegressorLeaf.create(this.settings.leafPrediction);
    const { leaf, parent } = this.leafFor(x);
    leaf.learn(x, y);
    if (!leaf.active) return;
    if (leaf.depth >= this.settings.maxDepth) {
      leaf.deactivate();
      return;
    }
    const seen = leaf.stats.n;
    if (seen - leaf.lastSplitAttemptAt >= this.settings.gracePeriod) {
      this.attemptSplit(leaf, parent);
      leaf.lastSplitAttemptAt = seen;
    }
  }

  /** Split importance per feature (variance reduction × records at each split), summing to 1. */
  importance(): Record<string, number> {
    return gainShares(this.gains, this.features);
  }

  /** How many branches and leaves the tree has, and its depth (for reports and tests). */
  shape(): {
    branches: number;
    leaves: number;
    depth: number;
    splits: { feature: string; threshold: number }[];
  } {
    let branches = 0;
    let leaves = 0;
    let depth = 0;
    const splits: { feature: string; threshold: number }[] = [];
    const pending: TreeNode[] = this.root ? [this.root] : [];
    while (pending.length > 0) {
      const node = pending.pop() as TreeNode;
      depth = Math.max(depth, node.depth);
      if (node.kind === 'leaf') leaves += 1;
      else {
        branches += 1;
        splits.push({ feature: node.feature, threshold: node.threshold });
        pending.push(node.right, node.left);
      }
    }
    return { branches, leaves, depth, splits };
  }

  state(): HoeffdingTreeRegressorState {
    const save = (node: TreeNode): NodeState =>
      node.kind === 'leaf'
        ? node.state()
        : {
            kind: 'branch',
            feature: node.feature,
            threshold: node.threshold,
            depth: node.depth,
            stats: copyVar(node.stats),
            left: save(node.left),
            right: save(node.right),
          };
    return {
      root: this.root ? save(this.root) : null,
      gains: Object.fromEntries(this.gains),
      features: [...this.features],
    };
  }

  static restore(
    settings: HoeffdingTreeRegressorSettings,
    s: HoeffdingTreeRegressorState,
  ): HoeffdingTreeRegressor {
    const tree = new HoeffdingTreeRegressor(settings);
    const load = (node: NodeState): TreeNode =>
      node.kind === 'leaf'
        ? RegressorLeaf.restore(settings.leafPrediction, node)
        : {
            kind: 'branch',
            feature: node.feature,
            threshold: node.threshold,
            depth: node.depth,
            stats: copyVar(node.stats),
            left: load(node.left),
            right: load(node.right),
          };
    if (s.root) tree.root = load(s.root);
    for (const [name, gain] of Object.entries(s.gains)) tree.gains.set(name, gain);
    for (const name of s.features) tree.features.add(name);
    return tree;
  }

  private leafFor(x: Features): { leaf: RegressorLeaf; parent: Branch | undefined } {
    let node = this.root as TreeNode;
    let parent: Branch | undefined;
    while (node.kind === 'branch') {
      parent = node;
      node = (x[node.feature] ?? 0) <= node.threshold ? node.left : node.right;
    }
    return { leaf: node, parent };
  }

  private attemptSplit(leaf: RegressorLeaf, parent: Branch | undefined): void {
    const suggestions: Suggestion[] = [{ merit: Number.NEGATIVE_INFINITY }];
    for (const [feature, splitter] of leaf.splitters ?? []) {
      const split = splitter.bestSplit(leaf.stats);
      suggestions.push(split ? { merit: split.merit, feature, split } : { merit: Number.NEGATIVE_INFINITY });
    }
    // Stable ascending sort, best last: among equal merits the later feature wins, as in River.
    suggestions.sort((a, b) => (a.merit < b.merit ? -1 : a.merit > b.merit ? 1 : 0));
    const best = suggestions[suggestions.length - 1] as Suggestion;
    const second = suggestions[suggestions.length - 2];
    let shouldSplit: boolean;
    let bound = 0;
    if (second === undefined) {
      shouldSplit = true;
    } else {
      bound = hoeffdingBound(1, this.settings.delta, leaf.stats.n);
      shouldSplit = best.merit > 0 && (second.merit / best.merit < 1 - bound || bound < this.settings.tau);
    }
    if (shouldSplit) {
      if (best.feature === undefined || best.split === undefined) {
        // Pre-pruning: not splitting beat every feature; the leaf stops trying.
        leaf.deactivate();
        return;
      }
      const { feature, split } = best;
      const branch: Branch = {
        kind: 'branch',
        feature,
        threshold: split.threshold,
        depth: leaf.depth,
        stats: copyVar(leaf.stats),
        left: RegressorLeaf.create(this.settings.leafPrediction, split.left, leaf),
        right: RegressorLeaf.create(this.settings.leafPrediction, split.right, leaf),
      };
      this.gains.set(feature, (this.gains.get(feature) ?? 0) + split.merit * leaf.stats.n);
      if (!parent) this.root = branch;
      else if (parent.left === leaf) parent.left = branch;
      else parent.right = branch;
      return;
    }
    if (second !== undefined && best.merit > 0 && second.merit > 0) {
      const ratio = second.merit / best.merit;
      for (const splitter of leaf.splitters?.values() ?? []) {
        splitter.removeBadSplits(leaf.stats, ratio, best.merit, bound);
      }
    }
  }
}
