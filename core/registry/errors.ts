/**
 * Refusals that mean the caller asked for something wrong (not a lost race, which is a normal
 * `{ promoted: false }` result). `code` lets a state machine's Catch tell them apart.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code:
      | 'UnknownVersion'
      | 'IncompleteVersion'
      | 'ChecksumMismatch'
      | 'NoChampion'
      | 'NoPreviousChampion',
    message: string,
  ) {
    super(message);
  }
}
