import type { LocalHandler } from './state-machine-runner.js';

/** A handler error as an execution records it. */
export interface TaskError {
  state: string;
  error: string;
  message: string;
}

/**
 * A Task state's local binding for the `lambda:invoke` integration: the handler gets the resolved
 * `Payload` and the Task gets the integration's output shape (`{ StatusCode, Payload, … }`), which
 * its ResultSelector reads; a handler error is recorded, then thrown for the Task's Retry and Catch.
 */
export function lambdaInvokeBinding(
  state: string,
  handler: LocalHandler,
  recordError: (error: TaskError) => void,
): (parameters: unknown) => Promise<unknown> {
  return async (parameters) => {
    try {
      const payload = (parameters as { Payload?: unknown }).Payload;
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: (await handler(payload)) ?? null };
    } catch (error) {
      const e = error as Error;
      recordError({ state, error: e.name, message: e.message });
      throw error;
    }
  };
}
