/** Thrown for input k-means cannot use; the message says what was wrong and what was expected. */
export class KMeansInputError extends Error {
  override name = 'KMeansInputError';
}
