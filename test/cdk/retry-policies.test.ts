import '../../local/polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { retriersFor } from '../../lib/config/retry-policies.js';

/**
 * The shared Retry policies run by a Step Functions interpreter (the one the local runtime uses):
 * how many times one Task is attempted for each kind of failure.
 */
function machine(taskTimeoutSeconds: number) {
  return new StateMachine(
    {
      StartAt: 'Work',
      TimeoutSeconds: 60,
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work',
          TimeoutSeconds: taskTimeoutSeconds,
          Retry: retriersFor({ permanent: ['InputError'] }),
          End: true,
        },
      },
    } as never,
    { validationOptions: { checkArn: false } },
  );
}

/** Runs the machine with a handler, retry waits shortened; the attempts and how the run ended. */
async function attempts(handler: () => Promise<unknown>, taskTimeoutSeconds = 60) {
  let calls = 0;
  const execution = machine(taskTimeoutSeconds).run({}, {
    overrides: {
      taskResourceLocalHandlers: {
        Work: async () => {
          calls += 1;
          return handler();
        },
      },
      retryIntervalOverrides: { Work: 1 },
    },
  } as never);
  const error = await execution.result.then(
    () => undefined,
    (e: { cause?: Error }) => (e.cause ?? e) as Error,
  );
  return { calls, error: error?.name };
}

function failing(name: string) {
  return async () => {
    const error = new Error(`${name} raised`);
    error.name = name;
    throw error;
  };
}

describe('shared retry policies, as Step Functions applies them', () => {
  it('attempts a Task that hit its own TimeoutSeconds once: a retry would run as long again', async () => {
    // Act: the handler outlives the Task's 1-second limit
    const result = await attempts(() => new Promise((resolve) => setTimeout(resolve, 3_000)), 1);

    // Assess
    expect(result).toEqual({ calls: 1, error: 'States.Timeout' });
  });

  it("attempts a Task whose function ran out of time (Lambda's Sandbox.Timedout) once", async () => {
    // Act
    const result = await attempts(failing('Sandbox.Timedout'));

    // Assess
    expect(result).toEqual({ calls: 1, error: 'Sandbox.Timedout' });
  });

  it('still retries an unexpected error twice and a permanent one never', async () => {
    // Act
    const unexpected = await attempts(failing('S3ServiceException'));
    const permanent = await attempts(failing('InputError'));

    // Assess
    expect(unexpected).toEqual({ calls: 3, error: 'S3ServiceException' });
    expect(permanent).toEqual({ calls: 1, error: 'InputError' });
  });
});
