/** Thrown for input the forest cannot use; the message says what was wrong and what was expected. */
export class RandomForestInputError extends Error {
  override name = 'RandomForestInputError';
}
