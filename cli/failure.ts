/** A command could not do what was asked, for a reason its message states in full (exit code 1). */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}
