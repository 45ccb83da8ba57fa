import { symmetricEigen } from './jacobi-eigen.js';
import { folds, meanAndStd, type ReferenceStatistic } from './reference-band.js';

/**
 * Multivariate drift by PCA reconstruction error, as NannyML's DataReconstructionDriftCalculator:
 * missing values take the reference mean, features are standardised on the reference, the
 * principal components that explain `varianceToKeep` of the reference's variance are kept, and a
 * chunk's error is the mean Euclidean distance between its standardised rows and their projection
 * back from those components. A change in how features move together (a correlation that flips)
 * raises the error even when every feature's own distribution, and so PSI and KS, stays the same.
 */
export interface PcaDriftModel {
  readonly kind: 'pca-reconstruction';
  readonly featureNames: readonly string[];
  readonly means: readonly number[];
  /** Standard deviations (1 for a constant feature, so it standardises to 0 instead of NaN). */
  readonly scales: readonly number[];
  /** Kept components, each a unit vector over the features. */
  readonly components: readonly (readonly number[])[];
  readonly explainedVariance: number;
  /** The error over reference chunks: the band a period is checked against. */
  readonly reference: ReferenceStatistic;
}

export interface PcaDriftOptions {
  /** Share of the reference's variance the kept components must explain. @default 0.65 */
  readonly varianceToKeep?: number;
  /** Folds for the out-of-fold errors the band is computed from. @default 10 */
  readonly folds?: number;
  /** Assigns the reference rows to folds. */
  readonly random: () => number;
}

export function fitPcaDrift(
  featureNames: readonly string[],
  rows: readonly (readonly number[])[],
  options: PcaDriftOptions,
): PcaDriftModel {
  const width = featureNames.length;
  if (rows.length < 2)
    throw new Error(`the PCA drift model needs at least 2 reference rows, got ${rows.length}`);
  for (const row of rows)
    if (row.length !== width) throw new Error(`a reference row has ${row.length} values; expected ${width}`);
  const toKeep = options.varianceToKeep ?? 0.65;
  const fitted = fitComponents(rows, width, toKeep);
  // Each row's error comes from a model fitted without its fold. Errors of rows a PCA was fitted
  // on are biased low (it chose its directions to fit them), and a monitored day is never in the
  // fit: an in-sample band would flag every new day as drift.
  const parts = folds(rows.length, options.folds ?? 10, options.random);
  const rowErrors: number[] = [];
  const foldMeans = parts.map((part) => {
    const inPart = new Set(part);
    // The same number of components as the served model: near the variance cut-off, a fold could
    // otherwise keep one more or one fewer and describe a different model.
    const without = fitComponents(
      rows.filter((_, i) => !inPart.has(i)),
      width,
      toKeep,
      fitted.components.length,
    );
    const errors = part.map((i) =>
      rowError(without, standardise(rows[i] as readonly number[], without.means, without.scales)),
    );
    rowErrors.push(...errors);
    return errors.reduce((s, e) => s + e, 0) / Math.max(1, errors.length);
  });
  const { mean, std } = meanAndStd(rowErrors);
  return {
    kind: 'pca-reconstruction',
    featureNames: [...featureNames],
    means: fitted.means,
    scales: fitted.scales,
    components: fitted.components,
    explainedVariance: fitted.explained,
    // Per-row spread (chunkSize 1): a day's error is a mean over its rows.
    reference: { mean, std, chunkSize: 1, referenceRows: rows.length, chunks: foldMeans },
  };
}

interface Components {
  readonly means: number[];
  readonly scales: number[];
  readonly components: number[][];
  readonly explained: number;
}

function fitComponents(
  rows: readonly (readonly number[])[],
  width: number,
  toKeep: number,
  count?: number,
): Components {
  const means = new Array<number>(width).fill(0);
  const counts = new Array<number>(width).fill(0);
  for (const row of rows)
    for (let f = 0; f < width; f++) {
      const v = row[f] as number;
      if (Number.isFinite(v)) {
        means[f] = (means[f] as number) + v;
        counts[f] = (counts[f] as number) + 1;
      }
    }
  for (let f = 0; f < width; f++)
    means[f] = (counts[f] as number) > 0 ? (means[f] as number) / (counts[f] as number) : 0;
  const scales = new Array<number>(width).fill(0);
  for (const row of rows)
    for (let f = 0; f < width; f++) {
      const v = row[f] as number;
      if (Number.isFinite(v)) scales[f] = (scales[f] as number) + (v - (means[f] as number)) ** 2;
    }
  for (let f = 0; f < width; f++) {
    const std = Math.sqrt((scales[f] as number) / Math.max(1, counts[f] as number));
    scales[f] = std > 1e-12 ? std : 1;
  }
  const covariance = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  for (const row of rows) {
    const z = standardise(row, means, scales);
    for (let i = 0; i < width; i++) {
      const zi = z[i] as number;
      if (zi === 0) continue;
      const line = covariance[i] as number[];
      for (let j = i; j < width; j++) line[j] = (line[j] as number) + zi * (z[j] as number);
    }
  }
  for (let i = 0; i < width; i++)
    for (let j = i; j < width; j++) {
      const value = ((covariance[i] as number[])[j] as number) / Math.max(1, rows.length - 1);
      (covariance[i] as number[])[j] = value;
      (covariance[j] as number[])[i] = value;
    }
  const eigen = symmetricEigen(covariance);
  const total = eigen.values.reduce((s, v) => s + Math.max(0, v), 0);
  const components: number[][] = [];
  let explained = 0;
  const enough = (k: number) => (count === undefined ? explained >= toKeep && k > 0 : k >= count);
  for (let k = 0; k < eigen.values.length && !enough(k); k++) {
    components.push(eigen.vectors[k] as number[]);
    explained += total > 0 ? Math.max(0, eigen.values[k] as number) / total : 1;
  }
  return { means, scales, components, explained };
}

function standardise(row: readonly number[], means: readonly number[], scales: readonly number[]): number[] {
  return row.map((v, f) => (Number.isFinite(v) ? (v - (means[f] as number)) / (scales[f] as number) : 0));
}

/** Distance between a standardised row and its projection on the components. */
function rowError(model: Pick<PcaDriftModel, 'components'>, z: readonly number[]): number {
  const residual = [...z];
  for (const component of model.components) {
    let score = 0;
    for (let f = 0; f < z.length; f++) score += (z[f] as number) * (component[f] as number);
    for (let f = 0; f < z.length; f++)
      residual[f] = (residual[f] as number) - score * (component[f] as number);
  }
  return Math.sqrt(residual.reduce((s, r) => s + r * r, 0));
}

/** Mean reconstruction error of a period's rows (raw units, NaN for missing). */
export function reconstructionError(model: PcaDriftModel, rows: readonly (readonly number[])[]): number {
  for (const row of rows)
    if (row.length !== model.means.length)
      throw new Error(`a row has ${row.length} values; the drift model expects ${model.means.length}`);
  if (rows.length === 0) return Number.NaN;
  let total = 0;
  for (const row of rows) total += rowError(model, standardise(row, model.means, model.scales));
  return total / rows.length;
}
