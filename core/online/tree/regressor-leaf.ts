import { LinearRegression, type LinearRegressionState } from '../linear/linear-regression.js';
import type { Features } from '../types.js';
import { EbstSplitter, type EbstState } from './ebst-splitter.js';
import { copyVar, emptyVar, updateVar, type VarStats } from './regressor-variance.js';

export type LeafPrediction = 'mean' | 'model' | 'adaptive';

/**
 * The leaf's linear model: River's default leaf model is a bare `LinearRegression()`, which on
 * features in raw units (rpm in the thousands) diverges at SGD 0.01; a StandardScaler in front
 * (River: `leaf_model=StandardScaler() | LinearRegression()`) keeps it finite on any scale.
 */
export const LEAF_MODEL_SETTINGS = { learningRate: 0.01, l2: 0, standardize: true } as const;
/** River's `model_selector_decay`: how fast the adaptive leaf forgets its two error records. */
const MODEL_SELECTOR_DECAY = 0.95;

export interface RegressorLeafState {
  readonly kind: 'leaf';
  readonly depth: number;
  readonly stats: VarStats;
  readonly lastSplitAttemptAt: number;
  /** One splitter per feature while the leaf may still split; null once it was deactivated. */
  readonly splitters: Record<string, EbstState> | null;
  readonly model?: LinearRegressionState;
  readonly fmseMean: number;
  readonly fmseModel: number;
}

/**
 * A learning leaf of River's Hoeffding tree regressor (`LeafMean`, `LeafModel`, `LeafAdaptive`):
 * target statistics, a TEBST splitter per feature, and for 'model' and 'adaptive' a linear model.
 * The adaptive leaf answers with the mean or the model, whichever had the smaller faded squared
 * error on the records it learned (each measured before learning the record).
 */
export class RegressorLeaf {
  readonly kind = 'leaf';
  splitters: Map<string, EbstSplitter> | undefined;

  private constructor(
    readonly prediction: LeafPrediction,
    readonly depth: number,
    readonly stats: VarStats,
    public lastSplitAttemptAt: number,
    splitters: Map<string, EbstSplitter> | undefined,
    readonly model: LinearRegression | undefined,
    private fmseMean: number,
    private fmseModel: number,
  ) {
    this.splitters = splitters;
  }

  /** A new leaf: the root, or a child of a leaf that split, inheriting its model and error records. */
  static create(prediction: LeafPrediction, stats?: VarStats, parent?: RegressorLeaf): RegressorLeaf {
    const model =
      prediction === 'mean'
        ? undefined
        : new LinearRegression(LEAF_MODEL_SETTINGS, parent?.model ? parent.model.state() : undefined);
    const inherit = prediction === 'adaptive' && parent !== undefined;
    const own = stats ? copyVar(stats) : emptyVar();
    return new RegressorLeaf(
      prediction,
      parent ? parent.depth + 1 : 0,
      own,
      own.n,
      new Map(),
      model,
      inherit ? parent.fmseMean : 0,
      inherit ? parent.fmseModel : 0,
    );
  }

  get active(): boolean {
    return this.splitters !== undefined;
  }

  deactivate(): void {
    this.splitters = undefined;
  }

  learn(x: Features, y: number): void {
    if (this.prediction === 'adaptive' && this.model) {
      const byMean = this.stats.mean;
      const byModel = this.model.predict(x);
      this.fmseMean = MODEL_SELECTOR_DECAY * this.fmseMean + (y - byMean) ** 2;
      this.fmseModel = MODEL_SELECTOR_DECAY * this.fmseModel + (y - byModel) ** 2;
    }
    updateVar(this.stats, y);
    if (this.splitters) {
      for (const name in x) {
        let splitter = this.splitters.get(name);
        if (!splitter) {
          splitter = new EbstSplitter();
          this.splitters.set(name, splitter);
        }
        splitter.update(x[name] as number, y);
      }
    }
    this.model?.learn(x, y);
  }

  predict(x: Features): number {
    if (!this.model) return this.stats.mean;
    if (this.prediction === 'adaptive' && this.fmseMean < this.fmseModel) return this.stats.mean;
    return this.model.predict(x);
  }

  state(): RegressorLeafState {
    return {
      kind: 'leaf',
      depth: this.depth,
      stats: copyVar(this.stats),
      lastSplitAttemptAt: this.lastSplitAttemptAt,
      splitters: this.splitters
        ? Object.fromEntries([...this.splitters].map(([name, splitter]) => [name, splitter.state()]))
        : null,
      ...(this.model ? { model: this.model.state() } : {}),
      fmseMean: this.fmseMean,
      fmseModel: this.fmseModel,
    };
  }

  static restore(prediction: LeafPrediction, s: RegressorLeafState): RegressorLeaf {
    return new RegressorLeaf(
      prediction,
      s.depth,
      copyVar(s.stats),
      s.lastSplitAttemptAt,
      s.splitters
        ? new Map(Object.entries(s.splitters).map(([name, state]) => [name, EbstSplitter.restore(state)]))
        : undefined,
      prediction === 'mean' ? undefined : new LinearRegression(LEAF_MODEL_SETTINGS, s.model),
      s.fmseMean,
      s.fmseModel,
    );
  }
}
