/** A fit that produced no model: Step Functions does not retry it (it would fail the same way). */
export class FitFailed extends Error {
  override readonly name = 'FitFailed';
}

/** Rolling back is impossible (no champion, no previous champion): not retried, a clear failure. */
export class RollbackError extends Error {
  override readonly name = 'RollbackError';
}
