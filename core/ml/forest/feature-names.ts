import { RandomForestInputError } from './errors.js';

/** Names must be strings, one per feature, so that a saved model documents its columns. */
export function checkFeatureNames(names: unknown, width: number): string[] | null {
  if (names === undefined) return null;
  if (!Array.isArray(names) || names.length !== width || names.some((name) => typeof name !== 'string')) {
    throw new RandomForestInputError(`option featureNames must be ${width} strings, one per feature column`);
  }
  return [...names];
}
