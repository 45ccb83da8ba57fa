import type { Features } from '../types.js';
import { type ClassDistribution, totalWeight } from './classifier-split-criterion.js';
import { GaussianSplitter, type GaussianSplitterState } from './gaussian-splitter.js';

export type LeafPrediction = 'mc' | 'nb' | 'nba';

/**
 * A leaf of the Hoeffding tree classifier (River's `LeafMajorityClass` / `LeafNaiveBayes` /
 * `LeafNaiveBayesAdaptive`): class weights, one Gaussian observer per feature while it may still
 * split, and, for 'nba', how often majority class and naive Bayes would each have been right.
 */
export class ClassifierLeaf {
  readonly kind = 'leaf';
  /** Weight at the last split attempt; starts at the weight the leaf inherited, as River's. */
  lastSplitAttemptAt: number;
  /**
   * The observers again as parallel arrays in the Map's (insertion) order, so the per-record
   * loops run over arrays and, for records that list the same names in the same order (the usual
   * case), match each name by position instead of a Map lookup.
   */
  private readonly names: string[] = [];
  private readonly list: GaussianSplitter[] = [];
  /** x's value per observer, read once per record (undefined where x lacks the name). */
  private readonly values: (number | undefined)[] = [];
  /**
   * The naive-Bayes vote of the last record, kept until the leaf learns: a prequential stream
   * predicts a record and then learns it, and both need the same vote from the same state.
   * Records are read-only values, so the same object means the same features.
   */
  private voteOf: Features | undefined;
  private voteOk = false;
  private readonly vote: [number, number] = [0, 0];

  constructor(
    readonly stats: ClassDistribution,
    readonly depth: number,
    /** null once deactivated (max depth, or a pre-pruned split): it then only counts classes. */
    public splitters: Map<string, GaussianSplitter> | null = new Map(),
    public mcCorrect = 0,
    public nbCorrect = 0,
    lastSplitAttemptAt?: number,
  ) {
    this.lastSplitAttemptAt = lastSplitAttemptAt ?? totalWeight(stats);
    for (const [name, splitter] of splitters ?? []) {
      this.names.push(name);
      this.list.push(splitter);
    }
  }

  get active(): boolean {
    return this.splitters !== null;
  }

  deactivate(): void {
    this.splitters = null;
    this.names.length = 0;
    this.list.length = 0;
    this.voteOf = undefined;
  }

  learn(x: Features, y: 0 | 1, mode: LeafPrediction, scratch: [number, number]): void {
    if (mode === 'nba' && this.splitters !== null) {
      if (this.stats.classes.length === 0 || this.majorityClass() === y) this.mcCorrect += 1;
      if (this.naiveBayes(x, scratch) && this.argmax(scratch) === y) this.nbCorrect += 1;
    }
    this.voteOf = undefined;
    if (!this.stats.classes.includes(y)) this.stats.classes.push(y);
    this.stats.weights[y] += 1;
    const splitters = this.splitters;
    if (splitters === null) return;
    const names = this.names;
    const list = this.list;
    let i = 0;
    for (const name in x) {
      const value = x[name] as number;
      let splitter = names[i] === name ? list[i] : splitters.get(name);
      if (splitter === undefined) {
        splitter = new GaussianSplitter();
        splitters.set(name, splitter);
        names.push(name);
        list.push(splitter);
      }
      splitter.update(value, y, 1);
      i++;
    }
  }

  /** P(y = 1) at this leaf. */
  probability(x: Features, mode: LeafPrediction, scratch: [number, number]): number {
    const useNaiveBayes =
      this.splitters !== null && (mode === 'nb' || (mode === 'nba' && this.nbCorrect >= this.mcCorrect));
    if (useNaiveBayes) {
      // An empty naive-Bayes vote leaves River's probabilities at 0 for every class.
      return this.naiveBayes(x, scratch) && this.stats.classes.includes(1) ? scratch[1] : 0;
    }
    const total = totalWeight(this.stats);
    // River's normalisation leaves the weights as they are when they sum to 0.
    return total === 0 ? this.stats.weights[1] : this.stats.weights[1] / total;
  }

  /** The heavier class, the first seen on a tie (Python's max over the dict). */
  private majorityClass(): 0 | 1 {
    return this.argmax(this.stats.weights);
  }

  private argmax(values: readonly [number, number]): 0 | 1 {
    let best: 0 | 1 = this.stats.classes[0] as 0 | 1;
    for (const c of this.stats.classes) if (values[c] > values[best]) best = c;
    return best;
  }

  /** The naive-Bayes vote into `out` (see `computeNaiveBayes`), from the cache when x is the last record. */
  private naiveBayes(x: Features, out: [number, number]): boolean {
    if (x !== this.voteOf) {
      this.voteOk = this.computeNaiveBayes(x, this.vote);
      this.voteOf = x;
    }
    out[0] = this.vote[0];
    out[1] = this.vote[1];
    return this.voteOk;
  }

  /**
   * River's `do_naive_bayes_prediction`: log prior plus the log density of each observed feature
   * present in x, normalised with log-sum-exp, into `out`. False when there is nothing to vote on.
   * A class present with weight 0 keeps a log vote of 0, exactly as River does. Each class's sum
   * runs over the observers in their order, as River's does, so the result is the same to the bit.
   */
  private computeNaiveBayes(x: Features, out: [number, number]): boolean {
    const classes = this.stats.classes;
    const total = totalWeight(this.stats);
    if (classes.length === 0 || total === 0) return false;
    const w0 = this.stats.weights[0];
    const w1 = this.stats.weights[1];
    let vote0 = w0 > 0 ? Math.log(w0 / total) : 0;
    let vote1 = w1 > 0 ? Math.log(w1 / total) : 0;
    const list = this.list;
    const n = list.length;
    if (n > 0 && (w0 > 0 || w1 > 0)) {
      const values = this.readValues(x);
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (value === undefined) continue;
        const splitter = list[i] as GaussianSplitter;
        if (w0 > 0) {
          const p = splitter.condProba(value, 0);
          if (p > 0) vote0 += Math.log(p);
        }
        if (w1 > 0) {
          const p = splitter.condProba(value, 1);
          if (p > 0) vote1 += Math.log(p);
        }
      }
    }
    out[0] = vote0;
    out[1] = vote1;
    let max = Number.NEGATIVE_INFINITY;
    for (const c of classes) if (out[c] > max) max = out[c];
    let sum = 0;
    for (const c of classes) sum += Math.exp(out[c] - max);
    const lse = max + Math.log(sum);
    for (const c of classes) out[c] = Math.exp(out[c] - lse);
    return true;
  }

  /** x's value per observer, by position when x lists the observers' names in their order. */
  private readValues(x: Features): (number | undefined)[] {
    const names = this.names;
    const values = this.values;
    const n = names.length;
    let i = 0;
    for (const name in x) {
      if (i >= n || names[i] !== name) {
        i = -1;
        break;
      }
      values[i] = x[name];
      i++;
    }
    if (i === -1) {
      for (let j = 0; j < n; j++) values[j] = x[names[j] as string];
    } else {
      for (let j = i; j < n; j++) values[j] = undefined;
    }
    return values;
  }
}

/** An internal node: `x[feature] ≤ threshold` goes left (River's NumericBinaryBranch). */
export interface ClassifierBranch {
  readonly kind: 'branch';
  readonly feature: string;
  readonly threshold: number;
  readonly depth: number;
  /** The class weights of the leaf it replaced. */
  readonly stats: ClassDistribution;
  left: ClassifierNode;
  right: ClassifierNode;
}

export type ClassifierNode = ClassifierLeaf | ClassifierBranch;

export type ClassifierNodeState =
  | {
      readonly kind: 'leaf';
      readonly depth: number;
      readonly weights: readonly [number, number];
      readonly classes: readonly (0 | 1)[];
      readonly lastSplitAttemptAt: number;
      readonly mcCorrect: number;
      readonly nbCorrect: number;
      /** Observers by feature in insertion order, or null for a deactivated leaf. */
      readonly splitters: readonly (readonly [string, GaussianSplitterState])[] | null;
    }
  | {
      readonly kind: 'branch';
      readonly feature: string;
      readonly threshold: number;
      readonly depth: number;
      readonly weights: readonly [number, number];
      readonly classes: readonly (0 | 1)[];
      readonly left: ClassifierNodeState;
      readonly right: ClassifierNodeState;
    };

export function nodeState(node: ClassifierNode): ClassifierNodeState {
  if (node.kind === 'branch') {
    return {
      kind: 'branch',
      feature: node.feature,
      threshold: node.threshold,
      depth: node.depth,
      weights: [...node.stats.weights],
      classes: [...node.stats.classes],
      left: nodeState(node.left),
      right: nodeState(node.right),
    };
  }
  return {
    kind: 'leaf',
    depth: node.depth,
    weights: [...node.stats.weights],
    classes: [...node.stats.classes],
    lastSplitAttemptAt: node.lastSplitAttemptAt,
    mcCorrect: node.mcCorrect,
    nbCorrect: node.nbCorrect,
    splitters: node.splitters ? [...node.splitters].map(([name, s]) => [name, s.state()] as const) : null,
  };
}

export function restoreNode(s: ClassifierNodeState): ClassifierNode {
  const stats: ClassDistribution = { weights: [s.weights[0], s.weights[1]], classes: [...s.classes] };
  if (s.kind === 'branch') {
    return {
      kind: 'branch',
      feature: s.feature,
      threshold: s.threshold,
      depth: s.depth,
      stats,
      left: restoreNode(s.left),
      right: restoreNode(s.right),
    };
  }
  const splitters = s.splitters
    ? new Map(s.splitters.map(([name, st]) => [name, GaussianSplitter.restore(st)] as const))
    : null;
  return new ClassifierLeaf(stats, s.depth, splitters, s.mcCorrect, s.nbCorrect, s.lastSplitAttemptAt);
}
