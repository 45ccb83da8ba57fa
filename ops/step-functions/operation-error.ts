/**
 * A state-machine operation could not do what was asked, for a reason its message states in
 * full ("no state machine …", "fires more than …"). The CLI prints it as it is (exit code 1);
 * the console answers it as the error of its route.
 */
export class OperationError extends Error {
  override readonly name = 'OperationError';
}
