/**
 * An error the Step Functions API answers with: its `type` is the `__type` of AWS's JSON 1.0
 * error body, which the SDK turns into the exception class of that name (ExecutionAlreadyExists,
 * StateMachineDoesNotExist, …).
 */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidArn = (arn: unknown) =>
  new SfnApiError('InvalidArn', `Invalid Arn: '${typeof arn === 'string' ? arn : JSON.stringify(arn)}'`);

export const validation = (message: string) => new SfnApiError('ValidationException', message);
