import { binFeatures } from './binning.js';
import { RandomForestInputError } from './errors.js';
import { type FlatForest, flattenTrees, leafOf } from './flat-forest.js';
import { featuresPerSplit, type ResolvedParams } from './options.js';
import { deriveSeed, Rng } from './rng.js';
import { type GrownTree, TreeGrower, type TreeTarget } from './tree-grower.js';
import type { FeatureMatrix, FeatureRow } from './validate.js';

/** Everything a fitted forest knows; the model format serialises exactly this. */
export interface ForestModel {
  task: 'classification' | 'regression';
  nFeatures: number;
  featureNames: string[] | null;
  /** Sorted class labels (classification); probability columns follow this order. */
  classes: (number | string)[] | null;
  params: ResolvedParams;
  forest: FlatForest;
  /** Mean over trees of each tree's normalised impurity decrease per feature; sums to 1 (or all 0). */
  featureImportances: number[];
  /** Out-of-bag accuracy (classification) or R² (regression); null unless params.oobScore. */
  oobScore: number | null;
}

export type FitTarget =
  | { kind: 'classification'; classes: (number | string)[]; classIndex: Uint32Array }
  | { kind: 'regression'; target: Float64Array };

/** Per-class multipliers from the classWeight option ('balanced' = n / (K · count_k), like sklearn). */
function classWeights(
  params: ResolvedParams,
  classes: (number | string)[],
  classIndex: Uint32Array,
): Float64Array {
  const weights = new Float64Array(classes.length).fill(1);
  if (params.classWeight === 'balanced') {
    const counts = new Float64Array(classes.length);
    for (let i = 0; i < classIndex.length; i++)
      counts[classIndex[i] as number] = (counts[classIndex[i] as number] as number) + 1;
    for (let c = 0; c < classes.length; c++)
      weights[c] = classIndex.length / (classes.length * (counts[c] as number));
  } else if (params.classWeight) {
    const names = classes.map(String);
    for (const [label, weight] of Object.entries(params.classWeight)) {
      const at = names.indexOf(label);
      if (at < 0) {
        throw new RandomForestInputError(
          `option classWeight names class ${JSON.stringify(label)}, which is not in the labels; expected one of ${names.join(', ')}`,
        );
      }
      weights[at] = weight;
    }
  }
  return weights;
}

/**
 * Fits a forest on validated inputs. Each tree t draws its bootstrap sample and its split features
 * from its own stream seeded by (seed, t); a row drawn m times enters the tree once with weight m
 * (times its class weight), which is equivalent to duplicating it and is how scikit-learn does it.
 */
export function fitForest(
  features: FeatureMatrix,
  width: number,
  target: FitTarget,
  params: ResolvedParams,
  featureNames: string[] | null,
): ForestModel {
  const n = features.length;
  const binned = binFeatures(features, width, params.maxBins);
  const valueWidth = target.kind === 'classification' ? target.classes.length : 1;
  const treeTarget: TreeTarget =
    target.kind === 'classification'
      ? {
          kind: 'classification',
          nClasses: target.classes.length,
          classIndex: target.classIndex,
          entropy: params.criterion === 'entropy',
        }
      : { kind: 'regression', target: target.target };
  const grower = new TreeGrower(binned, treeTarget, {
    maxDepth: params.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    minImpurityDecrease: params.minImpurityDecrease,
    featuresPerSplit: featuresPerSplit(params.maxFeatures, width),
  });
  const baseWeight = new Float64Array(n).fill(1);
  if (target.kind === 'classification') {
    const perClass = classWeights(params, target.classes, target.classIndex);
    for (let i = 0; i < n; i++) baseWeight[i] = perClass[target.classIndex[i] as number] as number;
  }

  const draws = new Uint32Array(n);
  const weight = new Float64Array(n);
  const inBag = new Uint32Array(n);
  const treeImportance = new Float64Array(width);
  const importances = new Float64Array(width);
  const oobSum = params.oobScore ? new Float64Array(n * valueWidth) : null;
  const oobVotes = params.oobScore ? new Uint32Array(n) : null;
  const trees: GrownTree[] = [];

  for (let t = 0; t < params.nTrees; t++) {
    const rng = new Rng(deriveSeed(params.seed, t));
    if (params.bootstrap) {
      draws.fill(0);
      for (let i = 0; i < n; i++) {
        const r = rng.nextInt(n);
        draws[r] = (draws[r] as number) + 1;
      }
    } else {
      draws.fill(1);
    }
    let bagSize = 0;
    for (let r = 0; r < n; r++) {
      const count = draws[r] as number;
      weight[r] = count * (baseWeight[r] as number);
      if (count > 0) inBag[bagSize++] = r;
    }
    treeImportance.fill(0);
    const tree = grower.grow(inBag.subarray(0, bagSize), weight, rng, treeImportance);
    trees.push(tree);
    let treeTotal = 0;
    for (let f = 0; f < width; f++) treeTotal += treeImportance[f] as number;
    if (treeTotal > 0) {
      for (let f = 0; f < width; f++)
        importances[f] = (importances[f] as number) + (treeImportance[f] as number) / treeTotal;
    }
    if (oobSum && oobVotes) {
      for (let r = 0; r < n; r++) {
        if (draws[r] !== 0) continue;
        const leaf = leafOf(
          tree.feature,
          tree.threshold,
          tree.left,
          tree.missingLeft,
          0,
          features[r] as FeatureRow,
        );
        for (let k = 0; k < valueWidth; k++) {
          oobSum[r * valueWidth + k] =
            (oobSum[r * valueWidth + k] as number) + (tree.values[leaf * valueWidth + k] as number);
        }
        oobVotes[r] = (oobVotes[r] as number) + 1;
      }
    }
  }

  let importanceTotal = 0;
  for (let f = 0; f < width; f++) importanceTotal += importances[f] as number;
  return {
    task: target.kind,
    nFeatures: width,
    featureNames,
    classes: target.kind === 'classification' ? target.classes : null,
    params,
    forest: flattenTrees(trees, valueWidth),
    featureImportances: Array.from(importances, (v) => (importanceTotal > 0 ? v / importanceTotal : 0)),
    oobScore: oobSum && oobVotes ? outOfBagScore(target, oobSum, oobVotes, valueWidth) : null,
  };
}

/** Accuracy or R² over the rows that were out of bag for at least one tree (NaN if none were). */
function outOfBagScore(target: FitTarget, sums: Float64Array, votes: Uint32Array, width: number): number {
  if (target.kind === 'classification') {
    let scored = 0;
    let correct = 0;
    for (let r = 0; r < votes.length; r++) {
      if (votes[r] === 0) continue;
      let best = 0;
      for (let k = 1; k < width; k++)
        if ((sums[r * width + k] as number) > (sums[r * width + best] as number)) best = k;
      scored++;
      if (best === target.classIndex[r]) correct++;
    }
    return scored > 0 ? correct / scored : Number.NaN;
  }
  let scored = 0;
  let mean = 0;
  for (let r = 0; r < votes.length; r++) {
    if (votes[r] === 0) continue;
    scored++;
    mean += target.target[r] as number;
  }
  if (scored === 0) return Number.NaN;
  mean /= scored;
  let residual = 0;
  let spread = 0;
  for (let r = 0; r < votes.length; r++) {
    const count = votes[r] as number;
    if (count === 0) continue;
    const y = target.target[r] as number;
    residual += (y - (sums[r] as number) / count) ** 2;
    spread += (y - mean) ** 2;
  }
  return spread > 0 ? 1 - residual / spread : 0;
}
