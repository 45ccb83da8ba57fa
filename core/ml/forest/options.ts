import { RandomForestInputError } from './errors.js';

/** Options shared by classification and regression forests. Defaults follow scikit-learn. */
export interface ForestOptions {
  /** Number of trees. Default 100. */
  nTrees?: number;
  /** Maximum depth (root = depth 0). Default unlimited: trees grow until leaves are pure. */
  maxDepth?: number;
  /** A node with fewer (distinct in-bag) rows than this becomes a leaf. Default 2. */
  minSamplesSplit?: number;
  /** Every child must keep at least this many rows. Default 1. */
  minSamplesLeaf?: number;
  /**
   * Split only if the weighted impurity decrease, as a share of the root's total weight
   * (scikit-learn's definition), is at least this. Default 0.
   */
  minImpurityDecrease?: number;
  /**
   * Features drawn at every split: 'sqrt' (classification default), 'log2', 'all' (regression default),
   * an integer count, or a fraction in (0, 1).
   */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Value bins per feature (2..255); the 256th bin code is reserved for NaN. Default 255. */
  maxBins?: number;
  /** Draw a bootstrap sample per tree. Default true. */
  bootstrap?: boolean;
  /** Compute the out-of-bag score (accuracy or R²) during fit; needs bootstrap. Default false. */
  oobScore?: boolean;
  /** Seed: the same seed and data give the same model, byte for byte. Default 42. */
  seed?: number;
  /** Optional names, kept in the model so a downloaded model documents its columns. */
  featureNames?: string[];
}

export interface ClassifierOptions extends ForestOptions {
  /** Impurity used to choose splits. Default 'gini'. */
  criterion?: 'gini' | 'entropy';
  /**
   * Per-class weights for imbalanced data: 'balanced' (n / (classes × count of the class)) or an
   * object mapping a class label (as a string key) to its weight; unnamed classes weigh 1.
   */
  classWeight?: 'balanced' | Record<string, number>;
}

export type RegressorOptions = ForestOptions;

/** The options after defaults, exactly as they are stored in the model's `params`. */
export interface ResolvedParams {
  nTrees: number;
  /** null = unlimited (JSON has no Infinity). */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  maxBins: number;
  bootstrap: boolean;
  oobScore: boolean;
  seed: number;
  criterion: 'gini' | 'entropy' | 'squared_error';
  classWeight: 'balanced' | Record<string, number> | null;
}

function integerAtLeast(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RandomForestInputError(`option ${name} is ${String(value)}; expected an integer ≥ ${min}`);
  }
  return value;
}

export function resolveParams(
  options: ClassifierOptions,
  task: 'classification' | 'regression',
): ResolvedParams {
  const known = new Set([
    'nTrees',
    'maxDepth',
    'minSamplesSplit',
    'minSamplesLeaf',
    'minImpurityDecrease',
    'maxFeatures',
    'maxBins',
    'bootstrap',
    'oobScore',
    'seed',
    'featureNames',
    ...(task === 'classification' ? ['criterion', 'classWeight'] : []),
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw new RandomForestInputError(`unknown option ${key}; expected one of ${[...known].join(', ')}`);
    }
  }
  const maxDepth =
    options.maxDepth === undefined || options.maxDepth === Number.POSITIVE_INFINITY
      ? null
      : integerAtLeast('maxDepth', options.maxDepth, 1, 0);
  const minImpurityDecrease = options.minImpurityDecrease ?? 0;
  if (
    typeof minImpurityDecrease !== 'number' ||
    !(minImpurityDecrease >= 0) ||
    !Number.isFinite(minImpurityDecrease)
  ) {
    throw new RandomForestInputError(
      `option minImpurityDecrease is ${String(minImpurityDecrease)}; expected a finite number ≥ 0`,
    );
  }
  const maxFeatures = options.maxFeatures ?? (task === 'classification' ? 'sqrt' : 'all');
  const namedMaxFeatures = maxFeatures === 'sqrt' || maxFeatures === 'log2' || maxFeatures === 'all';
  if (
    !namedMaxFeatures &&
    !(typeof maxFeatures === 'number' && maxFeatures > 0 && Number.isFinite(maxFeatures))
  ) {
    throw new RandomForestInputError(
      `option maxFeatures is ${String(maxFeatures)}; expected 'sqrt', 'log2', 'all', an integer ≥ 1 or a fraction in (0, 1)`,
    );
  }
  if (typeof maxFeatures === 'number' && maxFeatures > 1 && !Number.isInteger(maxFeatures)) {
    throw new RandomForestInputError(
      `option maxFeatures is ${maxFeatures}; expected an integer count or a fraction < 1`,
    );
  }
  const seed = options.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new RandomForestInputError(`option seed is ${String(seed)}; expected an integer`);
  }
  const bootstrap = options.bootstrap ?? true;
  const oobScore = options.oobScore ?? false;
  if (oobScore && !bootstrap) {
    throw new RandomForestInputError(
      'option oobScore needs bootstrap: true (without bootstrap no row is out of bag)',
    );
  }
  const criterion = task === 'regression' ? 'squared_error' : (options.criterion ?? 'gini');
  if (criterion !== 'gini' && criterion !== 'entropy' && criterion !== 'squared_error') {
    throw new RandomForestInputError(
      `option criterion is ${String(criterion)}; expected 'gini' or 'entropy'`,
    );
  }
  const classWeight = options.classWeight ?? null;
  if (classWeight !== null && classWeight !== 'balanced') {
    if (typeof classWeight !== 'object') {
      throw new RandomForestInputError(
        `option classWeight is ${String(classWeight)}; expected 'balanced' or an object { [classLabel]: weight }`,
      );
    }
    for (const [label, weight] of Object.entries(classWeight)) {
      if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
        throw new RandomForestInputError(
          `option classWeight[${JSON.stringify(label)}] is ${String(weight)}; expected a finite number > 0`,
        );
      }
    }
  }
  const maxBins = integerAtLeast('maxBins', options.maxBins, 2, 255);
  if (maxBins > 255) throw new RandomForestInputError(`option maxBins is ${maxBins}; expected at most 255`);
  return {
    nTrees: integerAtLeast('nTrees', options.nTrees, 1, 100),
    maxDepth,
    minSamplesSplit: integerAtLeast('minSamplesSplit', options.minSamplesSplit, 2, 2),
    minSamplesLeaf: integerAtLeast('minSamplesLeaf', options.minSamplesLeaf, 1, 1),
    minImpurityDecrease,
    maxFeatures,
    maxBins,
    bootstrap: Boolean(bootstrap),
    oobScore: Boolean(oobScore),
    seed,
    criterion,
    classWeight,
  };
}

/** How many features to draw at each split, as scikit-learn computes it. */
export function featuresPerSplit(maxFeatures: ResolvedParams['maxFeatures'], nFeatures: number): number {
  let count: number;
  if (maxFeatures === 'sqrt') count = Math.floor(Math.sqrt(nFeatures));
  else if (maxFeatures === 'log2') count = Math.floor(Math.log2(nFeatures));
  else if (maxFeatures === 'all') count = nFeatures;
  else if (maxFeatures < 1) count = Math.floor(maxFeatures * nFeatures);
  else count = maxFeatures;
  return Math.min(nFeatures, Math.max(1, count));
}
