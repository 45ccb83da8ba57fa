import { varianceReduction } from './regressor-split-criterion.js';
import { addVar, copyVar, subtractVar, updateVar, type VarStats } from './regressor-variance.js';

/**
 * River's TEBST splitter (`tree.splitter.TEBSTSplitter`, the default of its Hoeffding tree
 * regressor): an extended binary search tree over one numeric feature's values, rounded to one
 * decimal, where each node keeps the target statistics of the values ≤ its own in its subtree,
 * so an in-order walk yields every candidate threshold's left and right statistics.
 *
 * The nodes live in flat arrays (index links, -1 for none): a feature that arrives sorted makes a
 * deep chain, which recursion or nested JSON would not survive.
 */
export interface EbstState {
  readonly root: number;
  readonly value: readonly number[];
  readonly stats: readonly VarStats[];
  readonly left: readonly number[];
  readonly right: readonly number[];
}

/** The best threshold of one feature: `x ≤ threshold` goes left. */
export interface SplitCandidate {
  readonly merit: number;
  readonly threshold: number;
  readonly left: VarStats;
  readonly right: VarStats;
}

export class EbstSplitter {
  private root = -1;
  private value: number[] = [];
  private stats: VarStats[] = [];
  private left: number[] = [];
  private right: number[] = [];

  update(raw: number, y: number, w = 1): void {
    const x = roundOneDecimal(raw);
    if (this.root < 0) {
      this.root = this.add(x, y, w);
      return;
    }
    let node = this.root;
    for (;;) {
      const at = this.value[node] as number;
      if (x === at) {
        updateVar(this.stats[node] as VarStats, y, w);
        return;
      }
      if (x < at) {
        // A node's statistics cover the values at or below it in its subtree.
        updateVar(this.stats[node] as VarStats, y, w);
        const next = this.left[node] as number;
        if (next < 0) {
          this.left[node] = this.add(x, y, w);
          return;
        }
        node = next;
      } else {
        const next = this.right[node] as number;
        if (next < 0) {
          this.right[node] = this.add(x, y, w);
          return;
        }
        node = next;
      }
    }
  }

  /** The threshold with the largest variance reduction (the smallest of equals), if any value was seen. */
  bestSplit(parent: VarStats): SplitCandidate | undefined {
    let best: SplitCandidate | undefined;
    this.walkInOrder((node, below) => {
      const left = copyVar(this.stats[node] as VarStats);
      addVar(left, below);
      const right = copyVar(parent);
      subtractVar(right, left);
      const merit = varianceReduction(parent, left, right);
      if (best === undefined || merit > best.merit) {
        best = { merit, threshold: this.value[node] as number, left, right };
      }
      return false;
    });
    return best;
  }

  /**
   * FIMT-DD's pruning after a failed split attempt (River's `remove_bad_splits`): a node whose
   * subtree holds only bad candidates and whose own merit ratio to the best is below
   * `ratio − 2ε` is cut off with its subtree.
   */
  removeBadSplits(parent: VarStats, lastRatio: number, lastMerit: number, lastBound: number): void {
    if (this.root < 0) return;
    const below: VarStats = { n: 0, mean: 0, s: 0 };
    const isBad = (node: number): boolean => {
      const left = copyVar(this.stats[node] as VarStats);
      addVar(left, below);
      const right = copyVar(parent);
      subtractVar(right, left);
      return varianceReduction(parent, left, right) / lastMerit < lastRatio - 2 * lastBound;
    };
    // Post-order without recursion: [node, parent, side, phase, added].
    type Frame = { node: number; parent: number; side: 'left' | 'right'; phase: 0 | 1 | 2; added: boolean };
    const stack: Frame[] = [{ node: this.root, parent: -1, side: 'left', phase: 0, added: false }];
    let childBad = false;
    let pruned = false;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      const { node } = frame;
      if (frame.phase === 0) {
        frame.phase = 1;
        const child = this.left[node] as number;
        if (child >= 0) stack.push({ node: child, parent: node, side: 'left', phase: 0, added: false });
        else childBad = true;
        continue;
      }
      if (frame.phase === 1) {
        if (!childBad) {
          stack.pop();
          continue;
        }
        frame.phase = 2;
        const child = this.right[node] as number;
        if (child >= 0) {
          addVar(below, this.stats[node] as VarStats);
          frame.added = true;
          stack.push({ node: child, parent: node, side: 'right', phase: 0, added: false });
        } else {
          childBad = true;
        }
        continue;
      }
      if (frame.added) subtractVar(below, this.stats[node] as VarStats);
      stack.pop();
      if (childBad && isBad(node)) {
        this.left[node] = -1;
        this.right[node] = -1;
        if (frame.parent < 0) this.root = -1;
        else if (frame.side === 'left') this.left[frame.parent] = -1;
        else this.right[frame.parent] = -1;
        pruned = true;
        childBad = true;
        continue;
      }
      childBad = false;
    }
    if (pruned) this.compact();
  }

  state(): EbstState {
    return {
      root: this.root,
      value: [...this.value],
      stats: this.stats.map(copyVar),
      left: [...this.left],
      right: [...this.right],
    };
  }

  static restore(s: EbstState): EbstSplitter {
    const splitter = new EbstSplitter();
    splitter.root = s.root;
    splitter.value = [...s.value];
    splitter.stats = s.stats.map(copyVar);
    splitter.left = [...s.left];
    splitter.right = [...s.right];
    return splitter;
  }

  /** In-order walk; `visit` gets the node and the statistics of every value below its subtree. */
  private walkInOrder(visit: (node: number, below: VarStats) => boolean): void {
    const below: VarStats = { n: 0, mean: 0, s: 0 };
    // Ops: 0 descend, 1 add the node to `below`, 2 take it out again, 3 visit.
    const ops: number[] = [];
    const nodes: number[] = [];
    if (this.root >= 0) {
      ops.push(0);
      nodes.push(this.root);
    }
    while (ops.length > 0) {
      const op = ops.pop() as number;
      const node = nodes.pop() as number;
      if (op === 0) {
        const right = this.right[node] as number;
        if (right >= 0) {
          ops.push(2, 0, 1);
          nodes.push(node, right, node);
        }
        ops.push(3);
        nodes.push(node);
        const left = this.left[node] as number;
        if (left >= 0) {
          ops.push(0);
          nodes.push(left);
        }
      } else if (op === 1) addVar(below, this.stats[node] as VarStats);
      else if (op === 2) subtractVar(below, this.stats[node] as VarStats);
      else if (visit(node, below)) return;
    }
  }

  private add(x: number, y: number, w: number): number {
    const stats: VarStats = { n: 0, mean: 0, s: 0 };
    updateVar(stats, y, w);
    this.value.push(x);
    this.stats.push(stats);
    this.left.push(-1);
    this.right.push(-1);
    return this.value.length - 1;
  }

  /** Drops the nodes pruning left unreachable, renumbering the rest. */
  private compact(): void {
    const keep: number[] = [];
    const index = new Map<number, number>();
    const pending = this.root >= 0 ? [this.root] : [];
    while (pending.length > 0) {
      const node = pending.pop() as number;
      index.set(node, keep.length);
      keep.push(node);
      const l = this.left[node] as number;
      const r = this.right[node] as number;
      if (r >= 0) pending.push(r);
      if (l >= 0) pending.push(l);
    }
    const link = (old: number): number => (old < 0 ? -1 : (index.get(old) as number));
    this.value = keep.map((node) => this.value[node] as number);
    this.stats = keep.map((node) => this.stats[node] as VarStats);
    const left = keep.map((node) => link(this.left[node] as number));
    const right = keep.map((node) => link(this.right[node] as number));
    this.left = left;
    this.right = right;
    this.root = this.root < 0 ? -1 : 0;
  }
}

/**
 * Python's `round(x, 1)`, exactly: to the tenth nearest x's exact binary value, halves to even.
 * x·10 in floating point is only ambiguous when it lands on a half: then either x is a true tie
 * (x = q/4 with q odd, the only binary fractions ending in 5 at the second decimal) and goes to
 * the even tenth, or x only looks like one (51.15 is 51.149999…) and toFixed, which rounds the
 * exact value, decides.
 */
export function roundOneDecimal(x: number): number {
  const scaled = x * 10;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  if (fraction !== 0.5) return (fraction > 0.5 ? floor + 1 : floor) / 10;
  const quarters = x * 4;
  if (Number.isInteger(quarters) && quarters % 2 !== 0) return (floor % 2 === 0 ? floor : floor + 1) / 10;
  return Number(x.toFixed(1));
}
