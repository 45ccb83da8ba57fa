import { RandomForestInputError } from './errors.js';

/** One row of features. NaN marks a missing value; every other value must be a finite number. */
export type FeatureRow = ArrayLike<number>;
export type FeatureMatrix = ReadonlyArray<FeatureRow>;
/** Class labels are all numbers or all strings (e.g. 0/1 or 'stay'/'churn'). */
export type ClassLabel = number | string;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)})`;
  if (typeof value === 'number') return String(value);
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

/**
 * Checks a feature matrix cell by cell and returns its width. `expectedWidth` is the model's feature
 * count at prediction time; at training time the first row sets the width.
 */
export function validateFeatures(features: unknown, expectedWidth?: number): number {
  const what = expectedWidth === undefined ? 'training features' : 'features to predict';
  if (!Array.isArray(features)) {
    throw new RandomForestInputError(
      `${what} must be an array of rows (number[][]); got ${describe(features)}`,
    );
  }
  if (features.length === 0) {
    if (expectedWidth !== undefined) return expectedWidth;
    throw new RandomForestInputError(`${what} are empty; expected at least one row`);
  }
  let width = expectedWidth ?? -1;
  for (let i = 0; i < features.length; i++) {
    const row: unknown = features[i];
    const isRow = Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView));
    if (!isRow) {
      throw new RandomForestInputError(`${what}: row ${i} is ${describe(row)}; expected an array of numbers`);
    }
    const cells = row as ArrayLike<unknown>;
    if (width === -1) {
      if (cells.length === 0)
        throw new RandomForestInputError(`${what}: row 0 is empty; expected at least one feature`);
      width = cells.length;
    }
    if (cells.length !== width) {
      const reference =
        expectedWidth === undefined ? 'like row 0' : 'the number of features the model was trained on';
      throw new RandomForestInputError(
        `${what}: row ${i} has ${cells.length} values; expected ${width}, ${reference} (rows must not be ragged)`,
      );
    }
    for (let j = 0; j < width; j++) {
      const value = cells[j];
      if (typeof value !== 'number') {
        throw new RandomForestInputError(
          `${what}: row ${i}, feature ${j} is ${describe(value)}; expected a number (use NaN for a missing value)`,
        );
      }
      if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
        throw new RandomForestInputError(
          `${what}: row ${i}, feature ${j} is ${value}; expected a finite number (use NaN for a missing value)`,
        );
      }
    }
  }
  return width;
}

function checkLabelArray(labels: unknown, rows: number, noun: string): unknown[] {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new RandomForestInputError(
      `${noun} must be an array with one entry per row; got ${describe(labels)}`,
    );
  }
  const list = labels as unknown as unknown[];
  if (list.length !== rows) {
    throw new RandomForestInputError(
      `${noun} have ${list.length} entries but the features have ${rows} rows; expected one ${noun.replace(/s$/, '')} per row`,
    );
  }
  return list;
}

/** Classes sorted (numbers numerically, strings by code unit) and each row's class index. */
export interface EncodedLabels {
  classes: ClassLabel[];
  classIndex: Uint32Array;
}

export function encodeClassLabels(labels: unknown, rows: number): EncodedLabels {
  const list = checkLabelArray(labels, rows, 'labels');
  const firstType = typeof list[0];
  for (let i = 0; i < list.length; i++) {
    const label = list[i];
    if (typeof label === 'number') {
      if (!Number.isFinite(label)) {
        throw new RandomForestInputError(
          `label ${i} is ${label}; expected a finite number or a string (a class name)`,
        );
      }
    } else if (typeof label !== 'string') {
      throw new RandomForestInputError(
        `label ${i} is ${describe(label)}; expected a number or a string (a class name)`,
      );
    }
    if (typeof label !== firstType) {
      throw new RandomForestInputError(
        `label ${i} is ${describe(label)} but label 0 is ${describe(list[0])}; expected labels all of one type`,
      );
    }
  }
  const distinct = [...new Set(list as ClassLabel[])];
  if (firstType === 'number') (distinct as number[]).sort((a, b) => a - b);
  else distinct.sort();
  if (distinct.length < 2) {
    throw new RandomForestInputError(
      `labels contain a single class (${describe(distinct[0])}); expected at least two classes to train a classifier`,
    );
  }
  const position = new Map<ClassLabel, number>(distinct.map((label, index) => [label, index]));
  const classIndex = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) classIndex[i] = position.get(list[i] as ClassLabel) ?? 0;
  return { classes: distinct, classIndex };
}

export function encodeRegressionTargets(targets: unknown, rows: number): Float64Array {
  const list = checkLabelArray(targets, rows, 'targets');
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = list[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RandomForestInputError(`target ${i} is ${describe(value)}; expected a finite number`);
    }
    out[i] = value;
  }
  return out;
}
