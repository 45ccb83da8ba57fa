/**
 * Faults an emulator cannot produce, injected as SDK middleware on a handler's real client:
 * everything else still goes through the real SDK to the emulator.
 */
type Args = { input: unknown };
type Result = { output: unknown };
type Middleware = (
  next: (args: Args) => Promise<Result>,
  context: { commandName?: string },
) => (args: Args) => Promise<Result>;
/** Any SDK v3 client: only its middleware stack is used. */
interface AnyClient {
  middlewareStack: {
    add(middleware: never, options: { step: 'initialize'; name: string }): void;
    remove(name: string): boolean;
  };
}

function addMiddleware(client: AnyClient, name: string, middleware: Middleware): void {
  client.middlewareStack.add(middleware as never, { step: 'initialize', name });
}

export interface InjectedFault {
  /** How many calls of the command the fault has seen. */
  calls(): number;
  remove(): void;
}

let faultId = 0;

/** Throws `error` instead of sending the `commandName` calls for which `when(callNumber, input)` is true. */
export function failCommand(
  client: AnyClient,
  commandName: string,
  when: (callNumber: number, input: Record<string, unknown>) => boolean,
  error: () => Error,
): InjectedFault {
  return beforeCommand(client, commandName, when, async () => {
    throw error();
  });
}

/** An S3 503 as the SDK surfaces it. */
export function slowDown(): Error {
  return Object.assign(new Error('Please reduce your request rate.'), {
    name: 'SlowDown',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });
}

/**
 * Kinesis throttling of single entries: on the calls `when` selects, the entries `throttled`
 * picks are not sent at all and come back as ProvisionedThroughputExceededException at their
 * positions, exactly as a partially failed PutRecords reports them.
 */
export function throttlePutRecordsEntries(
  client: AnyClient,
  when: (callNumber: number) => boolean,
  throttled: (entryIndex: number) => boolean,
): InjectedFault {
  const name = `test-fault-${++faultId}`;
  let calls = 0;
  addMiddleware(client, name, (next, context) => async (args) => {
    if (context.commandName !== 'PutRecordsCommand') return next(args);
    calls++;
    if (!when(calls)) return next(args);
    const input = args.input as { Records: unknown[] };
    const keep = input.Records.map((_, i) => !throttled(i));
    const result = await next({
      ...args,
      input: { ...input, Records: input.Records.filter((_, i) => keep[i]) },
    });
    const output = result.output as { Records?: unknown[]; FailedRecordCount?: number };
    const sent = [...(output.Records ?? [])];
    const records = keep.map((kept) =>
      kept
        ? sent.shift()
        : {
            ErrorCode: 'ProvisionedThroughputExceededException',
            ErrorMessage: 'Rate exceeded for shard (injected)',
          },
    );
    return {
      ...result,
      output: {
        ...output,
        Records: records,
        FailedRecordCount: (output.FailedRecordCount ?? 0) + keep.filter((k) => !k).length,
      },
    };
  });
  return { calls: () => calls, remove: () => client.middlewareStack.remove(name) };
}

/**
 * Runs `action` just before the `commandName` calls `when` selects are sent: for example another
 * writer getting in between a handler's read and its conditional write (a real race, made certain).
 */
export function beforeCommand(
  client: AnyClient,
  commandName: string,
  when: (callNumber: number, input: Record<string, unknown>) => boolean,
  action: () => Promise<void>,
): InjectedFault {
  const name = `test-fault-${++faultId}`;
  let calls = 0;
  addMiddleware(client, name, (next, context) => async (args) => {
    if (context.commandName !== commandName) return next(args);
    calls++;
    if (when(calls, args.input as Record<string, unknown>)) await action();
    return next(args);
  });
  return { calls: () => calls, remove: () => client.middlewareStack.remove(name) };
}
