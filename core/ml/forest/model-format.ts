import { RandomForestInputError } from './errors.js';
import type { ForestModel } from './fit.js';
import type { FlatForest } from './flat-forest.js';
import type { ResolvedParams } from './options.js';

export const MODEL_FORMAT = 'rf-model';
export const MODEL_VERSION = 1;

/**
 * The saved model (docs/random-forest.md describes every field). Typed arrays are stored as
 * base64 of their little-endian bytes: compact, exact for float64 thresholds, and decoded with one
 * Buffer call each, so a cold Lambda loads a model in milliseconds.
 */
export interface RandomForestModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  task: 'classification' | 'regression';
  nFeatures: number;
  featureNames: string[] | null;
  classes: (number | string)[] | null;
  params: ResolvedParams;
  featureImportances: number[];
  oobScore: number | null;
  nTrees: number;
  nNodes: number;
  nLeaves: number;
  /** Values per leaf: the number of classes, or 1 for regression. */
  valueWidth: number;
  encoding: 'base64-le';
  arrays: {
    /** Int32, nTrees + 1 entries: tree t owns nodes [treeOffsets[t], treeOffsets[t+1]). */
    treeOffsets: string;
    /** Int32 per node: feature index, or -1 for a leaf. */
    feature: string;
    /** Float64 per node: go left when value ≤ threshold. */
    threshold: string;
    /** Int32 per node: left child (right child = left + 1), or the leaf number for a leaf. */
    left: string;
    /** Uint8 per node: 1 when NaN goes left. */
    missingLeft: string;
    /** Float64, nLeaves × valueWidth: class probabilities or the mean target of each leaf. */
    values: string;
  };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function encode(array: ArrayBufferView): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** Decodes into a fresh, aligned buffer (Buffer.from may return a pooled, unaligned slice). */
function decode<T>(text: unknown, name: string, bytesPerItem: number, make: (buffer: ArrayBuffer) => T): T {
  if (typeof text !== 'string')
    throw new RandomForestInputError(`model arrays.${name} is missing; expected a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % bytesPerItem !== 0) {
    throw new RandomForestInputError(
      `model arrays.${name} has ${bytes.byteLength} bytes; expected a multiple of ${bytesPerItem}`,
    );
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

export function modelToJson(model: ForestModel): RandomForestModelJson {
  if (!littleEndian) throw new Error('rf-model needs a little-endian platform');
  const f = model.forest;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    task: model.task,
    nFeatures: model.nFeatures,
    featureNames: model.featureNames,
    classes: model.classes,
    params: model.params,
    featureImportances: model.featureImportances,
    oobScore: model.oobScore === null || Number.isNaN(model.oobScore) ? null : model.oobScore,
    nTrees: f.treeOffsets.length - 1,
    nNodes: f.feature.length,
    nLeaves: f.values.length / f.valueWidth,
    valueWidth: f.valueWidth,
    encoding: 'base64-le',
    arrays: {
      treeOffsets: encode(f.treeOffsets),
      feature: encode(f.feature),
      threshold: encode(f.threshold),
      left: encode(f.left),
      missingLeft: encode(f.missingLeft),
      values: encode(f.values),
    },
  };
}

function fail(problem: string): never {
  throw new RandomForestInputError(`not a loadable rf-model: ${problem}`);
}

/**
 * Parses and checks a saved model. Beyond the header it verifies every node (feature in range,
 * children inside the same tree and after their parent, leaf numbers in range), so a corrupt file
 * fails here with a clear message instead of looping or reading garbage at prediction time.
 */
export function modelFromJson(input: RandomForestModelJson | string): ForestModel {
  if (!littleEndian) throw new Error('rf-model needs a little-endian platform');
  const json = (
    typeof input === 'string' ? JSON.parse(input) : input
  ) as Partial<RandomForestModelJson> | null;
  if (!json || typeof json !== 'object') fail('expected a JSON object');
  if (json.format !== MODEL_FORMAT)
    fail(`format is ${JSON.stringify(json.format)}; expected "${MODEL_FORMAT}"`);
  if (json.version !== MODEL_VERSION)
    fail(`version is ${JSON.stringify(json.version)}; this code reads version ${MODEL_VERSION}`);
  if (json.task !== 'classification' && json.task !== 'regression')
    fail(`task is ${JSON.stringify(json.task)}`);
  if (json.encoding !== 'base64-le')
    fail(`encoding is ${JSON.stringify(json.encoding)}; expected "base64-le"`);
  const nFeatures = json.nFeatures;
  if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 1)
    fail('nFeatures must be an integer ≥ 1');
  const valueWidth = json.valueWidth;
  if (typeof valueWidth !== 'number' || !Number.isInteger(valueWidth) || valueWidth < 1)
    fail('valueWidth must be an integer ≥ 1');
  if (
    json.task === 'classification' &&
    (!Array.isArray(json.classes) || json.classes.length !== valueWidth)
  ) {
    fail(`classes must list ${valueWidth} labels (one per value of a leaf)`);
  }
  if (!json.arrays || typeof json.arrays !== 'object') fail('arrays are missing');
  const a = json.arrays;
  const forest: FlatForest = {
    valueWidth,
    treeOffsets: decode(a.treeOffsets, 'treeOffsets', 4, (b) => new Int32Array(b)),
    feature: decode(a.feature, 'feature', 4, (b) => new Int32Array(b)),
    threshold: decode(a.threshold, 'threshold', 8, (b) => new Float64Array(b)),
    left: decode(a.left, 'left', 4, (b) => new Int32Array(b)),
    missingLeft: decode(a.missingLeft, 'missingLeft', 1, (b) => new Uint8Array(b)),
    values: decode(a.values, 'values', 8, (b) => new Float64Array(b)),
  };
  checkStructure(forest, nFeatures);
  return {
    task: json.task,
    nFeatures,
    featureNames: json.featureNames ?? null,
    classes: json.task === 'classification' ? (json.classes as (number | string)[]) : null,
    params: json.params as ResolvedParams,
    forest,
    featureImportances: json.featureImportances ?? [],
    oobScore: json.oobScore ?? null,
  };
}

function checkStructure(forest: FlatForest, nFeatures: number): void {
  const nodes = forest.feature.length;
  const nTrees = forest.treeOffsets.length - 1;
  if (nTrees < 1) fail('treeOffsets must describe at least one tree');
  if (
    forest.threshold.length !== nodes ||
    forest.left.length !== nodes ||
    forest.missingLeft.length !== nodes
  ) {
    fail('feature, threshold, left and missingLeft must have one entry per node');
  }
  const leaves = forest.values.length / forest.valueWidth;
  if (!Number.isInteger(leaves)) fail('values length must be a multiple of valueWidth');
  if (forest.treeOffsets[0] !== 0 || forest.treeOffsets[nTrees] !== nodes)
    fail('treeOffsets must run from 0 to nNodes');
  for (let t = 0; t < nTrees; t++) {
    const start = forest.treeOffsets[t] as number;
    const end = forest.treeOffsets[t + 1] as number;
    if (end <= start) fail(`tree ${t} has no nodes`);
    for (let i = start; i < end; i++) {
      const f = forest.feature[i] as number;
      const left = forest.left[i] as number;
      if (f === -1) {
        if (left < 0 || left >= leaves) fail(`node ${i} points at leaf ${left}; there are ${leaves} leaves`);
      } else if (f < 0 || f >= nFeatures) {
        fail(`node ${i} splits on feature ${f}; expected -1 (leaf) or 0..${nFeatures - 1}`);
      } else if (left <= i || left + 1 >= end) {
        fail(`node ${i} has children ${left}/${left + 1} outside tree ${t} or not after their parent`);
      }
    }
  }
}
